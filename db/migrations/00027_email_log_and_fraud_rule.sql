-- +goose Up
-- Every email hostflow sends is kept as it was sent, so that the console and the client area
-- can show it: its text, and the client it went to (NULL for an email to staff, such as the
-- New Order Notification, which belongs to the order but not to the client's mailbox).
ALTER TABLE emails ADD COLUMN client_id bigint, ADD COLUMN body text NOT NULL DEFAULT '';
CREATE INDEX emails_client ON emails (client_id, created_at DESC) WHERE client_id IS NOT NULL;

-- Which fraud rule applied when the order was placed (checked: a client-area order with the
-- client's address; skipped: placed by staff, by the caller's choice, or a returning client),
-- in words the order page shows. '' for orders placed before it was kept.
ALTER TABLE orders ADD COLUMN fraud_rule text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE orders DROP COLUMN fraud_rule;
DROP INDEX emails_client;
ALTER TABLE emails DROP COLUMN body, DROP COLUMN client_id;
