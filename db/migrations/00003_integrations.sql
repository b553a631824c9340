-- +goose Up
-- Server groups: a product is set up on the least-loaded active server of its group ('' = any
-- server of its module). Panels fresh from install have self-signed certificates; an admin may
-- accept one per server.
ALTER TABLE servers
    ADD COLUMN server_group    text NOT NULL DEFAULT '',
    ADD COLUMN tls_skip_verify boolean NOT NULL DEFAULT false;
ALTER TABLE products ADD COLUMN server_group text NOT NULL DEFAULT '';

-- The registrar's own reference for a domain (its domain or order id).
ALTER TABLE order_domains ADD COLUMN registrar_ref text NOT NULL DEFAULT '';

-- Every email an order sends, by a key that names the event it is for: a retried send finds
-- it and does not send again.
CREATE TABLE emails (
    key        text PRIMARY KEY,
    order_id   bigint NOT NULL,
    template   text NOT NULL,
    recipient  text NOT NULL,
    subject    text NOT NULL,
    message_id text NOT NULL,
    sent_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX emails_order ON emails (order_id);

-- +goose Down
DROP TABLE emails;
ALTER TABLE order_domains DROP COLUMN registrar_ref;
ALTER TABLE products DROP COLUMN server_group;
ALTER TABLE servers DROP COLUMN tls_skip_verify, DROP COLUMN server_group;
