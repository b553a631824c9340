-- +goose Up
-- Admin API keys and WHMCS credentials can be listed and revoked, and show when they were last
-- used (written at most once a minute per key). kind tells the key from HOSTFLOW_ADMIN_API_KEY
-- ('configured', replaced when the variable changes) from one generated at first start or made
-- through the API (kept until revoked); configured marks the WHMCS pair from the environment.
ALTER TABLE api_keys
    ADD COLUMN kind text NOT NULL DEFAULT 'created' CHECK (kind IN ('configured', 'generated', 'created')),
    ADD COLUMN last_used_at timestamptz;
UPDATE api_keys SET kind = 'configured' WHERE name = 'HOSTFLOW_ADMIN_API_KEY';
UPDATE api_keys SET kind = 'generated' WHERE name = 'generated';

ALTER TABLE api_credentials
    ADD COLUMN configured boolean NOT NULL DEFAULT false,
    ADD COLUMN last_used_at timestamptz;
UPDATE api_credentials SET configured = true WHERE description = 'environment';

-- Failed WHMCS API logins (wrong credentials or access key) per client address, shared by every
-- API process. Bounded: rows quiet for longer than the window are purged, and past a cap the
-- oldest rows that are not locked out go first, so a flood of addresses cannot clear a lockout.
CREATE TABLE login_failures (
    address        text PRIMARY KEY,
    failures       integer NOT NULL,
    last_failed_at timestamptz NOT NULL,
    locked_until   timestamptz
);
CREATE INDEX login_failures_last_failed_at ON login_failures (last_failed_at);

-- +goose Down
DROP TABLE login_failures;
ALTER TABLE api_credentials DROP COLUMN configured, DROP COLUMN last_used_at;
ALTER TABLE api_keys DROP COLUMN kind, DROP COLUMN last_used_at;
