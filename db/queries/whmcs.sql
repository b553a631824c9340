-- name: PutAPICredential :exec
INSERT INTO api_credentials (identifier, secret_hash, md5_hash, description, configured) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (identifier) DO UPDATE SET secret_hash = excluded.secret_hash, md5_hash = excluded.md5_hash, configured = excluded.configured;

-- name: GetAPICredential :one
SELECT * FROM api_credentials WHERE identifier = $1;

-- name: GetClientByEmail :one
SELECT * FROM clients WHERE lower(email) = lower($1);

-- name: ListTotal :one
-- The rows of a table (orders, invoices or clients), of one status unless status is empty,
-- from the counts the triggers keep.
SELECT coalesce(sum(n), 0)::bigint FROM list_counts WHERE tbl = @tbl AND (@status::text = '' OR status = @status);

-- name: OrderStatusCounts :many
SELECT status, sum(n)::bigint AS n FROM list_counts WHERE tbl = 'orders' GROUP BY status;

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
