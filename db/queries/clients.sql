-- name: CreateClient :one
INSERT INTO clients (first_name, last_name, company_name, email, address1, address2, city, state, postcode, country, phone,
                     currency, notes, language, tax_id, group_id, marketing_optin, tax_exempt)
VALUES (@first_name, @last_name, @company_name, @email, @address1, @address2, @city, @state, @postcode, @country, @phone,
        @currency, @notes, @language, @tax_id, @group_id, @marketing_optin, @tax_exempt)
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

-- name: SetClientTax :one
-- A client's tax fields, as an admin sets them: exempt from tax or not, and their tax id; a
-- NULL keeps what is there, in the one statement, so two changes of different fields both hold.
UPDATE clients SET tax_exempt = coalesce(sqlc.narg(tax_exempt)::boolean, tax_exempt),
    tax_id = coalesce(sqlc.narg(tax_id)::text, tax_id)
WHERE id = @id
RETURNING *;
