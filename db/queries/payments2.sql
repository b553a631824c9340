-- name: InsertUnmatchedPayment :one
-- Money that matches no invoice, kept once per gateway transaction.
INSERT INTO unmatched_payments (gateway, event_id, kind, transaction_id, parent_id, invoice_id, amount, currency, reason)
VALUES (@gateway, @event_id, @kind, @transaction_id, @parent_id, sqlc.narg(invoice_id), @amount, @currency, @reason)
ON CONFLICT (gateway, kind, transaction_id) DO NOTHING
RETURNING id;

-- name: UnmatchedReason :one
-- Why a gateway transaction's money was kept as unmatched, if it was.
SELECT reason FROM unmatched_payments WHERE gateway = @gateway AND kind = @kind AND transaction_id = @transaction_id;

-- name: ListUnmatchedPayments :many
-- Keyset pagination, newest first: cursor is the last id of the previous page (0 for the first).
SELECT * FROM unmatched_payments
WHERE (@cursor::bigint = 0 OR id < @cursor)
ORDER BY id DESC
LIMIT @lim;
