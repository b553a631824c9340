-- name: OrdersWaiting :many
-- Orders by what their workflow waits for, at every scrape of /metrics: from the counts the
-- triggers keep (list_counts), however many orders wait.
SELECT waiting_for, sum(n)::bigint AS orders
FROM list_counts WHERE tbl = 'orders' AND waiting_for <> ''
GROUP BY waiting_for;

-- name: OutboxBacklog :one
-- Signals not yet delivered, and how long the oldest has waited (0 with none), at every
-- scrape of /metrics: the outbox is small unless delivery is stuck.
SELECT count(*)::bigint AS depth,
    COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest_seconds
FROM outbox;
