-- +goose Up
-- Every email hostflow sends is kept, so that the client area (and next the console) can show it:
-- its text as sent but for the keys it carried (a hosting password, a reset link: email.Data's
-- Kept), and the client it went to (NULL for an email to staff, such as the New Order
-- Notification, which belongs to the order but not to the client's mailbox).
-- id is an email's short number for the client area's address (/client/emails/{id}); key
-- names the event it is for. A client's emails are read newest first through emails_client by
-- id, not created_at: the emails of one batch share created_at (their transaction's time), and
-- pages must not shuffle them.
ALTER TABLE emails ADD COLUMN client_id bigint, ADD COLUMN body text NOT NULL DEFAULT '', ADD COLUMN id bigserial NOT NULL;
CREATE UNIQUE INDEX emails_id ON emails (id);
CREATE INDEX emails_client ON emails (client_id, id DESC) WHERE client_id IS NOT NULL;
-- The emails sent before were all to clients (staff got none): an order's to its client, the
-- others (Client Signup, Password Reset) to the client of their address. Their text was not
-- kept; the client area says so. (Adding id rewrites the table under its lock: an upgrade of a
-- large installation holds the sending of emails for that long.)
UPDATE emails e SET client_id = o.client_id FROM orders o WHERE o.id = e.order_id AND e.order_id <> 0;
UPDATE emails e SET client_id = c.id FROM clients c WHERE e.order_id = 0 AND lower(c.email) = lower(e.recipient);

-- Which fraud rule applied when the order was placed (checked: a client-area order with the
-- client's address; skipped: placed by staff, by the caller's choice, or a returning client),
-- in words the order page shows. '' for orders placed before it was kept.
ALTER TABLE orders ADD COLUMN fraud_rule text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE orders DROP COLUMN fraud_rule;
DROP INDEX emails_client;
DROP INDEX emails_id;
ALTER TABLE emails DROP COLUMN id, DROP COLUMN body, DROP COLUMN client_id;
