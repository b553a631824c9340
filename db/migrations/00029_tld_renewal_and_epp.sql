-- +goose Up
-- Domain Pricing in the console: a TLD's renewal price (per year, in the TLD's currency, as its
-- registration and transfer prices are) and WHMCS's "EPP Code" setting, whether a transfer of
-- the TLD needs the domain's EPP code. A TLD sold before renews at its registration price and
-- asks for the code, as hostflow did until now.
ALTER TABLE tlds ADD COLUMN renew_price bigint, ADD COLUMN epp_required boolean NOT NULL DEFAULT true;
UPDATE tlds SET renew_price = register_price;
ALTER TABLE tlds ALTER COLUMN renew_price SET NOT NULL, ADD CONSTRAINT tlds_renew_price_check CHECK (renew_price >= 0);

-- +goose Down
ALTER TABLE tlds DROP COLUMN epp_required, DROP COLUMN renew_price;
