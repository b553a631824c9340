-- +goose Up
-- The admins' notes about a client (WHMCS's client Notes tab): many a client, each dated and
-- signed, editable. clients.notes stays the one profile note AddClient takes.
CREATE TABLE client_notes (
    id         bigserial PRIMARY KEY,
    client_id  bigint NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    note       text NOT NULL CHECK (note <> ''),
    actor      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- Who changed it last; '' while never edited.
    updated_by text NOT NULL DEFAULT ''
);
CREATE INDEX client_notes_client ON client_notes (client_id, id DESC);

-- What was done to a client itself (details edited, closed, notes), written in the transaction
-- of the change; what was done to their orders is on order_events. Together they are the
-- client's Log tab. Append-only.
CREATE TABLE client_log (
    id         bigserial PRIMARY KEY,
    client_id  bigint NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    actor      text NOT NULL,
    action     text NOT NULL,
    detail     text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX client_log_client ON client_log (client_id, created_at DESC, id DESC);

-- +goose Down
DROP TABLE client_log, client_notes;
