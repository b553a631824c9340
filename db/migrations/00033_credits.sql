-- +goose Up
-- A client's credit balance, per currency, as a ledger: each row moves it once (an overpayment
-- kept, a refund to credit, an admin's Add or Remove Credit, credit applied to an invoice), and
-- the balance is their sum, read under the client's row lock. No stored total is ever updated.
-- source is what wrote the row (the payment's ledger position, the request), unique, so that a
-- retried write is recorded once.
CREATE TABLE credits (
    id          bigserial PRIMARY KEY,
    client_id   bigint NOT NULL REFERENCES clients (id),
    currency    text NOT NULL,
    amount      bigint NOT NULL CHECK (amount <> 0),
    kind        text NOT NULL CHECK (kind IN ('overpayment', 'refund', 'admin', 'applied')),
    description text NOT NULL DEFAULT '',
    invoice_id  bigint REFERENCES invoices (id) ON DELETE SET NULL,
    source      text NOT NULL UNIQUE,
    actor       text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- The balance is an index-only sum of one client's rows in one currency.
CREATE INDEX credits_client ON credits (client_id, currency) INCLUDE (amount);
-- A refund reads what the invoice's overpayments put in credit (takeBackOverpayment).
CREATE INDEX credits_invoice ON credits (invoice_id) WHERE invoice_id IS NOT NULL;

-- +goose Down
DROP TABLE credits;
