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

-- name: OpenDomainRenewal :one
-- The renewal of a domain still in flight, if any.
SELECT * FROM domain_renewals WHERE domain_id = $1 AND status = 'requested';

-- name: ClaimDomainRenewal :one
-- Claims the domain's one renewal in flight; no row if another is. Claimed before anything is
-- read, so its expiry_before is recorded after (SetDomainRenewalExpiryBefore).
INSERT INTO domain_renewals (domain_id, years, status, actor)
VALUES (@domain_id, @years, 'requested', @actor)
ON CONFLICT (domain_id) WHERE status = 'requested' DO NOTHING
RETURNING *;

-- name: SetDomainRenewalExpiryBefore :exec
-- The registrar's expiry date read after the claim, before the purchase.
UPDATE domain_renewals SET expiry_before = @expiry_before, updated_at = now() WHERE id = @id AND status = 'requested';

-- name: LastDoneDomainRenewal :one
-- The latest renewal of a domain for as many years settled done before the renewal @before_id.
SELECT * FROM domain_renewals
WHERE domain_id = @domain_id AND years = @years AND status = 'done' AND id < @before_id
ORDER BY id DESC
LIMIT 1;

-- name: SettleDomainRenewal :execrows
-- Settles a renewal still requested; 0 rows when another call settled it first.
UPDATE domain_renewals SET status = @status, expiry_after = @expiry_after, error = @error, updated_at = now()
WHERE id = @id AND status = 'requested';

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
