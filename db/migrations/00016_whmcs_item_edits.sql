-- +goose Up
-- What WHMCS's UpdateClientProduct and UpdateClientDomain edit besides the lifecycle (which the
-- order's workflow writes), and the renewals DomainRenew buys at a registrar.

ALTER TABLE order_services
    ADD COLUMN notes         text NOT NULL DEFAULT '',
    ADD COLUMN next_due_date date,
    -- AddOrder's server fields (VPS and dedicated): the root password sealed (package secrets).
    ADD COLUMN hostname      text NOT NULL DEFAULT '',
    ADD COLUMN root_password bytea,
    ADD COLUMN ns1_prefix    text NOT NULL DEFAULT '',
    ADD COLUMN ns2_prefix    text NOT NULL DEFAULT '';

-- AddOrder's affid: the affiliate who referred the order (0: none).
ALTER TABLE orders ADD COLUMN affiliate_id bigint NOT NULL DEFAULT 0 CHECK (affiliate_id >= 0);

ALTER TABLE order_domains
    ADD COLUMN notes            text NOT NULL DEFAULT '',
    ADD COLUMN next_due_date    date,
    ADD COLUMN expiry_date      date,
    ADD COLUMN dns_management   boolean NOT NULL DEFAULT false,
    ADD COLUMN email_forwarding boolean NOT NULL DEFAULT false,
    ADD COLUMN id_protection    boolean NOT NULL DEFAULT false,
    ADD COLUMN do_not_renew     boolean NOT NULL DEFAULT false;

-- A renewal spends money at the registrar, whose API has no idempotency key. The row is
-- claimed (requested) before the call, so at most one renewal of a domain is ever in flight;
-- a requested row left by a call whose answer was lost is settled by the registrar's expiry
-- date (moved past expiry_before: it went through) before anything is bought again.
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

-- +goose Down
DROP TABLE domain_renewals;
ALTER TABLE order_domains
    DROP COLUMN do_not_renew, DROP COLUMN id_protection, DROP COLUMN email_forwarding, DROP COLUMN dns_management,
    DROP COLUMN expiry_date, DROP COLUMN next_due_date, DROP COLUMN notes;
ALTER TABLE orders DROP COLUMN affiliate_id;
ALTER TABLE order_services DROP COLUMN ns2_prefix, DROP COLUMN ns1_prefix, DROP COLUMN root_password, DROP COLUMN hostname,
    DROP COLUMN next_due_date, DROP COLUMN notes;
