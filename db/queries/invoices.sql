-- name: InsertInvoice :one
INSERT INTO invoices (order_id, client_id, status, currency, total, paid_at)
VALUES ($1, $2, $3, $4, $5, CASE WHEN @paid::boolean THEN now() END)
RETURNING id;

-- name: InsertInvoiceItem :exec
INSERT INTO invoice_items (invoice_id, type, rel_id, description, amount) VALUES ($1, $2, $3, $4, $5);

-- name: GetInvoice :one
SELECT * FROM invoices WHERE id = $1;

-- name: GetInvoiceByOrder :one
SELECT * FROM invoices WHERE order_id = $1;

-- name: LockInvoice :one
SELECT * FROM invoices WHERE id = $1 FOR UPDATE;

-- name: ListInvoiceItems :many
SELECT * FROM invoice_items WHERE invoice_id = $1 ORDER BY id;

-- name: ListTransactions :many
SELECT * FROM transactions WHERE invoice_id = $1 ORDER BY id;

-- name: InsertTransaction :one
INSERT INTO transactions (invoice_id, gateway, transaction_id, amount, currency, paid_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (gateway, transaction_id) DO NOTHING
RETURNING id;

-- name: InvoicePaidAmount :one
SELECT coalesce(sum(amount), 0)::bigint FROM transactions WHERE invoice_id = $1;

-- name: MarkInvoicePaid :exec
UPDATE invoices SET status = 'Paid', paid_at = now() WHERE id = $1;

-- name: SetInvoiceStatus :exec
UPDATE invoices SET status = @new_status WHERE order_id = @order_id AND status = @old_status;

-- name: GetTransaction :one
SELECT * FROM transactions WHERE gateway = $1 AND transaction_id = $2;
