-- +goose Up
-- The currencies in use, each with the id WHMCS's API knows it by (GetCurrencies, AddClient's
-- currency, GetClientsDetails). Until now an id was a currency's position in a list worked out
-- from the catalogue and the clients, which a new currency could shift under an integration
-- that kept ids, and which cost a scan of every client. The rows are added in that list's order
-- (the default, USD, first; then by code), so the ids integrations hold stay what they were.
CREATE TABLE currencies (
    id   serial PRIMARY KEY,
    code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z]{3}$')
);
INSERT INTO currencies (code) VALUES ('USD');
INSERT INTO currencies (code)
SELECT code FROM (SELECT currency AS code FROM product_prices UNION SELECT currency FROM tlds UNION SELECT currency FROM clients) used
WHERE code <> 'USD' AND code ~ '^[A-Z]{3}$'
ORDER BY code;

-- +goose Down
DROP TABLE currencies;
