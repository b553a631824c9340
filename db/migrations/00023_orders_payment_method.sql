-- +goose NO TRANSACTION
-- +goose Up
-- Orders by payment method, newest first: the lists' payment method filter finds a method few
-- orders use (one just offered) from the index, not by walking every order's primary key.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_payment_method_id ON orders (payment_method, id DESC);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS orders_payment_method_id;
