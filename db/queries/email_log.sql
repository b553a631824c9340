-- The email log as admins see it in the console (package clients, emaillog.go): every email
-- hostflow sent, an order's (its client's and the staff's) and a client's, newest first by id
-- (the emails of one batch share created_at), and each with its text as sent. Only emails
-- sent are listed: one recorded but not sent (yet, or refused) is on the order's audit trail.

-- name: OrderEmailLog :many
-- An order's sent emails, newest first, without their text (emails_order_id).
SELECT id, template, recipient, subject, sent_at, client_id, resend_of
FROM emails
WHERE order_id = @order_id::bigint AND order_id <> 0 AND sent_at IS NOT NULL
ORDER BY id DESC
LIMIT @lim;

-- name: ClientEmailLog :many
-- A client's sent emails, newest first, without their text (emails_client).
SELECT id, template, recipient, subject, sent_at, client_id, resend_of
FROM emails
WHERE client_id = @client_id::bigint AND sent_at IS NOT NULL
ORDER BY id DESC
LIMIT @lim;

-- name: LoggedEmail :one
-- One sent email with its text, HTML and what the console shows around it: the order's number
-- and the client's name (either may be gone since).
SELECT e.id, e.key, e.order_id, e.client_id, e.template, e.recipient, e.subject, e.body, e.html_body, e.sent_at,
       e.resend_of, e.resent_by, coalesce(o.order_number, 0)::bigint AS order_number,
       coalesce(c.first_name, '')::text AS first_name, coalesce(c.last_name, '')::text AS last_name
FROM emails e
LEFT JOIN orders o ON o.id = e.order_id AND e.order_id <> 0
LEFT JOIN clients c ON c.id = e.client_id
WHERE e.id = @id AND e.sent_at IS NOT NULL;
