-- name: CreateAdmin :one
-- Creates an admin unless one with that email (in any case) exists; no row then.
INSERT INTO admins (email, name, password_hash) VALUES (@email, @name, @password_hash)
ON CONFLICT ((lower(email))) DO NOTHING
RETURNING *;

-- name: GetAdminByEmail :one
SELECT * FROM admins WHERE lower(email) = lower(@email);

-- name: CreateAdminSession :exec
INSERT INTO admin_sessions (id_hash, admin_id, idle_expires_at, absolute_expires_at)
VALUES (@id_hash, @admin_id, now() + make_interval(secs => @idle_secs::int), now() + make_interval(secs => @absolute_secs::int));

-- name: TouchAdminSession :one
-- Finds a live session of an active admin and moves its idle expiry on; no row when the
-- session is unknown, expired either way, or its admin is no longer active.
UPDATE admin_sessions s SET last_seen_at = now(),
    idle_expires_at = LEAST(now() + make_interval(secs => @idle_secs::int), s.absolute_expires_at)
FROM admins a
WHERE s.id_hash = @id_hash AND a.id = s.admin_id AND a.active
  AND s.idle_expires_at > now() AND s.absolute_expires_at > now()
RETURNING a.id, a.email, a.name, s.created_at, s.last_seen_at, s.idle_expires_at, s.absolute_expires_at;

-- name: PeekAdminSession :one
-- As TouchAdminSession, but leaves the idle expiry where it is: for what the admin did not do
-- (a live page's refresh, the events stream's checks).
SELECT a.id, a.email, a.name, s.created_at, s.last_seen_at, s.idle_expires_at, s.absolute_expires_at
FROM admin_sessions s JOIN admins a ON a.id = s.admin_id
WHERE s.id_hash = @id_hash AND a.active AND s.idle_expires_at > now() AND s.absolute_expires_at > now();

-- name: DeleteAdminSession :exec
DELETE FROM admin_sessions WHERE id_hash = @id_hash;

-- name: PurgeAdminSessions :execrows
DELETE FROM admin_sessions WHERE idle_expires_at <= now() OR absolute_expires_at <= now();

-- name: OrderRowsByID :many
-- The list's columns of the orders with these ids (a bulk action's), newest first.
SELECT o.id, o.order_number, o.client_id, o.status, o.payment_method, o.currency, o.amount,
       o.waiting_for, o.created_at, c.first_name, c.last_name, c.company_name,
       coalesce(i.id, 0)::bigint AS invoice_id, coalesce(i.status, '')::text AS payment_status
FROM orders o
JOIN clients c ON c.id = o.client_id
LEFT JOIN invoices i ON i.order_id = o.id
WHERE o.id = ANY(@ids::bigint[])
ORDER BY o.id DESC;

-- name: ListStaffEmails :many
-- Who gets the emails to staff (the New Order Notification) when no address is set: each
-- active admin.
SELECT email FROM admins WHERE active ORDER BY id;

-- name: ListAdminNames :many
-- Every admin's email and name, active or not: the audit trail names who acted by name.
SELECT email, name FROM admins ORDER BY id;
