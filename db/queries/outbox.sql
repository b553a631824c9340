-- name: InsertOutbox :exec
INSERT INTO outbox (workflow_id, signal, payload) VALUES ($1, $2, $3);

-- name: ClaimOutbox :many
-- Rows due for delivery, locked for this relay; other relays skip them.
SELECT * FROM outbox WHERE next_attempt_at <= now() ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED;

-- name: DeleteOutbox :exec
DELETE FROM outbox WHERE id = $1;

-- name: DeferOutbox :exec
UPDATE outbox SET attempts = attempts + 1, last_error = @last_error, next_attempt_at = now() + make_interval(secs => @delay_seconds::float8)
WHERE id = @id;

-- name: EnqueueUnpaidPolicy :execrows
-- Tells every order still waiting for its payment that the unpaid-cancel setting changed.
INSERT INTO outbox (workflow_id, signal, payload)
SELECT 'order-' || o.id, @signal::text, @payload::jsonb
FROM orders o JOIN invoices i ON i.order_id = o.id
WHERE o.status = 'Pending' AND i.status = 'Unpaid';
