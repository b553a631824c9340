-- name: OrdersWaiting :many
-- Orders by what their workflow waits for, at every scrape of /metrics: an index-only scan
-- of orders_waiting_id, which holds only waiting orders.
SELECT waiting_for, count(*)::bigint AS orders
FROM orders WHERE waiting_for <> ''
GROUP BY waiting_for;

-- name: OutboxBacklog :one
-- Signals not yet delivered, and how long the oldest has waited (0 with none), at every
-- scrape of /metrics: the outbox is small unless delivery is stuck.
SELECT count(*)::bigint AS depth,
    COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest_seconds
FROM outbox;
