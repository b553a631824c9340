-- Sealed secrets (package secrets). ResealSecrets lists, a batch at a time after a cursor, the
-- values that do not begin with the current key's prefix (sealed before bindings, or with the
-- previous key) and writes each back sealed again, only if the row still holds what it read.

-- name: StaleServicePasswords :many
SELECT id, password FROM order_services
WHERE id > @after AND password IS NOT NULL AND substring(password FROM 1 FOR 5) <> @prefix::bytea
ORDER BY id LIMIT @lim;

-- name: ResealServicePassword :execrows
UPDATE order_services SET password = @sealed WHERE id = @id AND password = @was;

-- name: StaleServiceRootPasswords :many
SELECT id, root_password FROM order_services
WHERE id > @after AND root_password IS NOT NULL AND substring(root_password FROM 1 FOR 5) <> @prefix::bytea
ORDER BY id LIMIT @lim;

-- name: ResealServiceRootPassword :execrows
UPDATE order_services SET root_password = @sealed WHERE id = @id AND root_password = @was;

-- name: StaleDomainEPPCodes :many
SELECT id, epp_code FROM order_domains
WHERE id > @after AND epp_code IS NOT NULL AND substring(epp_code FROM 1 FOR 5) <> @prefix::bytea
ORDER BY id LIMIT @lim;

-- name: ResealDomainEPPCode :execrows
UPDATE order_domains SET epp_code = @sealed WHERE id = @id AND epp_code = @was;

-- name: StaleServerCredentials :many
SELECT id, credentials FROM servers
WHERE id > @after AND credentials IS NOT NULL AND substring(credentials FROM 1 FOR 5) <> @prefix::bytea
ORDER BY id LIMIT @lim;

-- name: ResealServerCredentials :execrows
UPDATE servers SET credentials = @sealed WHERE id = @id AND credentials = @was;

-- name: StaleGatewaySecrets :many
SELECT name, secret FROM gateways
WHERE name > @after AND substring(secret FROM 1 FOR 5) <> @prefix::bytea
ORDER BY name LIMIT @lim;

-- name: ResealGatewaySecret :execrows
UPDATE gateways SET secret = @sealed WHERE name = @name AND secret = @was;

-- name: SetServerCredentials :exec
UPDATE servers SET credentials = $2 WHERE id = $1;
