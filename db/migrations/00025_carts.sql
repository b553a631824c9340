-- +goose Up
-- The store's carts, server-side: a visitor's cookie holds a random token, and only its SHA-256
-- is stored (a database dump opens no one's cart). A cart belongs to a client once they sign in,
-- one cart a client. Nothing in a cart is a price: its totals are quoted from the catalogue each
-- time it is shown.

-- Whether the store shows a product (WHMCS's Hidden): a hidden product is still sold by an admin
-- or the APIs, never put in a cart. IF NOT EXISTS: the store's product groups may add it too.
ALTER TABLE products ADD COLUMN IF NOT EXISTS hidden boolean NOT NULL DEFAULT false;

CREATE TABLE carts (
    id         bigserial PRIMARY KEY,
    token_hash bytea NOT NULL UNIQUE,
    client_id  bigint REFERENCES clients (id) ON DELETE CASCADE,
    -- The visitor's currency until a client's own replaces it.
    currency   text NOT NULL,
    promo_code text NOT NULL DEFAULT '',
    -- Counts the cart's changes: checkout's idempotency key, so a double click on Complete Order
    -- places the cart once, and a changed cart is a new order.
    revision   bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- The cart's last use: an idle cart expires (PurgeIdleCarts).
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX carts_one_per_client ON carts (client_id) WHERE client_id IS NOT NULL;
CREATE INDEX carts_idle ON carts (updated_at);

CREATE TABLE cart_items (
    id            bigserial PRIMARY KEY,
    cart_id       bigint NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    -- A product (with its domain choice) or a domain alone.
    kind          text NOT NULL CHECK (kind IN ('product', 'domain')),
    product_id    bigint REFERENCES products (id) ON DELETE CASCADE,
    billing_cycle text NOT NULL DEFAULT '',
    domain        text NOT NULL DEFAULT '',
    -- What is done with the domain: register it, transfer it in, or use one the client has.
    domain_action text NOT NULL DEFAULT '' CHECK (domain_action IN ('', 'register', 'transfer', 'existing')),
    period        integer NOT NULL DEFAULT 1 CHECK (period BETWEEN 1 AND 10),
    -- A transfer's EPP code, sealed and bound to this row (secrets.CartEPPCode).
    epp_code      bytea,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'product') = (product_id IS NOT NULL)),
    CHECK (kind = 'product' OR domain_action IN ('register', 'transfer'))
);
CREATE INDEX cart_items_cart ON cart_items (cart_id, id);

-- +goose Down
DROP TABLE cart_items;
DROP TABLE carts;
ALTER TABLE products DROP COLUMN IF EXISTS hidden;
