-- name: CreateTaxRule :one
INSERT INTO tax_rules (level, name, country, state, rate)
VALUES (@level, @name, @country, @state, sqlc.arg(rate_thousandths)::bigint / 1000::numeric)
RETURNING id;

-- name: ListTaxRules :many
-- Oldest first: of two rules that fit a client equally, the older wins (tax.Pick).
SELECT id, level, name, country, state, (rate * 1000)::bigint AS rate_thousandths FROM tax_rules ORDER BY id;

-- name: DeleteTaxRule :execrows
DELETE FROM tax_rules WHERE id = @id;
