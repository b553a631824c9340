-- name: UpdateServer :one
-- An admin's edit of a server (Setup > Servers); its credentials are set apart, sealed.
UPDATE servers SET name = @name, module = @module, hostname = @hostname, username = @username, max_accounts = @max_accounts,
    active = @active, server_group = @server_group, tls_skip_verify = @tls_skip_verify
WHERE id = @id
RETURNING *;

-- name: LockServer :one
-- A server under its row lock, so that an edit and the accounts counted for it agree.
SELECT * FROM servers WHERE id = $1 FOR UPDATE;

-- name: SetServerActive :one
UPDATE servers SET active = @active WHERE id = @id RETURNING *;

