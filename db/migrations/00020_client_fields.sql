-- +goose Up
-- What WHMCS's AddClient stores besides the address hostflow already kept: a second address
-- line, admin notes, the client's language, tax id, client group and marketing consent.
ALTER TABLE clients
    ADD COLUMN address2        text NOT NULL DEFAULT '',
    ADD COLUMN notes           text NOT NULL DEFAULT '',
    ADD COLUMN language        text NOT NULL DEFAULT '',
    ADD COLUMN tax_id          text NOT NULL DEFAULT '',
    ADD COLUMN group_id        bigint NOT NULL DEFAULT 0 CHECK (group_id >= 0),
    ADD COLUMN marketing_optin boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE clients DROP COLUMN marketing_optin, DROP COLUMN group_id, DROP COLUMN tax_id, DROP COLUMN language,
    DROP COLUMN notes, DROP COLUMN address2;
