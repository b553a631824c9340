-- +goose Up
-- Taxes as WHMCS keeps them (tbltax; reference/money-and-customers.md §1): two levels of rules,
-- each for a country ('' = any) and a state of it ('' = any), a rate in percent with three
-- decimals. Package tax chooses and computes; these only keep.
CREATE TABLE tax_rules (
    id         bigserial PRIMARY KEY,
    level      smallint NOT NULL CHECK (level IN (1, 2)),
    name       text NOT NULL CHECK (name <> ''),
    country    text NOT NULL DEFAULT '' CHECK (country = '' OR country ~ '^[A-Z]{2}$'),
    state      text NOT NULL DEFAULT '' CHECK (state = '' OR country <> ''),
    rate       numeric(6,3) NOT NULL CHECK (rate >= 0 AND rate <= 100),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- A product is untaxed unless ticked (WHMCS's Apply Tax); a client pays tax unless exempt.
-- tax_id (the client's VAT number) is kept since 00020.
ALTER TABLE products ADD COLUMN taxable boolean NOT NULL DEFAULT false;
ALTER TABLE clients ADD COLUMN tax_exempt boolean NOT NULL DEFAULT false;

-- An invoice keeps the tax it was written with: its subtotal before tax, each level's amount,
-- rate and name (a row shows on the invoice only when its name is set). The defaults read every
-- earlier invoice as untaxed: subtotal = total. The UPDATE rewrites each invoice row once.
ALTER TABLE invoices
    ADD COLUMN subtotal  bigint NOT NULL DEFAULT 0,
    ADD COLUMN tax       bigint NOT NULL DEFAULT 0,
    ADD COLUMN tax2      bigint NOT NULL DEFAULT 0,
    ADD COLUMN tax_rate  numeric(6,3) NOT NULL DEFAULT 0 CHECK (tax_rate >= 0 AND tax_rate <= 100),
    ADD COLUMN tax_rate2 numeric(6,3) NOT NULL DEFAULT 0 CHECK (tax_rate2 >= 0 AND tax_rate2 <= 100),
    ADD COLUMN tax_name  text NOT NULL DEFAULT '',
    ADD COLUMN tax_name2 text NOT NULL DEFAULT '';
UPDATE invoices SET subtotal = total;

-- Whether a line was taxed (WHMCS's items.item[].taxed).
ALTER TABLE invoice_items ADD COLUMN taxed boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE invoice_items DROP COLUMN taxed;
ALTER TABLE invoices DROP COLUMN tax_name2, DROP COLUMN tax_name, DROP COLUMN tax_rate2, DROP COLUMN tax_rate,
    DROP COLUMN tax2, DROP COLUMN tax, DROP COLUMN subtotal;
ALTER TABLE clients DROP COLUMN tax_exempt;
ALTER TABLE products DROP COLUMN taxable;
DROP TABLE tax_rules;
