-- name: CreateClient :one
INSERT INTO clients (first_name, last_name, company_name, email, address1, address2, city, state, postcode, country, phone,
                     currency, notes, language, tax_id, group_id, marketing_optin)
VALUES (@first_name, @last_name, @company_name, @email, @address1, @address2, @city, @state, @postcode, @country, @phone,
        @currency, @notes, @language, @tax_id, @group_id, @marketing_optin)
RETURNING *;

-- name: GetClient :one
SELECT * FROM clients WHERE id = $1;

-- name: ListClients :many
SELECT * FROM clients WHERE id > $1 ORDER BY id LIMIT $2;

-- name: ClientHasActiveOrder :one
SELECT EXISTS (SELECT 1 FROM orders WHERE client_id = $1 AND status = 'Active');

-- name: UpdateClientDetails :one
-- The contact details a client keeps up to date (the client area's My Details).
UPDATE clients SET first_name = @first_name, last_name = @last_name, company_name = @company_name, email = @email,
    address1 = @address1, address2 = @address2, city = @city, state = @state, postcode = @postcode, country = @country,
    phone = @phone
WHERE id = @id
RETURNING *;
