-- +goose Up
-- PostgreSQL and Temporal are two stores. Each installation (one database) gets an identity,
-- written once, and its order workflows carry it in their ids, so that a workflow belongs to
-- exactly one database: a database recreated, or a second one on the same Temporal namespace,
-- can never be answered by another's workflow.
CREATE TABLE installation (
    id         text PRIMARY KEY,
    singleton  boolean NOT NULL DEFAULT true UNIQUE CHECK (singleton),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO installation (id) VALUES (substr(replace(gen_random_uuid()::text, '-', ''), 1, 16));

-- The workflow of each order. Orders placed before this migration keep their old ids.
ALTER TABLE orders ADD COLUMN workflow_id text;
UPDATE orders SET workflow_id = 'order-' || id;
ALTER TABLE orders ALTER COLUMN workflow_id SET NOT NULL;
CREATE UNIQUE INDEX orders_workflow_id ON orders (workflow_id);

-- Every placement request now has a row: its order id, its Idempotency-Key if it sent one, and
-- the token its workflow must carry (a stale workflow of a restored database never answers a
-- new request). Rows from before have no token; their workflows accept any.
ALTER TABLE order_requests DROP CONSTRAINT order_requests_pkey;
ALTER TABLE order_requests ALTER COLUMN idempotency_key DROP NOT NULL;
ALTER TABLE order_requests ADD CONSTRAINT order_requests_idempotency_key_key UNIQUE (idempotency_key);
ALTER TABLE order_requests ADD PRIMARY KEY (order_id);
ALTER TABLE order_requests ADD COLUMN token text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE order_requests DROP COLUMN token;
ALTER TABLE order_requests DROP CONSTRAINT order_requests_pkey;
DELETE FROM order_requests WHERE idempotency_key IS NULL;
ALTER TABLE order_requests DROP CONSTRAINT order_requests_idempotency_key_key;
ALTER TABLE order_requests ALTER COLUMN idempotency_key SET NOT NULL;
ALTER TABLE order_requests ADD PRIMARY KEY (idempotency_key);
DROP INDEX orders_workflow_id;
ALTER TABLE orders DROP COLUMN workflow_id;
DROP TABLE installation;
