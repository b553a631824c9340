-- name: InsertOutbox :execrows
-- A signal to an order's workflow, named by the order's row.
INSERT INTO outbox (workflow_id, signal, payload)
SELECT o.workflow_id, @signal::text, @payload::jsonb FROM orders o WHERE o.id = @order_id;

-- name: ClaimOutbox :many
-- Leases, for this relay, the oldest row of each workflow that is due and that no live lease
-- holds: a newer row waits behind an older one, also behind one deferred after a failure, so
-- each workflow hears its rows in commit order, one at a time. The lease is checked on the
-- row's newest version (FOR UPDATE), and rows another relay is claiming are skipped.
UPDATE outbox SET leased_until = now() + make_interval(secs => @lease_seconds::float8), lease_token = @token::text
WHERE id IN (
    SELECT o.id FROM outbox o
    WHERE o.next_attempt_at <= now() AND (o.leased_until IS NULL OR o.leased_until < now())
      AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.workflow_id = o.workflow_id AND p.id < o.id)
    ORDER BY o.id
    LIMIT @lim
    FOR UPDATE SKIP LOCKED)
RETURNING *;

-- name: DeleteOutbox :execrows
-- A delivered row, if this relay's lease on it still holds (else its new holder deletes it).
DELETE FROM outbox WHERE id = @id AND lease_token = @token::text;

-- name: DeferOutbox :execrows
UPDATE outbox SET attempts = attempts + 1, last_error = @last_error,
    next_attempt_at = now() + make_interval(secs => @delay_seconds::float8), leased_until = NULL, lease_token = NULL
WHERE id = @id AND lease_token = @token::text;

-- name: ReleaseOutbox :exec
-- Gives back leased rows this relay did not get to; they are due again at once.
UPDATE outbox SET leased_until = NULL, lease_token = NULL WHERE id = ANY(@ids::bigint[]) AND lease_token = @token::text;

-- name: EnqueueUnpaidPolicy :execrows
-- Tells every order still waiting for its payment that the unpaid-cancel setting changed.
INSERT INTO outbox (workflow_id, signal, payload)
SELECT o.workflow_id, @signal::text, @payload::jsonb
FROM orders o JOIN invoices i ON i.order_id = o.id
WHERE o.status = 'Pending' AND i.status = 'Unpaid';

-- name: WorkflowOrderExists :one
-- Whether an order's row names this workflow: a signal whose workflow Temporal does not know is
-- dropped only once its order is deleted.
SELECT EXISTS (SELECT 1 FROM orders WHERE workflow_id = @workflow_id::text);
