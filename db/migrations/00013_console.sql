-- +goose Up
-- The admin console's users and their server-side sessions. An admin's email is unique whatever
-- its case; the password is kept as an argon2id hash in PHC form. A session's id is a random
-- token in the admin's cookie; only its SHA-256 is stored, so a copy of the table opens nothing.
CREATE TABLE admins (
    id            bigserial PRIMARY KEY,
    email         text NOT NULL,
    name          text NOT NULL,
    password_hash text NOT NULL,
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX admins_email ON admins (lower(email));

CREATE TABLE admin_sessions (
    id_hash      bytea PRIMARY KEY,
    admin_id     bigint NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    -- idle_expires_at moves on with each request; absolute_expires_at never does.
    idle_expires_at     timestamptz NOT NULL,
    absolute_expires_at timestamptz NOT NULL
);
CREATE INDEX admin_sessions_admin_id ON admin_sessions (admin_id);
CREATE INDEX admin_sessions_idle_expires_at ON admin_sessions (idle_expires_at);

-- +goose Down
DROP TABLE admin_sessions;
DROP TABLE admins;
