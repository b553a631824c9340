-- +goose Up
-- The console's email log shows each email as sent, and can send one again (Resend).
-- html_body is the HTML part as sent, but for the keys it carried (as body is the text's), ''
-- for a text-only email: an operator's template may define one (package email).
-- resend_of is the email a Resend copied (NULL for an email sent for an event), resent_by who
-- asked for it ('admin:<email>'): a client's account emails belong to no order, so the order's
-- audit trail cannot be the only record of who sent one again.
ALTER TABLE emails ADD COLUMN html_body text NOT NULL DEFAULT '', ADD COLUMN resend_of bigint,
    ADD COLUMN resent_by text NOT NULL DEFAULT '';
-- An order's emails are read newest first, as a client's are (00027's emails_client), by id.
CREATE INDEX emails_order_id ON emails (order_id, id DESC);
DROP INDEX emails_order;

-- +goose Down
CREATE INDEX emails_order ON emails (order_id);
DROP INDEX emails_order_id;
ALTER TABLE emails DROP COLUMN resent_by, DROP COLUMN resend_of, DROP COLUMN html_body;
