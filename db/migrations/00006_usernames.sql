-- +goose Up
-- Usernames reserved per server. The unique key decides which service gets a name: an order
-- takes the first candidate its INSERT wins, never a name it merely checked was free, so
-- concurrent orders on one server never pick the same one. A service holds at most one name
-- (service_id); one the panel refused as taken by someone outside hostflow stays reserved for
-- no service, with the panel's words, so nobody picks it again.
CREATE TABLE server_usernames (
    server_id  bigint NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
    username   text NOT NULL,
    service_id bigint UNIQUE REFERENCES order_services (id) ON DELETE CASCADE,
    refused    text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (server_id, username)
);

-- The accounts already there. Where two services share a name on a server (concurrent orders
-- did that before), the one most likely to own the account keeps it: Active or Suspended, then
-- Pending, then the oldest; the other chooses a new name at its next create.
INSERT INTO server_usernames (server_id, username, service_id)
SELECT DISTINCT ON (server_id, username) server_id, username, id
FROM order_services
WHERE server_id IS NOT NULL AND username <> ''
ORDER BY server_id, username, CASE status WHEN 'Active' THEN 0 WHEN 'Suspended' THEN 0 WHEN 'Pending' THEN 1 ELSE 2 END, id;

-- The username an admin chose for a service on Accept: it is never replaced by another, and a
-- Retry (which carries no name) asks for it again.
CREATE TABLE chosen_usernames (
    service_id bigint PRIMARY KEY REFERENCES order_services (id) ON DELETE CASCADE,
    username   text NOT NULL
);

-- +goose Down
DROP TABLE chosen_usernames;
DROP TABLE server_usernames;
