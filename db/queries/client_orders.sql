-- A signed-in client's own orders (package ordering), for the client area: through
-- orders_client_id (client_id, id DESC), newest first.

-- name: ClientOrders :many
SELECT o.id, o.order_number, o.status, o.waiting_for, o.payment_method, o.currency, o.amount, o.created_at,
       coalesce(i.id, 0)::bigint AS invoice_id, coalesce(i.status, '')::text AS payment_status
FROM orders o
LEFT JOIN invoices i ON i.order_id = o.id
WHERE o.client_id = @client_id
ORDER BY o.id DESC
LIMIT @lim OFFSET @off;

-- name: ClientOrder :one
SELECT o.id, o.order_number, o.status, o.waiting_for, o.payment_method, o.currency, o.amount, o.created_at,
       coalesce(i.id, 0)::bigint AS invoice_id, coalesce(i.status, '')::text AS payment_status
FROM orders o
LEFT JOIN invoices i ON i.order_id = o.id
WHERE o.id = @id AND o.client_id = @client_id;
