-- +goose Up
-- The outbox delivers each workflow's rows in commit order, one at a time: only a workflow's
-- oldest row may be sent, and a relay claims it with a lease (leased_until, lease_token) in a
-- short statement, signals outside any transaction, then deletes or defers it with its token.
-- A lease that ran out (its relay died) makes the row claimable again.
ALTER TABLE outbox
    ADD COLUMN leased_until timestamptz,
    ADD COLUMN lease_token  text;
CREATE INDEX outbox_workflow ON outbox (workflow_id, id);

-- Money a gateway captured that matches no invoice (unknown or deleted, or in another
-- currency), or a refund of a payment hostflow does not hold. The gateway is answered 200, so
-- it stops resending; the money stays here for an admin to see. One row per gateway
-- transaction, whichever of its events told it first; invoice_id is as the gateway gave it.
CREATE TABLE unmatched_payments (
    id             bigserial PRIMARY KEY,
    gateway        text NOT NULL,
    event_id       text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('payment', 'refund')),
    transaction_id text NOT NULL,
    parent_id      text NOT NULL DEFAULT '',
    invoice_id     bigint,
    amount         bigint NOT NULL,
    currency       text NOT NULL,
    reason         text NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (gateway, kind, transaction_id)
);

-- +goose Down
DROP TABLE unmatched_payments;
DROP INDEX outbox_workflow;
ALTER TABLE outbox DROP COLUMN lease_token, DROP COLUMN leased_until;
