-- +goose Up
-- Refunds are transactions too: a negative amount, so the sum of an invoice's transactions is
-- what the client has paid net. A gateway may reuse a payment's id for its refund, hence the
-- type in the unique key. parent_id is the payment a refund returns, where the gateway says.
ALTER TABLE transactions
    ADD COLUMN type text NOT NULL DEFAULT 'payment' CHECK (type IN ('payment', 'refund')),
    ADD COLUMN parent_id text NOT NULL DEFAULT '',
    ADD CONSTRAINT transactions_sign CHECK ((type = 'payment') = (amount > 0)),
    DROP CONSTRAINT transactions_gateway_transaction_id_key,
    ADD CONSTRAINT transactions_gateway_type_transaction_id_key UNIQUE (gateway, type, transaction_id);

-- Every gateway notification applied, by the gateway's own event id: a redelivery is a no-op.
CREATE TABLE gateway_events (
    gateway     text NOT NULL,
    event_id    text NOT NULL,
    type        text NOT NULL,
    invoice_id  bigint,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (gateway, event_id)
);

-- Webhook signing secrets set through the API (AES-GCM sealed); the environment can set them too.
CREATE TABLE gateways (
    name       text PRIMARY KEY,
    secret     bytea NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Workflow signals committed with the change they announce. A relay sends them and deletes
-- them, so a crash between the commit and the signal delays the signal instead of losing it.
CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    workflow_id     text NOT NULL,
    signal          text NOT NULL,
    payload         jsonb NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text NOT NULL DEFAULT '',
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id);

-- +goose Down
DROP TABLE outbox, gateways, gateway_events;
ALTER TABLE transactions
    DROP CONSTRAINT transactions_gateway_type_transaction_id_key,
    DROP CONSTRAINT transactions_sign,
    DROP COLUMN parent_id,
    DROP COLUMN type,
    ADD CONSTRAINT transactions_gateway_transaction_id_key UNIQUE (gateway, transaction_id);
