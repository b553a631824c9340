-- The WHMCS API's own read models (package whmcs/reads reads them itself, in whmcs/reads/reads.go and
-- whmcs/reads/invoices.go): GetOrders, GetInvoices, GetTransactions, GetClientsProducts,
-- GetClientsDomains, GetModuleQueue and GetClientsDetails' stats. No other package reads them.

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

-- name: ListOrdersServices :many
-- The columns are ListServices'.
SELECT s.*, p.name AS product_name, p.module, p.auto_setup, p.welcome_email, p.type AS product_type
FROM order_services s JOIN products p ON p.id = s.product_id
WHERE s.order_id = ANY(@order_ids::bigint[]) ORDER BY s.order_id, s.position;

-- name: ListOrdersDomains :many
SELECT * FROM order_domains WHERE order_id = ANY(@order_ids::bigint[]) ORDER BY order_id, position;

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

-- name: WHMCSCountInvoices :one
SELECT count(*) FROM invoices i
WHERE (@client_id::bigint = 0 OR i.client_id = @client_id)
  AND (@status::text = '' OR (@status = 'Overdue' AND i.status = 'Unpaid' AND i.due_at < now()) OR i.status = @status);

-- name: WHMCSInvoicePaymentMethod :one
SELECT coalesce(o.payment_method, '')::text FROM invoices i LEFT JOIN orders o ON o.id = i.order_id WHERE i.id = $1;

-- name: WHMCSClientServices :many
-- GetClientsProducts: a client's services (or one service, product or domain), oldest first.
SELECT s.*, o.order_number, o.payment_method, o.currency, o.client_id, p.name AS product_name,
       coalesce(sv.name, '')::text AS server_name, coalesce(sv.hostname, '')::text AS server_hostname
FROM order_services s
JOIN orders o ON o.id = s.order_id
JOIN products p ON p.id = s.product_id
LEFT JOIN servers sv ON sv.id = s.server_id
WHERE (@client_id::bigint = 0 OR o.client_id = @client_id)
  AND (@service_id::bigint = 0 OR s.id = @service_id)
  AND (@product_id::bigint = 0 OR s.product_id = @product_id)
  AND (@domain::text = '' OR s.domain = lower(@domain))
ORDER BY s.id
OFFSET @off LIMIT @lim;

-- name: WHMCSCountClientServices :one
SELECT count(*) FROM order_services s JOIN orders o ON o.id = s.order_id
WHERE (@client_id::bigint = 0 OR o.client_id = @client_id)
  AND (@service_id::bigint = 0 OR s.id = @service_id)
  AND (@product_id::bigint = 0 OR s.product_id = @product_id)
  AND (@domain::text = '' OR s.domain = lower(@domain));

-- name: WHMCSClientDomains :many
-- GetClientsDomains: a client's domains (or one), oldest first.
SELECT d.*, o.payment_method, o.currency, o.client_id
FROM order_domains d JOIN orders o ON o.id = d.order_id
WHERE (@client_id::bigint = 0 OR o.client_id = @client_id)
  AND (@domain_id::bigint = 0 OR d.id = @domain_id)
  AND (@domain::text = '' OR d.domain = lower(@domain))
ORDER BY d.id
OFFSET @off LIMIT @lim;

-- name: WHMCSCountClientDomains :one
SELECT count(*) FROM order_domains d JOIN orders o ON o.id = d.order_id
WHERE (@client_id::bigint = 0 OR o.client_id = @client_id)
  AND (@domain_id::bigint = 0 OR d.id = @domain_id)
  AND (@domain::text = '' OR d.domain = lower(@domain));

-- name: WHMCSTransactions :many
-- GetTransactions: by invoice, client or gateway transaction id, oldest first.
SELECT t.*, coalesce(i.client_id, 0)::bigint AS client_id
FROM transactions t LEFT JOIN invoices i ON i.id = t.invoice_id
WHERE (@invoice_id::bigint = 0 OR t.invoice_id = @invoice_id)
  AND (@client_id::bigint = 0 OR i.client_id = @client_id)
  AND (@transaction_id::text = '' OR t.transaction_id = @transaction_id)
ORDER BY t.id
LIMIT 10000;

-- name: WHMCSModuleQueue :many
-- GetModuleQueue: the failed steps of orders waiting for an admin's Retry or Skip.
SELECT 'service'::text AS kind, s.id, p.module AS module, s.last_error, s.created_at, s.updated_at
FROM order_services s JOIN orders o ON o.id = s.order_id JOIN products p ON p.id = s.product_id
WHERE o.waiting_for = 'provisioning-failed' AND s.last_error <> ''
UNION ALL
SELECT 'domain'::text, d.id, d.registrar, d.last_error, d.created_at, d.updated_at
FROM order_domains d JOIN orders o ON o.id = d.order_id
WHERE o.waiting_for = 'provisioning-failed' AND d.last_error <> ''
ORDER BY 5, 2;

-- name: WHMCSClientInvoiceStats :one
-- GetClientsDetails' stats of a client's invoices: counts and sums by status, a balance being
-- what its payments leave to pay; Overdue is Unpaid past its due date.
WITH inv AS (
    SELECT i.status, i.total, i.due_at,
           i.total - coalesce((SELECT sum(t.amount) FROM transactions t WHERE t.invoice_id = i.id), 0) AS balance
    FROM invoices i WHERE i.client_id = @client_id
)
SELECT count(*) FILTER (WHERE status = 'Unpaid')::bigint AS unpaid_count,
       coalesce(sum(balance) FILTER (WHERE status = 'Unpaid'), 0)::bigint AS unpaid_balance,
       count(*) FILTER (WHERE status = 'Unpaid' AND due_at < now())::bigint AS overdue_count,
       coalesce(sum(balance) FILTER (WHERE status = 'Unpaid' AND due_at < now()), 0)::bigint AS overdue_balance,
       count(*) FILTER (WHERE status = 'Paid')::bigint AS paid_count,
       coalesce(sum(total) FILTER (WHERE status = 'Paid'), 0)::bigint AS paid_total,
       count(*) FILTER (WHERE status = 'Cancelled')::bigint AS cancelled_count,
       coalesce(sum(total) FILTER (WHERE status = 'Cancelled'), 0)::bigint AS cancelled_total,
       count(*) FILTER (WHERE status = 'Refunded')::bigint AS refunded_count,
       coalesce(sum(total) FILTER (WHERE status = 'Refunded'), 0)::bigint AS refunded_total,
       coalesce((SELECT sum(t.amount) FROM transactions t JOIN invoices i ON i.id = t.invoice_id WHERE i.client_id = @client_id), 0)::bigint AS income
FROM inv;

-- name: WHMCSClientItemStats :many
-- GetClientsDetails' stats of a client's services (by product type and status) and domains.
SELECT p.type::text AS kind, s.status::text AS status, count(*)::bigint AS n
FROM order_services s JOIN orders o ON o.id = s.order_id JOIN products p ON p.id = s.product_id
WHERE o.client_id = @client_id GROUP BY 1, 2
UNION ALL
SELECT 'domain', d.status, count(*)
FROM order_domains d JOIN orders o ON o.id = d.order_id
WHERE o.client_id = @client_id GROUP BY 1, 2;
