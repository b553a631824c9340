-- A signed-in client's own invoices (package billing), for the client area. Every query names
-- the client (invoices_client_id: client_id, id DESC): another client's invoice is no row, as
-- an unknown id is.

-- name: ClientInvoices :many
-- A page of a client's invoices, newest first, with what their ledgers hold and their orders'
-- state (an order stopped for review takes no payment); status '' for every status.
SELECT i.id, i.order_id, i.client_id, i.status, i.currency, i.total, i.created_at, i.due_at, i.paid_at, i.invoice_num,
       coalesce((SELECT sum(t.amount) FROM transactions t WHERE t.invoice_id = i.id), 0)::bigint AS paid,
       o.order_number, o.status AS order_status, o.waiting_for
FROM invoices i
JOIN orders o ON o.id = i.order_id
WHERE i.client_id = @client_id
  AND (@status::text = '' OR i.status = @status::text)
ORDER BY i.id DESC
LIMIT @lim OFFSET @off;

-- name: ClientInvoice :one
SELECT * FROM invoices WHERE id = @id AND client_id = @client_id;

-- name: ClientUnpaidTotals :many
-- A client's Unpaid invoices: how many, and what they still ask for, by currency.
SELECT i.currency, count(*)::bigint AS n,
       coalesce(sum(i.total - coalesce((SELECT sum(t.amount) FROM transactions t WHERE t.invoice_id = i.id), 0)), 0)::bigint AS balance
FROM invoices i
WHERE i.client_id = @client_id AND i.status = 'Unpaid'
GROUP BY i.currency
ORDER BY i.currency;
