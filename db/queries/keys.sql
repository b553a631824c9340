-- WHMCS API credentials (list, revoke, last used) and the WHMCS login lockout.

-- name: ListAPICredentials :many
SELECT identifier, description, configured, created_at, last_used_at FROM api_credentials ORDER BY created_at, identifier;

-- name: DeleteAPICredential :execrows
DELETE FROM api_credentials WHERE identifier = $1;

-- name: DeleteOtherConfiguredAPICredentials :exec
-- The pair from the environment replaces the one configured before it.
DELETE FROM api_credentials WHERE configured AND identifier <> $1;

-- name: TouchAPICredential :exec
UPDATE api_credentials SET last_used_at = now()
WHERE identifier = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute');

-- name: LoginFailures :one
-- An address's failures within the window, and whether it is locked out now.
SELECT (CASE WHEN last_failed_at >= now() - make_interval(secs => @window_secs::int) THEN failures ELSE 0 END)::int AS failures,
       COALESCE(locked_until > now(), false)::bool AS locked
FROM login_failures WHERE address = @address;

-- name: LoginCounts :many
-- The failures within the window under each of several keys, and how many seconds each stays
-- locked out (0: not locked); a key without failures has no row.
SELECT address,
       (CASE WHEN last_failed_at >= now() - make_interval(secs => @window_secs::int) THEN failures ELSE 0 END)::int AS failures,
       GREATEST(COALESCE(ceil(extract(epoch FROM locked_until - now())), 0), 0)::int AS locked_secs
FROM login_failures WHERE address = ANY(@addresses::text[]);

-- name: RecordLoginFailure :one
-- Counts one failure; the max_failures-th within the window locks the address out for the window.
INSERT INTO login_failures AS f (address, failures, last_failed_at, locked_until)
VALUES (@address, 1, now(), CASE WHEN @max_failures::int <= 1 THEN now() + make_interval(secs => @window_secs::int) END)
ON CONFLICT (address) DO UPDATE SET
    failures = CASE WHEN f.last_failed_at < now() - make_interval(secs => @window_secs::int) THEN 1 ELSE f.failures + 1 END,
    last_failed_at = now(),
    locked_until = CASE
        WHEN (CASE WHEN f.last_failed_at < now() - make_interval(secs => @window_secs::int) THEN 1 ELSE f.failures + 1 END) >= @max_failures::int
        THEN now() + make_interval(secs => @window_secs::int)
        ELSE f.locked_until END
RETURNING f.failures, COALESCE(f.locked_until > now(), false)::bool AS locked;

-- name: ClearLoginFailures :exec
DELETE FROM login_failures WHERE address = $1;

-- name: PurgeLoginFailures :execrows
-- Drops rows quiet for longer than the window and not locked out, then, past the cap, the
-- oldest rows that are not locked out: a lockout is never what a flood of addresses pushes out.
WITH expired AS (
    DELETE FROM login_failures
    WHERE last_failed_at < now() - make_interval(secs => @window_secs::int) AND (locked_until IS NULL OR locked_until <= now())
    RETURNING address
), excess AS (
    SELECT address FROM login_failures
    WHERE (locked_until IS NULL OR locked_until <= now()) AND address NOT IN (SELECT address FROM expired)
    ORDER BY last_failed_at
    LIMIT GREATEST((SELECT count(*) FROM login_failures) - (SELECT count(*) FROM expired) - @max_rows::int, 0)
)
DELETE FROM login_failures WHERE address IN (SELECT address FROM excess);
