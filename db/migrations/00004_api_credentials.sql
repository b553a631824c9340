-- +goose Up
-- WHMCS API credentials (identifier + secret). The secret is kept only as hashes: of itself,
-- and of its MD5, because legacy WHMCS clients send md5(secret) as the password.
CREATE TABLE api_credentials (
    identifier  text PRIMARY KEY,
    secret_hash bytea NOT NULL,
    md5_hash    bytea NOT NULL,
    description text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE api_credentials;
