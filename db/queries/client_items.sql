-- A signed-in client's own services and domains (package items), for the client area. Every
-- query names the client: another client's item is no row, as an unknown id is. Services and
-- domains hang off orders, so each walks orders_client_id (client_id, id DESC) and reaches the
-- items through their (order_id, position) keys: a page costs the client's own rows, whatever
-- the size of the tables.

-- name: ClientServices :many
-- A page of a client's services, newest order first; status '' for every status.
SELECT s.id, s.order_id, s.domain, s.billing_cycle, s.setup_fee, s.amount, s.status, s.username, s.next_due_date,
       s.created_at, o.order_number, o.currency, o.payment_method, p.name AS product_name, p.type AS product_type,
       coalesce(sv.hostname, '')::text AS server_hostname
FROM orders o
JOIN order_services s ON s.order_id = o.id
JOIN products p ON p.id = s.product_id
LEFT JOIN servers sv ON sv.id = s.server_id
WHERE o.client_id = @client_id
  AND (@status::text = '' OR s.status = @status::text)
ORDER BY o.id DESC, s.position
LIMIT @lim OFFSET @off;

-- name: ClientService :one
SELECT s.id, s.order_id, s.domain, s.billing_cycle, s.setup_fee, s.amount, s.status, s.username, s.next_due_date,
       s.created_at, o.order_number, o.currency, o.payment_method, p.name AS product_name, p.type AS product_type,
       coalesce(sv.hostname, '')::text AS server_hostname
FROM order_services s
JOIN orders o ON o.id = s.order_id
JOIN products p ON p.id = s.product_id
LEFT JOIN servers sv ON sv.id = s.server_id
WHERE s.id = @id AND o.client_id = @client_id;

-- name: ClientDomains :many
-- A page of a client's domains, newest order first; status '' for every status.
SELECT d.id, d.order_id, d.domain, d.type, d.period, d.amount, d.status, d.nameservers, d.created_at, d.expiry_date,
       d.next_due_date, d.do_not_renew, o.order_number, o.currency
FROM orders o
JOIN order_domains d ON d.order_id = o.id
WHERE o.client_id = @client_id
  AND (@status::text = '' OR d.status = @status::text)
ORDER BY o.id DESC, d.position
LIMIT @lim OFFSET @off;

-- name: ClientDomain :one
SELECT d.id, d.order_id, d.domain, d.type, d.period, d.amount, d.status, d.nameservers, d.created_at, d.expiry_date,
       d.next_due_date, d.do_not_renew, o.order_number, o.currency
FROM order_domains d
JOIN orders o ON o.id = d.order_id
WHERE d.id = @id AND o.client_id = @client_id;

-- name: ClientItemCounts :one
-- How many services and domains a client has Active, for the client area's home.
SELECT (SELECT count(*) FROM orders o JOIN order_services s ON s.order_id = o.id
        WHERE o.client_id = @client_id AND s.status = 'Active')::bigint AS active_services,
       (SELECT count(*) FROM orders o JOIN order_domains d ON d.order_id = o.id
        WHERE o.client_id = @client_id AND d.status = 'Active')::bigint AS active_domains;
