-- +goose Up
-- Renewals run as activities of the order's workflow, guarded by the registrar's expiry date:
-- the claimed rows that made a renewal in a request exactly-once are no longer needed. What was
-- renewed stays on the order's audit trail.
DROP TABLE domain_renewals;

-- +goose Down
CREATE TABLE domain_renewals (
    id            bigserial PRIMARY KEY,
    domain_id     bigint NOT NULL REFERENCES order_domains (id) ON DELETE CASCADE,
    years         integer NOT NULL CHECK (years BETWEEN 1 AND 10),
    status        text NOT NULL CHECK (status IN ('requested', 'done', 'failed')),
    expiry_before date,
    expiry_after  date,
    error         text NOT NULL DEFAULT '',
    actor         text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX domain_renewals_one_open ON domain_renewals (domain_id) WHERE status = 'requested';
