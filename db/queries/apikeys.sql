-- name: CountAPIKeys :one
SELECT count(*) FROM api_keys;

-- name: InsertAPIKey :one
INSERT INTO api_keys (name, key_hash, kind) VALUES ($1, $2, $3) ON CONFLICT (key_hash) DO NOTHING
RETURNING id, name, kind, created_at, last_used_at;

-- name: DeleteOtherConfiguredAPIKeys :exec
-- The configured key replaces the one configured before it.
DELETE FROM api_keys WHERE kind = 'configured' AND key_hash <> $1;

-- name: FindAPIKey :one
SELECT id, last_used_at FROM api_keys WHERE key_hash = $1;

-- name: TouchAPIKey :exec
-- At most once a minute per key, whichever process sees it first.
UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute');

-- name: ListAPIKeys :many
SELECT id, name, kind, created_at, last_used_at FROM api_keys ORDER BY id;

-- name: DeleteAPIKey :execrows
DELETE FROM api_keys WHERE id = $1;
