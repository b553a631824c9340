-- name: ListCurrencies :many
SELECT id, code FROM currencies ORDER BY id;

-- name: AddCurrency :exec
-- Gives a currency coming into use its id; one in use already keeps its own, and spends no id
-- (only two callers adding the same new currency at once may spend one).
INSERT INTO currencies (code) SELECT @code::text WHERE NOT EXISTS (SELECT 1 FROM currencies WHERE code = @code::text)
ON CONFLICT (code) DO NOTHING;
