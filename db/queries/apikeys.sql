-- name: CountAPIKeys :one
SELECT count(*) FROM api_keys;

-- name: InsertAPIKey :exec
INSERT INTO api_keys (name, key_hash) VALUES ($1, $2) ON CONFLICT (key_hash) DO NOTHING;

-- name: APIKeyExists :one
SELECT EXISTS (SELECT 1 FROM api_keys WHERE key_hash = $1);
