-- +goose Up
-- A refund sent through a gateway, from the moment it is asked for until the gateway answers
-- and the ledger holds it. Its id is the gateway's idempotency key, so a retried or crashed
-- refund is sent once; while it is pending, its amount is no longer refundable (two admins at
-- once: one wins), and a gateway's own report of it (Stripe's charge.refunded) is recognised as
-- this refund rather than recorded twice. The ledger row is written with status succeeded, in
-- one transaction.
CREATE TABLE refunds (
    id               bigserial PRIMARY KEY,
    invoice_id       bigint NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    -- The refunded payment: its gateway and transaction id as the ledger holds them.
    gateway          text NOT NULL,
    payment_id       text NOT NULL,
    amount           bigint NOT NULL CHECK (amount > 0),
    currency         text NOT NULL,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
    -- The gateway's id of the refund (Stripe's re_…), once it answered.
    gateway_refund_id text NOT NULL DEFAULT '',
    error            text NOT NULL DEFAULT '',
    -- Who asked, and the request's key: the same request twice reserves one refund.
    actor            text NOT NULL,
    request_key      text NOT NULL UNIQUE,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refunds_pending ON refunds (gateway, payment_id) WHERE status = 'pending';
CREATE INDEX refunds_invoice ON refunds (invoice_id);
-- A payment's refunds are found by their parent.
CREATE INDEX transactions_parent ON transactions (parent_id) WHERE type = 'refund';

-- +goose Down
DROP INDEX transactions_parent;
DROP TABLE refunds;
