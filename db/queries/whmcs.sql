-- name: PutAPICredential :exec
INSERT INTO api_credentials (identifier, secret_hash, md5_hash, description, configured) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (identifier) DO UPDATE SET secret_hash = excluded.secret_hash, md5_hash = excluded.md5_hash, configured = excluded.configured;

-- name: GetAPICredential :one
SELECT * FROM api_credentials WHERE identifier = $1;

-- name: GetClientByEmail :one
SELECT * FROM clients WHERE lower(email) = lower($1);

-- name: PageOrders :many
-- Offset pages, newest first, as WHMCS's GetOrders gives them. The page's ids are found first,
-- in an index alone (a deep offset walks index entries, not joined rows), then read. The
-- columns are GetOrder's.
SELECT o.*, c.first_name, c.last_name, c.company_name, c.email,
       coalesce(i.id, 0)::bigint AS invoice_id, coalesce(i.status, '')::text AS payment_status
FROM (SELECT x.id FROM orders x
      WHERE (@id::bigint = 0 OR x.id = @id)
        AND (@client_id::bigint = 0 OR x.client_id = @client_id)
        AND (@status::text = '' OR x.status = @status)
      ORDER BY x.id DESC
      OFFSET @off LIMIT @lim) page
JOIN orders o ON o.id = page.id
JOIN clients c ON c.id = o.client_id
LEFT JOIN invoices i ON i.order_id = o.id
ORDER BY o.id DESC;

-- name: CountOrders :one
SELECT count(*) FROM orders o
WHERE (@id::bigint = 0 OR o.id = @id)
  AND (@client_id::bigint = 0 OR o.client_id = @client_id)
  AND (@status::text = '' OR o.status = @status);

-- name: ListTotal :one
-- The rows of a table (orders, invoices or clients), of one status unless status is empty,
-- from the counts the triggers keep.
SELECT coalesce(sum(n), 0)::bigint FROM list_counts WHERE tbl = @tbl AND (@status::text = '' OR status = @status);

-- name: OrderStatusCounts :many
SELECT status, sum(n)::bigint AS n FROM list_counts WHERE tbl = 'orders' GROUP BY status;

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

-- name: WHMCSFindClients :many
-- GetClients' search, as documented: the start of the email, first name, last name, full name
-- or company name (pattern, a LIKE pattern; a first name's start is its full name's). The
-- page's ids are found first, through the indexes, then read.
SELECT c.* FROM (
    SELECT k.id FROM clients k
    WHERE (@pattern::text = '' OR k.email ILIKE @pattern ESCAPE '\' OR k.last_name ILIKE @pattern ESCAPE '\'
           OR (k.first_name || ' ' || k.last_name) ILIKE @pattern ESCAPE '\' OR k.company_name ILIKE @pattern ESCAPE '\')
      AND (@status::text = '' OR k.status = @status)
    ORDER BY k.id
    OFFSET @off LIMIT @lim) page
JOIN clients c ON c.id = page.id
ORDER BY c.id;

-- name: WHMCSCountFoundClients :one
SELECT count(*) FROM clients k
WHERE (@pattern::text = '' OR k.email ILIKE @pattern ESCAPE '\' OR k.last_name ILIKE @pattern ESCAPE '\'
       OR (k.first_name || ' ' || k.last_name) ILIKE @pattern ESCAPE '\' OR k.company_name ILIKE @pattern ESCAPE '\')
  AND (@status::text = '' OR k.status = @status);

-- name: WHMCSSortInvoices :many
-- GetInvoices: status Overdue is Unpaid past its due date; sorted by @order_by (id, date,
-- duedate, total, status), descending unless @ascending. The page's ids are found first, then
-- read: sorted by id (the default) the page comes from an index alone, however deep. The
-- columns are WHMCSPageInvoices'.
SELECT i.*, coalesce((SELECT sum(t.amount) FROM transactions t WHERE t.invoice_id = i.id), 0)::bigint AS paid,
       c.first_name, c.last_name, c.company_name, coalesce(o.payment_method, '')::text AS payment_method
-- pos numbers the ids in the order of the inner query's ORDER BY (an array keeps its order),
-- which the page keeps.
FROM unnest(ARRAY(
      SELECT x.id FROM invoices x
      WHERE (@client_id::bigint = 0 OR x.client_id = @client_id)
        AND (@status::text = '' OR (@status = 'Overdue' AND x.status = 'Unpaid' AND x.due_at < now()) OR x.status = @status)
      ORDER BY
        CASE WHEN @ascending::bool THEN CASE @order_by::text WHEN 'date' THEN extract(epoch FROM x.created_at) WHEN 'duedate' THEN extract(epoch FROM x.due_at)
             WHEN 'total' THEN x.total::numeric ELSE NULL END END ASC,
        CASE WHEN NOT @ascending::bool THEN CASE @order_by::text WHEN 'date' THEN extract(epoch FROM x.created_at) WHEN 'duedate' THEN extract(epoch FROM x.due_at)
             WHEN 'total' THEN x.total::numeric ELSE NULL END END DESC,
        CASE WHEN @order_by::text = 'status' AND @ascending::bool THEN x.status END ASC,
        CASE WHEN @order_by::text = 'status' AND NOT @ascending::bool THEN x.status END DESC,
        CASE WHEN @ascending::bool THEN x.id END ASC,
        x.id DESC
      OFFSET @off LIMIT @lim)) WITH ORDINALITY AS page (id, pos)
JOIN invoices i ON i.id = page.id
JOIN clients c ON c.id = i.client_id
LEFT JOIN orders o ON o.id = i.order_id
ORDER BY page.pos;
