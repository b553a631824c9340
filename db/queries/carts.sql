-- name: GetCart :one
-- The cart of a cookie's token, unless it has been idle since @idle_since.
SELECT * FROM carts WHERE token_hash = @token_hash AND updated_at > @idle_since;

-- name: LockCart :one
-- The cart of a cookie's token, locked for a change: two tabs never pass the item cap together.
SELECT * FROM carts WHERE token_hash = @token_hash AND updated_at > @idle_since FOR UPDATE;

-- name: CreateCart :one
-- A cart for a token, or the one it already has (an idle one is renewed, empty, by the caller).
INSERT INTO carts (token_hash, currency) VALUES (@token_hash, @currency)
ON CONFLICT (token_hash) DO UPDATE SET updated_at = carts.updated_at
RETURNING *;

-- name: ClientCart :one
SELECT * FROM carts WHERE client_id = @client_id;

-- name: TouchCart :exec
-- Marks a change: the cart is in use, and its revision moves so checkout places it anew.
UPDATE carts SET updated_at = now(), revision = revision + 1 WHERE id = @id;

-- name: KeepCart :exec
-- Marks a cart viewed: a cart looked at is in use, though written at most once a day.
UPDATE carts SET updated_at = now() WHERE id = @id AND updated_at < now() - interval '1 day';

-- name: SetCartCurrency :exec
UPDATE carts SET currency = @currency WHERE id = @id;

-- name: SetCartPromo :exec
UPDATE carts SET promo_code = @promo_code WHERE id = @id;

-- name: SetCartClient :exec
UPDATE carts SET client_id = @client_id, currency = @currency WHERE id = @id;

-- name: DeleteCart :exec
DELETE FROM carts WHERE id = @id;

-- name: ResetCart :exec
-- Empties a cart that was idle too long before it is used again under the same token.
WITH gone AS (DELETE FROM cart_items WHERE cart_items.cart_id = @cart_id)
UPDATE carts SET promo_code = '', client_id = NULL, revision = revision + 1, updated_at = now() WHERE carts.id = @cart_id;

-- name: CartItems :many
SELECT * FROM cart_items WHERE cart_id = @cart_id ORDER BY id;

-- name: AddCartItem :one
INSERT INTO cart_items (cart_id, kind, product_id, billing_cycle, domain, domain_action, period)
VALUES (@cart_id, @kind, @product_id, @billing_cycle, @domain, @domain_action, @period)
RETURNING *;

-- name: SetCartItemEPPCode :exec
UPDATE cart_items SET epp_code = @epp_code WHERE id = @id;

-- name: SetCartItemCycle :execrows
UPDATE cart_items SET billing_cycle = @billing_cycle WHERE id = @id AND cart_id = @cart_id AND kind = 'product';

-- name: SetCartItemPeriod :execrows
UPDATE cart_items SET period = @period WHERE id = @id AND cart_id = @cart_id AND domain_action IN ('register', 'transfer');

-- name: RemoveCartItem :execrows
DELETE FROM cart_items WHERE id = @id AND cart_id = @cart_id;

-- name: EmptyCart :exec
DELETE FROM cart_items WHERE cart_id = @cart_id;

-- name: MoveCartItems :exec
-- Moves items into another cart on sign-in; each keeps its id, so a sealed EPP code still opens.
UPDATE cart_items SET cart_id = @to_cart WHERE id = ANY(@ids::bigint[]);

-- name: PurgeIdleCarts :execrows
-- Forgets the carts idle since @idle_since, with their items: the starter runs it periodically.
DELETE FROM carts WHERE updated_at <= @idle_since;

-- name: ProductForCart :one
-- What the cart needs to know of a product: whether the store shows it (neither it nor its
-- group is hidden), whether any is left (stock, NULL when not counted), and whether it needs a
-- domain (a hosting account set up by a panel module).
SELECT p.id, p.name, p.type, p.module, (p.hidden OR COALESCE(g.hidden, false))::boolean AS hidden, p.stock
FROM products p LEFT JOIN product_groups g ON g.id = p.group_id
WHERE p.id = @id;

-- name: ProductCycles :many
-- The billing cycles a product is sold in, in a currency.
SELECT billing_cycle FROM product_prices WHERE product_id = @product_id AND currency = @currency ORDER BY billing_cycle;

-- name: StaleCartEPPCodes :many
SELECT id, epp_code FROM cart_items
WHERE id > @after AND epp_code IS NOT NULL AND substring(epp_code FROM 1 FOR 5) <> @prefix::bytea
ORDER BY id LIMIT @lim;

-- name: ResealCartEPPCode :execrows
UPDATE cart_items SET epp_code = @sealed WHERE id = @id AND epp_code = @was;

-- name: RekeyCart :exec
-- Gives a client's cart the token of the device they signed in on.
UPDATE carts SET token_hash = @token_hash WHERE id = @id;

-- name: DeleteCartByToken :exec
-- Forgets whatever cart a token held, an idle one included.
DELETE FROM carts WHERE token_hash = @token_hash;
