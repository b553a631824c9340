-- name: ClientNotes :many
-- A client's notes, newest first.
SELECT * FROM client_notes WHERE client_id = $1 ORDER BY id DESC LIMIT $2;

-- name: AddClientNote :one
INSERT INTO client_notes (client_id, note, actor) VALUES (@client_id, @note, @actor) RETURNING *;

-- name: EditClientNote :one
UPDATE client_notes SET note = @note, updated_by = @actor, updated_at = now()
WHERE id = @id AND client_id = @client_id
RETURNING *;

-- name: DeleteClientNote :one
DELETE FROM client_notes WHERE id = @id AND client_id = @client_id RETURNING *;

-- name: AddClientLog :exec
INSERT INTO client_log (client_id, actor, action, detail) VALUES (@client_id, @actor, @action, @detail);

-- name: LockClient :one
SELECT * FROM clients WHERE id = $1 FOR UPDATE;

-- name: SetClientStatus :one
UPDATE clients SET status = @status WHERE id = @id RETURNING *;

-- name: ClientOpenOrders :many
-- A client's orders of a status, oldest first, with what they hold that is live: services whose
-- account may exist on a panel, and domains not closed.
SELECT o.id, o.order_number, o.status,
    (SELECT count(*) FROM order_services s WHERE s.order_id = o.id AND s.status IN ('Active', 'Suspended'))::bigint AS live_services,
    (SELECT count(*) FROM order_domains d WHERE d.order_id = o.id AND d.status IN ('Active', 'Pending Registration', 'Pending Transfer'))::bigint AS live_domains,
    coalesce((SELECT i.status FROM invoices i WHERE i.order_id = o.id), '')::text AS invoice_status
FROM orders o WHERE o.client_id = @client_id AND o.status = @status
ORDER BY o.id;

-- name: ClientActivity :many
-- A client's Log: their own log and their orders' audit trails, newest first.
SELECT a.source, a.id, a.order_id, a.order_number, a.actor, a.action, a.from_status, a.to_status, a.detail, a.created_at
FROM (
    SELECT 'client'::text AS source, l.id, 0::bigint AS order_id, 0::bigint AS order_number, l.actor, l.action,
        ''::text AS from_status, ''::text AS to_status, l.detail, l.created_at
    FROM client_log l WHERE l.client_id = @client_id
    UNION ALL
    SELECT 'order'::text, e.id, e.order_id, o.order_number, e.actor, e.action, e.from_status, e.to_status, e.detail, e.created_at
    FROM order_events e JOIN orders o ON o.id = e.order_id WHERE o.client_id = @client_id
) a
ORDER BY a.created_at DESC, a.source, a.id DESC
LIMIT @lim OFFSET @off;
