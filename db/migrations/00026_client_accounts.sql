-- +goose Up
-- Clients sign in to the client area with their email and a password. The hash is argon2id,
-- made by the admins' code (package access); '' is no password: a client created without one
-- signs in only after a password reset, so nobody guesses a password that was never set.
ALTER TABLE clients ADD COLUMN password_hash text NOT NULL DEFAULT '';

-- A signed-in client's session, apart from the admins' (admin_sessions): a client's cookie
-- names a row here, so it can never open the console or the APIs, which read only theirs.
-- Only the SHA-256 of the cookie's random token is kept.
CREATE TABLE client_sessions (
    id_hash      bytea PRIMARY KEY,
    client_id    bigint NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    -- idle_expires_at moves on with each request; absolute_expires_at never does.
    idle_expires_at     timestamptz NOT NULL,
    absolute_expires_at timestamptz NOT NULL
);
CREATE INDEX client_sessions_client_id ON client_sessions (client_id);
CREATE INDEX client_sessions_idle_expires_at ON client_sessions (idle_expires_at);

-- A password reset link's token, by its SHA-256: single use, and dead after expires_at.
-- request_key is the email it went out in, so the activity that sends it, retried, replaces
-- the token it made rather than adding a second one.
CREATE TABLE client_password_resets (
    id_hash     bytea PRIMARY KEY,
    request_key text NOT NULL UNIQUE,
    client_id   bigint NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX client_password_resets_client_id ON client_password_resets (client_id);
CREATE INDEX client_password_resets_expires_at ON client_password_resets (expires_at);

-- +goose Down
DROP TABLE client_password_resets;
DROP TABLE client_sessions;
ALTER TABLE clients DROP COLUMN password_hash;
