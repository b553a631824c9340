-- +goose Up
-- What a placement asked for, so that an Idempotency-Key sent again with another order is
-- refused rather than answered with the first order.
ALTER TABLE order_requests ADD COLUMN request_hash bytea;

-- +goose Down
ALTER TABLE order_requests DROP COLUMN request_hash;
