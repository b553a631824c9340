-- name: UpdateTLD :one
-- An admin's edit of a TLD's pricing (Setup > Domain Pricing); the TLD itself is its key.
UPDATE tlds SET currency = @currency, register_price = @register_price, transfer_price = @transfer_price,
    renew_price = @renew_price, auto_registrar = @auto_registrar, epp_required = @epp_required
WHERE tld = @tld
RETURNING *;
