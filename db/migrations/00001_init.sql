-- +goose Up
-- Money is always integer minor units (cents) next to an ISO 4217 code: never float.

CREATE TABLE clients (
    id           bigserial PRIMARY KEY,
    first_name   text NOT NULL,
    last_name    text NOT NULL,
    company_name text NOT NULL DEFAULT '',
    email        text NOT NULL,
    address1     text NOT NULL DEFAULT '',
    city         text NOT NULL DEFAULT '',
    state        text NOT NULL DEFAULT '',
    postcode     text NOT NULL DEFAULT '',
    country      text NOT NULL DEFAULT '',
    phone        text NOT NULL DEFAULT '',
    currency     text NOT NULL DEFAULT 'USD',
    status       text NOT NULL DEFAULT 'Active' CHECK (status IN ('Active', 'Inactive', 'Closed')),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX clients_email_key ON clients (lower(email));

CREATE TABLE products (
    id            bigserial PRIMARY KEY,
    name          text NOT NULL,
    type          text NOT NULL CHECK (type IN ('hostingaccount', 'reselleraccount', 'server', 'other')),
    module        text NOT NULL DEFAULT 'none',
    auto_setup    text NOT NULL DEFAULT 'accept' CHECK (auto_setup IN ('order', 'payment', 'accept', 'never')),
    welcome_email boolean NOT NULL DEFAULT true,
    package_name  text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE product_prices (
    product_id    bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    currency      text NOT NULL,
    billing_cycle text NOT NULL CHECK (billing_cycle IN ('free', 'onetime', 'monthly', 'quarterly', 'semiannually', 'annually', 'biennially', 'triennially')),
    setup_fee     bigint NOT NULL DEFAULT 0 CHECK (setup_fee >= 0),
    price         bigint NOT NULL CHECK (price >= 0),
    PRIMARY KEY (product_id, currency, billing_cycle)
);

CREATE TABLE servers (
    id           bigserial PRIMARY KEY,
    name         text NOT NULL,
    module       text NOT NULL,
    hostname     text NOT NULL,
    username     text NOT NULL DEFAULT '',
    -- AES-GCM sealed API token or password (package secrets).
    credentials  bytea,
    max_accounts integer NOT NULL DEFAULT 0 CHECK (max_accounts >= 0),
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tlds (
    tld            text PRIMARY KEY CHECK (tld LIKE '.%'),
    currency       text NOT NULL DEFAULT 'USD',
    register_price bigint NOT NULL CHECK (register_price >= 0),
    transfer_price bigint NOT NULL CHECK (transfer_price >= 0),
    -- NULL: no auto-registration; the admin sends the domain to a registrar on Accept.
    auto_registrar text,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- The API takes an order id before the workflow exists, so that the workflow id (order-<id>)
-- and the row agree; a client's Idempotency-Key maps a retried request to the same id.
CREATE SEQUENCE orders_id_seq;
CREATE TABLE order_requests (
    idempotency_key text PRIMARY KEY,
    order_id        bigint NOT NULL DEFAULT nextval('orders_id_seq'),
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
    id             bigint PRIMARY KEY,
    order_number   bigint NOT NULL UNIQUE CHECK (order_number BETWEEN 1000000000 AND 9999999999),
    client_id      bigint NOT NULL REFERENCES clients (id),
    status         text NOT NULL CHECK (status IN ('Pending', 'Active', 'Cancelled', 'Fraud')),
    payment_method text NOT NULL,
    currency       text NOT NULL,
    amount         bigint NOT NULL CHECK (amount >= 0),
    client_ip      text NOT NULL DEFAULT '',
    promo_code     text NOT NULL DEFAULT '',
    notes          text NOT NULL DEFAULT '',
    fraud_module   text NOT NULL DEFAULT '',
    fraud_score    double precision,
    fraud_output   jsonb,
    waiting_for    text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_status_id ON orders (status, id DESC);
CREATE INDEX orders_client_id ON orders (client_id, id DESC);

CREATE TABLE order_services (
    id            bigserial PRIMARY KEY,
    order_id      bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position      integer NOT NULL,
    product_id    bigint NOT NULL REFERENCES products (id),
    domain        text NOT NULL DEFAULT '',
    billing_cycle text NOT NULL,
    setup_fee     bigint NOT NULL,
    amount        bigint NOT NULL,
    status        text NOT NULL CHECK (status IN ('Pending', 'Active', 'Suspended', 'Terminated', 'Cancelled', 'Fraud')),
    server_id     bigint REFERENCES servers (id),
    username      text NOT NULL DEFAULT '',
    password      bytea,
    last_error    text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (order_id, position)
);
CREATE INDEX order_services_server ON order_services (server_id) WHERE server_id IS NOT NULL;

CREATE TABLE order_domains (
    id          bigserial PRIMARY KEY,
    order_id    bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position    integer NOT NULL,
    domain      text NOT NULL,
    type        text NOT NULL CHECK (type IN ('register', 'transfer')),
    period      integer NOT NULL CHECK (period BETWEEN 1 AND 10),
    epp_code    bytea,
    nameservers text[] NOT NULL DEFAULT '{}',
    registrar   text NOT NULL DEFAULT '',
    amount      bigint NOT NULL,
    status      text NOT NULL CHECK (status IN ('Pending', 'Pending Registration', 'Pending Transfer', 'Active', 'Cancelled', 'Fraud')),
    last_error  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (order_id, position)
);

CREATE TABLE invoices (
    id         bigserial PRIMARY KEY,
    order_id   bigint NOT NULL UNIQUE REFERENCES orders (id) ON DELETE CASCADE,
    client_id  bigint NOT NULL REFERENCES clients (id),
    status     text NOT NULL CHECK (status IN ('Unpaid', 'Paid', 'Cancelled', 'Refunded')),
    currency   text NOT NULL,
    total      bigint NOT NULL CHECK (total >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    due_at     timestamptz NOT NULL DEFAULT now(),
    paid_at    timestamptz
);

CREATE TABLE invoice_items (
    id          bigserial PRIMARY KEY,
    invoice_id  bigint NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    type        text NOT NULL,
    rel_id      bigint NOT NULL,
    description text NOT NULL,
    amount      bigint NOT NULL
);
CREATE INDEX invoice_items_invoice ON invoice_items (invoice_id);

-- Transactions outlive a deleted invoice: the ledger, and the unique gateway id that makes a
-- redelivered payment a no-op, must not disappear with the order.
CREATE TABLE transactions (
    id             bigserial PRIMARY KEY,
    invoice_id     bigint REFERENCES invoices (id) ON DELETE SET NULL,
    gateway        text NOT NULL,
    transaction_id text NOT NULL,
    amount         bigint NOT NULL,
    currency       text NOT NULL,
    paid_at        timestamptz NOT NULL DEFAULT now(),
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (gateway, transaction_id)
);
CREATE INDEX transactions_invoice ON transactions (invoice_id);

-- Append-only audit trail. No foreign key: the trail of a deleted order stays.
-- key makes a retried activity's write a no-op.
CREATE TABLE order_events (
    id          bigserial PRIMARY KEY,
    order_id    bigint NOT NULL,
    key         text NOT NULL,
    actor       text NOT NULL,
    action      text NOT NULL,
    from_status text NOT NULL DEFAULT '',
    to_status   text NOT NULL DEFAULT '',
    detail      text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (order_id, key)
);

CREATE TABLE settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE api_keys (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL,
    key_hash   bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE api_keys, settings, order_events, transactions, invoice_items, invoices,
    order_domains, order_services, orders, order_requests, tlds, servers, product_prices,
    products, clients;
DROP SEQUENCE orders_id_seq;
