-- +goose Up
-- An invoice whose VAT was reverse charged (package tax: a business in another EU member state
-- than the seller's, with a valid VAT number) says so, as it was written: the note is printed
-- from this flag, never decided again when the invoice is read, as the client's VAT number or
-- the seller's country may change after.
ALTER TABLE invoices ADD COLUMN reverse_charge boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE invoices DROP COLUMN reverse_charge;
