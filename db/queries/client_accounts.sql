-- Client accounts: passwords, client-area sessions and password resets (package clients).

-- name: SetClientPasswordHash :execrows
UPDATE clients SET password_hash = @password_hash WHERE id = @id;

-- name: GetClientLogin :one
-- What signing in needs of a client, by email in any case.
SELECT id, password_hash, status FROM clients WHERE lower(email) = lower(@email);

-- name: CreateClientSession :exec
INSERT INTO client_sessions (id_hash, client_id, idle_expires_at, absolute_expires_at)
VALUES (@id_hash, @client_id, now() + make_interval(secs => @idle_secs::int), now() + make_interval(secs => @absolute_secs::int));

-- name: TouchClientSession :one
-- Finds a live session of a client that is not Closed and moves its idle expiry on; no row
-- when the session is unknown, expired either way, or its client is Closed.
UPDATE client_sessions s SET last_seen_at = now(),
    idle_expires_at = LEAST(now() + make_interval(secs => @idle_secs::int), s.absolute_expires_at)
FROM clients c
WHERE s.id_hash = @id_hash AND c.id = s.client_id AND c.status <> 'Closed'
  AND s.idle_expires_at > now() AND s.absolute_expires_at > now()
RETURNING s.client_id, s.created_at, s.last_seen_at, s.idle_expires_at, s.absolute_expires_at;

-- name: DeleteClientSession :exec
DELETE FROM client_sessions WHERE id_hash = $1;

-- name: DeleteClientSessions :exec
-- Every session of a client but keep (none when keep matches nothing): a new password ends them.
DELETE FROM client_sessions WHERE client_id = @client_id AND id_hash <> @keep;

-- name: PurgeClientSessions :execrows
DELETE FROM client_sessions WHERE idle_expires_at < now() OR absolute_expires_at < now();

-- name: IssueClientPasswordReset :exec
-- The token of the reset email request_key: a retried send replaces the token it made.
INSERT INTO client_password_resets (id_hash, request_key, client_id, expires_at)
VALUES (@id_hash, @request_key, @client_id, now() + make_interval(secs => @ttl_secs::int))
ON CONFLICT (request_key) DO UPDATE SET id_hash = EXCLUDED.id_hash, expires_at = EXCLUDED.expires_at;

-- name: UseClientPasswordReset :one
-- Consumes a live token: it is gone after, so it opens once.
DELETE FROM client_password_resets WHERE id_hash = @id_hash AND expires_at > now() RETURNING client_id;

-- name: DeleteClientPasswordResets :exec
DELETE FROM client_password_resets WHERE client_id = $1;

-- name: PurgeClientPasswordResets :execrows
DELETE FROM client_password_resets WHERE expires_at < now();

-- name: PasswordResetLive :one
-- Whether a reset link's token would still open, without using it up.
SELECT EXISTS (SELECT 1 FROM client_password_resets WHERE id_hash = @id_hash AND expires_at > now());
