-- +goose Up
-- Sequential paid invoice numbers (WHMCS's "Sequential Paid Invoice Numbering"; reference/
-- money-and-customers.md §1.8): when the setting sequential_invoice_numbers is on, an invoice
-- takes the next number as it becomes Paid, in the transaction that pays it. The number comes
-- from a counter row locked in that transaction, so two payments at once never share one and
-- a payment rolled back gives its number back: the numbers have no gap.
CREATE TABLE counters (
    name  text PRIMARY KEY,
    value bigint NOT NULL CHECK (value >= 1) -- the next number to give
);
INSERT INTO counters (name, value) VALUES ('paid_invoice_number', 1);

-- The invoice's number as the format made it ({YEAR}-{NUMBER} → 2026-17); '' until it is given:
-- the invoice is then known by its id, as before.
ALTER TABLE invoices ADD COLUMN invoice_num text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE invoices DROP COLUMN invoice_num;
DROP TABLE counters;
