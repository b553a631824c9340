-- name: LockClientCredit :one
-- Serialises the writes that may take a client's credit down (Remove Credit, Apply Credit), so
-- that two of them never both spend the same balance. NO KEY UPDATE leaves inserts that only
-- reference the client (an overpayment's credit) free to go on.
SELECT id, currency FROM clients WHERE id = $1 FOR NO KEY UPDATE;

-- name: CreditBalance :one
SELECT coalesce(sum(amount), 0)::bigint FROM credits WHERE client_id = @client_id AND currency = @currency;

-- name: CreditBalances :many
-- A client's balance in each currency it has credit rows in.
SELECT currency, sum(amount)::bigint AS balance FROM credits WHERE client_id = $1 GROUP BY currency ORDER BY currency;

-- name: NextCreditID :one
-- A credit row's id taken before it is written, for the invoice ledger row that names it.
SELECT nextval(pg_get_serial_sequence('credits', 'id'))::bigint;

-- name: InsertCredit :one
-- A credit row, once per source: a retried write returns no row.
INSERT INTO credits (id, client_id, currency, amount, kind, description, invoice_id, source, actor)
VALUES (coalesce(sqlc.narg(id)::bigint, nextval(pg_get_serial_sequence('credits', 'id'))), @client_id, @currency, @amount, @kind,
        @description, sqlc.narg(invoice_id), @source, @actor)
ON CONFLICT (source) DO NOTHING
RETURNING id;

-- name: ListCredits :many
-- A client's credit log, newest first.
SELECT * FROM credits WHERE client_id = $1 ORDER BY id DESC LIMIT @lim;

-- name: InvoiceOverpaymentCredit :one
-- What an invoice's overpayments put in its client's credit and is not yet taken back.
SELECT coalesce(sum(amount), 0)::bigint FROM credits WHERE invoice_id = $1 AND kind = 'overpayment';

-- name: PaymentOverpaymentCredit :one
-- What one payment's overpayment moved to credit (its ledger rows overpayment-<id>).
SELECT coalesce(-sum(amount), 0)::bigint FROM transactions
WHERE invoice_id = @invoice_id AND gateway = 'credit' AND type = 'refund' AND parent_id = @payment_id
  AND transaction_id LIKE 'overpayment-%';
