-- name: OrderRequestKnown :one
-- Whether a placement with this Idempotency-Key got as far as reserving its order.
SELECT EXISTS (SELECT 1 FROM order_requests WHERE idempotency_key = @idempotency_key::text);
