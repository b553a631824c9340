-- name: PutAPICredential :exec
INSERT INTO api_credentials (identifier, secret_hash, md5_hash, description, configured) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (identifier) DO UPDATE SET secret_hash = excluded.secret_hash, md5_hash = excluded.md5_hash, configured = excluded.configured;

-- name: GetAPICredential :one
SELECT * FROM api_credentials WHERE identifier = $1;

-- name: GetClientByEmail :one
SELECT * FROM clients WHERE lower(email) = lower($1);

-- name: PageOrders :many
-- Offset pages, newest first, as WHMCS's GetOrders gives them. The columns are GetOrder's.
SELECT o.*, c.first_name, c.last_name, c.company_name, c.email,
       coalesce(i.id, 0)::bigint AS invoice_id, coalesce(i.status, '')::text AS payment_status
FROM orders o
JOIN clients c ON c.id = o.client_id
LEFT JOIN invoices i ON i.order_id = o.id
WHERE (@id::bigint = 0 OR o.id = @id)
  AND (@client_id::bigint = 0 OR o.client_id = @client_id)
  AND (@status::text = '' OR o.status = @status)
ORDER BY o.id DESC
OFFSET @off LIMIT @lim;

-- name: CountOrders :one
SELECT count(*) FROM orders o
WHERE (@id::bigint = 0 OR o.id = @id)
  AND (@client_id::bigint = 0 OR o.client_id = @client_id)
  AND (@status::text = '' OR o.status = @status);

-- name: OrderStatusCounts :many
SELECT status, count(*) AS n FROM orders GROUP BY status;

-- name: ListOrdersServices :many
-- The columns are ListServices'.
SELECT s.*, p.name AS product_name, p.module, p.auto_setup, p.welcome_email, p.type AS product_type
FROM order_services s JOIN products p ON p.id = s.product_id
WHERE s.order_id = ANY(@order_ids::bigint[]) ORDER BY s.order_id, s.position;

-- name: ListOrdersDomains :many
SELECT * FROM order_domains WHERE order_id = ANY(@order_ids::bigint[]) ORDER BY order_id, position;

-- name: GetServiceOrder :one
SELECT order_id FROM order_services WHERE id = $1;

-- name: GetDomainOrder :one
SELECT order_id FROM order_domains WHERE id = $1;

-- name: GetDomainByName :one
SELECT * FROM order_domains WHERE domain = lower($1) ORDER BY id DESC LIMIT 1;
