-- name: CreateProduct :one
INSERT INTO products (name, type, module, auto_setup, welcome_email, package_name, server_group, group_id, description, hidden, stock, taxable)
VALUES (@name, @type, @module, @auto_setup, @welcome_email, @package_name, @server_group, @group_id, @description, @hidden, @stock, @taxable)
RETURNING *;

-- name: SetProductPrice :exec
INSERT INTO product_prices (product_id, currency, billing_cycle, setup_fee, price)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (product_id, currency, billing_cycle) DO UPDATE SET setup_fee = excluded.setup_fee, price = excluded.price;

-- name: GetProduct :one
SELECT * FROM products WHERE id = $1;

-- name: ListProducts :many
SELECT * FROM products ORDER BY id;

-- name: ListProductPrices :many
SELECT * FROM product_prices WHERE product_id = ANY(@product_ids::bigint[]) ORDER BY product_id, currency, billing_cycle;

-- name: GetProductPrice :one
SELECT * FROM product_prices WHERE product_id = $1 AND currency = $2 AND billing_cycle = $3;

-- name: CreateServer :one
INSERT INTO servers (name, module, hostname, username, credentials, max_accounts, active, server_group, tls_skip_verify)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
RETURNING *;

-- name: GetServer :one
SELECT * FROM servers WHERE id = $1;

-- name: ListServers :many
-- Each with its live accounts (servers.accounts, kept by a trigger: migration 00032).
SELECT * FROM servers ORDER BY id;

-- name: PickServer :one
-- The least-loaded active server of a module (and of the product's group, if it has one) that
-- still has room.
SELECT s.*
FROM servers s
WHERE s.module = @module AND (@server_group::text = '' OR s.server_group = @server_group) AND s.active
  AND (s.max_accounts = 0 OR s.accounts < s.max_accounts)
ORDER BY s.accounts, s.id
LIMIT 1;

-- name: CreateTLD :one
INSERT INTO tlds (tld, currency, register_price, transfer_price, renew_price, auto_registrar, epp_required)
VALUES (@tld, @currency, @register_price, @transfer_price, @renew_price, @auto_registrar, @epp_required)
RETURNING *;

-- name: GetTLD :one
SELECT * FROM tlds WHERE tld = $1;

-- name: ListTLDs :many
SELECT * FROM tlds ORDER BY tld;
