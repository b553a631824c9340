-- name: InsertInvoice :one
-- Rates come in thousandths of a percent (tax.Rate), as exact integers.
INSERT INTO invoices (order_id, client_id, status, currency, total, paid_at, subtotal, tax, tax2, tax_rate, tax_rate2,
                      tax_name, tax_name2, reverse_charge)
VALUES (@order_id, @client_id, @status, @currency, @total, CASE WHEN sqlc.arg(paid)::boolean THEN now() END, @subtotal, @tax, @tax2,
        sqlc.arg(tax_rate_thousandths)::bigint / 1000::numeric, sqlc.arg(tax_rate2_thousandths)::bigint / 1000::numeric, @tax_name, @tax_name2,
        @reverse_charge)
RETURNING id;

-- name: InsertInvoiceItem :exec
INSERT INTO invoice_items (invoice_id, type, rel_id, description, amount, taxed) VALUES ($1, $2, $3, $4, $5, $6);

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
INSERT INTO transactions (invoice_id, gateway, type, transaction_id, parent_id, amount, currency, paid_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (gateway, type, transaction_id) DO NOTHING
RETURNING id;

-- name: InvoicePaidAmount :one
SELECT coalesce(sum(amount), 0)::bigint FROM transactions WHERE invoice_id = $1;

-- name: SetInvoiceStatus :exec
UPDATE invoices SET status = @new_status WHERE order_id = @order_id AND status = @old_status;

-- name: GetTransaction :one
SELECT * FROM transactions WHERE gateway = $1 AND type = $2 AND transaction_id = $3;

-- name: RefundedAmount :one
-- What has been refunded of one payment so far, as a positive amount.
SELECT coalesce(-sum(amount), 0)::bigint FROM transactions
WHERE gateway = $1 AND type = 'refund' AND parent_id = $2;

-- name: SetInvoiceStatusByID :exec
UPDATE invoices SET status = @new_status WHERE id = @id;

-- name: InsertGatewayEvent :one
INSERT INTO gateway_events (gateway, event_id, type, invoice_id) VALUES ($1, $2, $3, $4)
ON CONFLICT DO NOTHING
RETURNING event_id;

-- name: PutGateway :exec
INSERT INTO gateways (name, secret) VALUES ($1, $2)
ON CONFLICT (name) DO UPDATE SET secret = excluded.secret, updated_at = now();

-- name: GetGatewaySecret :one
SELECT secret FROM gateways WHERE name = $1;

-- name: ListGateways :many
SELECT name, updated_at FROM gateways ORDER BY name;

-- name: CheckoutInvoice :one
-- An invoice as an online payment charges it, in one statement so that its total and its
-- ledger agree: what has been paid, its order's status, the client's email, and the
-- installation, which tells this database's invoices from another's on the same Stripe account.
SELECT i.id, i.order_id, i.status, i.currency, i.total,
       coalesce((SELECT sum(t.amount) FROM transactions t WHERE t.invoice_id = i.id), 0)::bigint AS paid,
       o.status AS order_status, c.email, (SELECT id FROM installation) AS installation
FROM invoices i
JOIN orders o ON o.id = i.order_id
JOIN clients c ON c.id = i.client_id
WHERE i.id = $1;

-- name: TakeCounter :one
-- Takes a counter's next number and moves it on by one. The UPDATE locks the row until the
-- transaction ends (as SELECT … FOR UPDATE would), so a concurrent taker waits for this
-- transaction and then reads the value it left: committed, the next number; rolled back, the
-- same one again. No two transactions share a number and none is skipped.
UPDATE counters SET value = value + 1 WHERE name = @name RETURNING (value - 1)::bigint AS taken;

-- name: GetCounter :one
SELECT value FROM counters WHERE name = @name;

-- name: RaiseCounter :one
-- Sets a counter's next number, never lower than it is (a number given must not come again);
-- answers the value it has after.
UPDATE counters SET value = greatest(value, @value::bigint) WHERE name = @name RETURNING value;

-- name: SetInvoiceNumber :exec
UPDATE invoices SET invoice_num = @invoice_num WHERE id = @id AND invoice_num = '';

-- name: InvoiceParties :one
-- Who an invoice's document names: its order's number and payment method, and its client.
SELECT o.order_number, o.payment_method, c.first_name, c.last_name, c.company_name, c.email, c.address1, c.address2,
       c.city, c.state, c.postcode, c.country, c.tax_id
FROM invoices i
JOIN orders o ON o.id = i.order_id
JOIN clients c ON c.id = i.client_id
WHERE i.id = @id;

-- name: ListPaymentMethodSettings :many
SELECT name, display_name, enabled FROM payment_methods ORDER BY name;

-- name: PutPaymentMethodSettings :exec
INSERT INTO payment_methods (name, display_name, enabled) VALUES (@name, @display_name, @enabled)
ON CONFLICT (name) DO UPDATE SET display_name = excluded.display_name, enabled = excluded.enabled, updated_at = now();
