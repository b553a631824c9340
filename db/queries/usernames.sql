-- name: HeldUsername :one
-- The name a service holds, on whichever server.
SELECT server_id, username FROM server_usernames WHERE service_id = @service_id::bigint;

-- name: ReleaseUsernames :exec
-- A service lets go of every name but the one it keeps (an empty username keeps none).
DELETE FROM server_usernames
WHERE service_id = @service_id::bigint AND NOT (server_id = @server_id AND username = @username);

-- name: FreeUsernames :many
-- Which candidates no one holds on the server now, in the order given. Only a hint of which to
-- try: ReserveUsername decides.
SELECT c.name::text AS username
FROM unnest(@candidates::text[]) WITH ORDINALITY AS c(name, n)
WHERE NOT EXISTS (SELECT 1 FROM server_usernames r WHERE r.server_id = @server_id AND r.username = c.name)
ORDER BY c.n;

-- name: ReserveUsername :one
-- Takes a generated name for a service if no one holds it; no row if someone does.
INSERT INTO server_usernames (server_id, username, service_id)
VALUES (@server_id, @username, @service_id::bigint)
ON CONFLICT (server_id, username) DO NOTHING
RETURNING username;

-- name: ReserveChosenUsername :one
-- Takes the admin's name for a service: free, held by no service (refused by the panel once,
-- which may have changed since), by this one, or by a service whose account is gone. No row if
-- another live service holds it.
INSERT INTO server_usernames AS r (server_id, username, service_id)
VALUES (@server_id, @username, @service_id::bigint)
ON CONFLICT (server_id, username) DO UPDATE SET service_id = EXCLUDED.service_id, refused = ''
WHERE r.service_id IS NULL OR r.service_id = EXCLUDED.service_id
   OR NOT EXISTS (SELECT 1 FROM order_services s WHERE s.id = r.service_id AND s.status IN ('Pending', 'Active', 'Suspended'))
RETURNING username;

-- name: RefuseUsername :exec
-- The panel refused a service's name as taken by someone outside hostflow: it stays reserved,
-- for no service, with the panel's words, so nobody picks it again.
INSERT INTO server_usernames AS r (server_id, username, refused)
VALUES (@server_id, @username, @refused)
ON CONFLICT (server_id, username) DO UPDATE SET service_id = NULL, refused = EXCLUDED.refused
WHERE r.service_id IS NULL OR r.service_id = @service_id::bigint;

-- name: ChooseUsername :exec
-- Records the admin's name for a service (nothing if the service is gone).
INSERT INTO chosen_usernames (service_id, username)
SELECT id, @username FROM order_services WHERE id = @service_id
ON CONFLICT (service_id) DO UPDATE SET username = EXCLUDED.username;

-- name: ChosenUsername :one
SELECT username FROM chosen_usernames WHERE service_id = $1;
