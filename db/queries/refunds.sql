-- name: InvoicePayment :one
-- A payment on an invoice, by its transaction id (any gateway).
SELECT * FROM transactions
WHERE invoice_id = @invoice_id AND type = 'payment' AND transaction_id = @transaction_id
ORDER BY id LIMIT 1;

-- name: RefundedOfPayment :one
-- What the ledger has given back of one payment of an invoice, as a positive amount.
SELECT coalesce(-sum(amount), 0)::bigint FROM transactions
WHERE invoice_id = @invoice_id AND type = 'refund' AND parent_id = @payment_id;

-- name: PendingRefunds :one
-- What is being refunded through gateways on an invoice and not yet answered, in all and of
-- one payment ('' for none).
SELECT coalesce(sum(amount), 0)::bigint AS invoice,
       coalesce(sum(amount) FILTER (WHERE payment_id = @payment_id), 0)::bigint AS payment
FROM refunds WHERE invoice_id = @invoice_id AND status = 'pending';

-- name: PendingGatewayRefunds :one
-- What a gateway has been asked to refund of one payment and has not yet been recorded: its
-- cumulative report of the payment's refunds includes it.
SELECT coalesce(sum(amount), 0)::bigint FROM refunds
WHERE gateway = @gateway AND payment_id = @payment_id AND status = 'pending';

-- name: InsertRefund :one
INSERT INTO refunds (invoice_id, gateway, payment_id, amount, currency, actor, request_key)
VALUES (@invoice_id, @gateway, @payment_id, @amount, @currency, @actor, @request_key)
ON CONFLICT (request_key) DO NOTHING
RETURNING *;

-- name: RefundByKey :one
SELECT * FROM refunds WHERE request_key = $1;

-- name: GetRefund :one
SELECT * FROM refunds WHERE id = $1;

-- name: LockRefund :one
SELECT * FROM refunds WHERE id = $1 FOR UPDATE;

-- name: FinishRefund :exec
UPDATE refunds SET status = @status, gateway_refund_id = @gateway_refund_id, error = @error, updated_at = now()
WHERE id = @id AND status = 'pending';

-- name: InvoiceRefunds :many
SELECT * FROM refunds WHERE invoice_id = $1 ORDER BY id;
