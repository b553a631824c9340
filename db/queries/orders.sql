-- name: ReserveOrderID :one
-- A placement request's order id and token, and this database's installation id: a retry with
-- the same Idempotency-Key gets the first request's (the key is NULL for requests that sent
-- none).
INSERT INTO order_requests (idempotency_key, token, request_hash) VALUES (sqlc.narg(idempotency_key), @token, @request_hash)
ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = excluded.idempotency_key
RETURNING order_id, token, request_hash, (SELECT id FROM installation)::text AS installation;

-- name: DropOrderRequest :exec
-- Forgets a placement whose order id turned out to be taken in Temporal.
DELETE FROM order_requests WHERE order_id = $1;

-- name: OrderWorkflowID :one
SELECT workflow_id FROM orders WHERE id = $1;

-- name: Installation :one
SELECT id FROM installation;

-- name: LastOrderRequest :one
-- The newest placement this database knows of, and where the order id sequence stands.
SELECT coalesce(max(created_at), '-infinity')::timestamptz AS created_at,
       coalesce(pg_sequence_last_value('orders_id_seq'), 0)::bigint AS sequence
FROM order_requests;

-- name: MoveOrderSequence :one
-- Moves the order id sequence past id (never back).
SELECT setval('orders_id_seq', greatest(@id::bigint, coalesce(pg_sequence_last_value('orders_id_seq'), 1)))::bigint;

-- name: InsertOrder :one
INSERT INTO orders (id, order_number, client_id, status, payment_method, currency, amount, client_ip, promo_code, notes, workflow_id, waiting_for, fraud_rule)
VALUES ($1, $2, $3, 'Pending', $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (id) DO NOTHING
RETURNING id;

-- name: InsertService :one
INSERT INTO order_services (order_id, position, product_id, domain, billing_cycle, setup_fee, amount, status)
VALUES ($1, $2, $3, $4, $5, $6, $7, 'Pending')
RETURNING id;

-- name: InsertDomain :one
INSERT INTO order_domains (order_id, position, domain, type, period, epp_code, nameservers, registrar, amount, status)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'Pending')
RETURNING id;

-- name: GetOrder :one
SELECT o.*, c.first_name, c.last_name, c.company_name, c.email,
       coalesce(i.id, 0)::bigint AS invoice_id, coalesce(i.status, '')::text AS payment_status
FROM orders o
JOIN clients c ON c.id = o.client_id
LEFT JOIN invoices i ON i.order_id = o.id
WHERE o.id = $1;

-- name: ListOrders :many
-- Keyset pagination, newest first: cursor is the last id of the previous page (0 for the first).
SELECT o.id, o.order_number, o.client_id, o.status, o.payment_method, o.currency, o.amount,
       o.waiting_for, o.created_at, c.first_name, c.last_name, c.company_name,
       coalesce(i.id, 0)::bigint AS invoice_id, coalesce(i.status, '')::text AS payment_status
FROM orders o
JOIN clients c ON c.id = o.client_id
LEFT JOIN invoices i ON i.order_id = o.id
WHERE (sqlc.narg(status)::text IS NULL OR o.status = sqlc.narg(status))
  AND (sqlc.narg(client_id)::bigint IS NULL OR o.client_id = sqlc.narg(client_id))
  AND (sqlc.narg(payment_status)::text IS NULL OR i.status = sqlc.narg(payment_status))
  AND (sqlc.narg(waiting_for)::text IS NULL OR o.waiting_for = sqlc.narg(waiting_for))
  AND (sqlc.narg(payment_method)::text IS NULL OR o.payment_method = sqlc.narg(payment_method))
  AND (sqlc.narg(created_from)::timestamptz IS NULL OR o.created_at >= sqlc.narg(created_from))
  AND (sqlc.narg(created_to)::timestamptz IS NULL OR o.created_at < sqlc.narg(created_to))
  -- q finds an order by its number or id, its client's IP, a domain of it, or its client's
  -- name, company or email; pattern is q as a LIKE pattern, escaped. The matching ids are
  -- gathered first, each arm through its own index, and the page is read by primary key. A
  -- domain's trigram index is searched without the pattern's top-level domain (".com" is in
  -- most rows, and costs the most to scan), and the whole pattern checked on what it finds.
  AND (sqlc.narg(q)::text IS NULL OR o.id = ANY(ARRAY(
        SELECT x.id FROM orders x
        WHERE x.order_number = CASE WHEN sqlc.narg(q) ~ '^[1-9][0-9]{0,17}$' THEN sqlc.narg(q)::bigint END
        UNION SELECT x.id FROM orders x WHERE x.id = CASE WHEN sqlc.narg(q) ~ '^[1-9][0-9]{0,17}$' THEN sqlc.narg(q)::bigint END
        UNION SELECT x.id FROM orders x WHERE x.client_ip = sqlc.narg(q) AND x.client_ip <> ''
        UNION SELECT d.order_id FROM order_domains d
              WHERE d.domain ILIKE CASE WHEN length(regexp_replace(sqlc.narg(pattern), '\.[A-Za-z]{2,24}%$', '%')) >= 7
                      THEN regexp_replace(sqlc.narg(pattern), '\.[A-Za-z]{2,24}%$', '%') ELSE sqlc.narg(pattern) END ESCAPE '\'
                AND (d.domain || '') ILIKE sqlc.narg(pattern)::text ESCAPE '\'
        UNION SELECT sv.order_id FROM order_services sv
              WHERE sv.domain ILIKE CASE WHEN length(regexp_replace(sqlc.narg(pattern), '\.[A-Za-z]{2,24}%$', '%')) >= 7
                      THEN regexp_replace(sqlc.narg(pattern), '\.[A-Za-z]{2,24}%$', '%') ELSE sqlc.narg(pattern) END ESCAPE '\'
                AND (sv.domain || '') ILIKE sqlc.narg(pattern)::text ESCAPE '\'
        UNION SELECT y.id FROM orders y WHERE y.client_id IN (
              SELECT k.id FROM clients k
              WHERE k.email ILIKE sqlc.narg(pattern)::text ESCAPE '\' OR k.company_name ILIKE sqlc.narg(pattern)::text ESCAPE '\'
                 OR (k.first_name || ' ' || k.last_name) ILIKE sqlc.narg(pattern)::text ESCAPE '\'))))
  AND (@cursor::bigint = 0 OR o.id < @cursor)
-- With an end date the page is sorted, not read off the primary key backwards (o.id + 0 is
-- the same order): a range long ago would otherwise be reached only after every newer order.
-- A start date alone keeps the primary key: its newest matches are the newest orders.
ORDER BY CASE WHEN sqlc.narg(created_to)::timestamptz IS NULL THEN o.id ELSE o.id + 0 END DESC
LIMIT @lim;

-- name: OrderWaitingCounts :many
-- The stuck-order board: orders per what they wait for (from the counts the triggers keep),
-- with the oldest of each.
SELECT o.waiting_for, c.n, o.id AS oldest_id
FROM (SELECT l.waiting_for, sum(l.n)::bigint AS n FROM list_counts l
      WHERE l.tbl = 'orders' AND l.waiting_for <> '' GROUP BY l.waiting_for HAVING sum(l.n) > 0) c
JOIN LATERAL (SELECT x.waiting_for, x.id FROM orders x WHERE x.waiting_for = c.waiting_for AND x.waiting_for <> ''
              ORDER BY x.id LIMIT 1) o ON true
ORDER BY o.waiting_for;

-- name: SetOrderNotes :execrows
UPDATE orders SET notes = @notes WHERE id = @id;

-- name: ListServices :many
SELECT s.*, p.name AS product_name, p.module, p.auto_setup, p.welcome_email, p.type AS product_type
FROM order_services s JOIN products p ON p.id = s.product_id
WHERE s.order_id = $1 ORDER BY s.position;

-- name: ListDomains :many
SELECT * FROM order_domains WHERE order_id = $1 ORDER BY position;

-- name: GetService :one
SELECT s.*, p.name AS product_name, p.module, p.package_name, p.server_group, p.welcome_email,
       c.email AS client_email, c.first_name AS client_first_name
FROM order_services s
JOIN products p ON p.id = s.product_id
JOIN orders o ON o.id = s.order_id
JOIN clients c ON c.id = o.client_id
WHERE s.id = $1;

-- name: GetDomain :one
SELECT * FROM order_domains WHERE id = $1;

-- name: SetOrderStatus :exec
UPDATE orders SET status = $2, updated_at = now() WHERE id = $1;

-- name: SetServicesStatus :exec
UPDATE order_services SET status = $2, updated_at = now() WHERE order_id = $1 AND NOT (id = ANY(@keep::bigint[]));

-- name: SetDomainsStatus :exec
UPDATE order_domains SET status = $2, updated_at = now() WHERE order_id = $1;

-- name: SetServiceStatus :exec
UPDATE order_services SET status = $2, last_error = $3, updated_at = now() WHERE id = $1;

-- name: SetServiceAccount :exec
UPDATE order_services SET server_id = $2, username = $3, password = $4, updated_at = now() WHERE id = $1;

-- name: SetDomainStatus :exec
UPDATE order_domains SET status = $2, registrar = $3, last_error = $4, updated_at = now() WHERE id = $1;

-- name: SetDomainEPPCode :exec
UPDATE order_domains SET epp_code = $2, updated_at = now() WHERE id = $1;

-- name: SetDomainRef :exec
UPDATE order_domains SET registrar_ref = $2, updated_at = now() WHERE id = $1;

-- name: SetWaitingFor :exec
UPDATE orders SET waiting_for = $2 WHERE id = $1;

-- name: SetFraudResult :exec
UPDATE orders SET fraud_module = $2, fraud_score = $3, fraud_output = $4, updated_at = now() WHERE id = $1;

-- name: DeleteOrder :exec
DELETE FROM orders WHERE id = $1;

-- name: InsertEvent :exec
INSERT INTO order_events (order_id, key, actor, action, from_status, to_status, detail)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (order_id, key) DO NOTHING;

-- name: ListEvents :many
SELECT * FROM order_events WHERE order_id = $1 ORDER BY id;

-- name: ListSettings :many
SELECT * FROM settings ORDER BY key;

-- name: PutSetting :exec
INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value;

-- name: GetEmail :one
SELECT * FROM emails WHERE key = $1;

-- name: InsertEmail :exec
INSERT INTO emails (key, order_id, client_id, template, recipient, subject, body, html_body, message_id, resend_of, resent_by)
VALUES (@key, @order_id, sqlc.narg(client_id), @template, @recipient, @subject, @body, @html_body, @message_id,
        sqlc.narg(resend_of), @resent_by)
ON CONFLICT (key) DO NOTHING;

-- name: MarkEmailSent :exec
UPDATE emails SET sent_at = now() WHERE key = $1;

-- name: LockOrderInvoice :one
SELECT * FROM invoices WHERE order_id = $1 FOR UPDATE;

-- name: OrderInvoice :one
SELECT i.status, i.total, coalesce((SELECT sum(t.amount) FROM transactions t WHERE t.invoice_id = i.id), 0)::bigint AS paid
FROM invoices i WHERE i.order_id = $1;

-- name: DomainHeld :one
-- Whether an order still holds the domain: its registration or transfer is pending or done.
SELECT EXISTS (SELECT 1 FROM order_domains
               WHERE domain = $1 AND status IN ('Pending', 'Pending Registration', 'Pending Transfer', 'Active'));

-- name: LockDomainName :exec
-- Serialises placements of one domain name until the transaction ends.
SELECT pg_advisory_xact_lock(hashtextextended('domain:' || @domain::text, 0));

-- name: UnusePromotions :exec
-- Gives back the promotion uses an invoice counted (an order discarded before anyone saw it).
UPDATE promotions SET uses = uses - 1
WHERE uses > 0 AND id IN (SELECT rel_id FROM invoice_items WHERE invoice_id = @invoice_id AND type = 'PromoHosting');

-- name: LockOrderWrite :exec
-- Held by an order's first write until it commits, and by its discard: a discard waits for a
-- first write whose commit is still under way, and so sees its rows.
SELECT pg_advisory_xact_lock(hashtextextended('order-write:' || (@order_id::bigint)::text, 0));

-- name: DeleteOrderEvents :exec
-- The audit lines of an order that was discarded before anyone was told of it: a retry of its
-- placement numbers its lines afresh.
DELETE FROM order_events WHERE order_id = $1;
