-- name: SetServicePassword :exec
UPDATE order_services SET password = $2, updated_at = now() WHERE id = $1;

-- name: SetInvoiceDueDate :exec
UPDATE invoices SET due_at = $2 WHERE id = $1;

-- name: GetServiceForEdit :one
-- UpdateClientProduct's view of a service, read to check an edit before anything changes.
SELECT s.id, s.order_id, s.status, s.domain, s.server_id, s.username, s.notes, s.next_due_date, p.module, p.name AS product_name
FROM order_services s JOIN products p ON p.id = s.product_id
WHERE s.id = $1;

-- name: LockService :exec
-- Locks a service's row for the transaction that writes an edit of it (which reads it again).
SELECT id FROM order_services WHERE id = $1 FOR UPDATE;

-- name: EditService :exec
-- A service's plain fields (not its status: the order's workflow writes that).
UPDATE order_services
SET domain = @domain, server_id = @server_id, username = @username, notes = @notes, next_due_date = @next_due_date,
    updated_at = now()
WHERE id = @id;

-- name: LockDomainForEdit :one
SELECT * FROM order_domains WHERE id = $1 FOR UPDATE;

-- name: EditDomain :exec
-- A domain's plain fields (not its status: the order's workflow writes that).
UPDATE order_domains
SET dns_management = @dns_management, email_forwarding = @email_forwarding, id_protection = @id_protection,
    do_not_renew = @do_not_renew, notes = @notes, next_due_date = @next_due_date, expiry_date = @expiry_date,
    nameservers = @nameservers, updated_at = now()
WHERE id = @id;

-- name: SetDomainNameservers :exec
UPDATE order_domains SET nameservers = @nameservers, updated_at = now() WHERE id = @id;

-- name: SetDomainExpiry :exec
UPDATE order_domains SET expiry_date = @expiry_date, next_due_date = @expiry_date, updated_at = now() WHERE id = @id;

-- name: SetServiceServerFields :exec
-- AddOrder's hostname, root password and nameserver prefixes of a service.
UPDATE order_services SET hostname = @hostname, root_password = @root_password, ns1_prefix = @ns1_prefix, ns2_prefix = @ns2_prefix
WHERE id = @id;

-- name: SetDomainAddons :exec
-- AddOrder's domain addons.
UPDATE order_domains SET dns_management = @dns_management, email_forwarding = @email_forwarding, id_protection = @id_protection
WHERE id = @id;

-- name: SetOrderAffiliate :exec
UPDATE orders SET affiliate_id = @affiliate_id WHERE id = @id;
