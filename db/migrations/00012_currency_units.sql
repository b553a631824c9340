-- +goose Up
-- Amounts are now kept in each currency's ISO 4217 minor units (package money, from
-- golang.org/x/text/currency), where hostflow used two for every currency but eight zero-decimal
-- ones. Amounts written before are rewritten in the new units: the three-decimal currencies
-- have one digit more, and the zero-decimal ones newly known two fewer. Stripe's own amounts
-- were stored as Stripe sent them, which for these currencies already were ISO's units, except
-- where Stripe counts otherwise (ISK and UGX in hundredths, MGA in whole units).
CREATE TEMPORARY TABLE unit_change (currency text PRIMARY KEY, factor numeric NOT NULL, stripe numeric NOT NULL) ON COMMIT DROP;
INSERT INTO unit_change VALUES
    ('BHD', 10, 1), ('IQD', 10, 10), ('JOD', 10, 1), ('KWD', 10, 1), ('LYD', 10, 10), ('OMR', 10, 1), ('TND', 10, 1),
    ('BIF', 0.01, 1), ('DJF', 0.01, 1), ('GNF', 0.01, 1), ('KMF', 0.01, 1), ('PYG', 0.01, 1), ('RWF', 0.01, 1),
    ('VUV', 0.01, 1), ('XPF', 0.01, 1),
    ('ISK', 1, 0.01), ('UGX', 1, 0.01), ('MGA', 1, 100);

UPDATE product_prices p SET setup_fee = round(setup_fee * u.factor), price = round(price * u.factor)
FROM unit_change u WHERE u.currency = p.currency AND u.factor <> 1;
UPDATE tlds t SET register_price = round(register_price * u.factor), transfer_price = round(transfer_price * u.factor)
FROM unit_change u WHERE u.currency = t.currency AND u.factor <> 1;
UPDATE order_services s SET setup_fee = round(s.setup_fee * u.factor), amount = round(s.amount * u.factor)
FROM orders o, unit_change u WHERE o.id = s.order_id AND u.currency = o.currency AND u.factor <> 1;
UPDATE order_domains d SET amount = round(d.amount * u.factor)
FROM orders o, unit_change u WHERE o.id = d.order_id AND u.currency = o.currency AND u.factor <> 1;
UPDATE orders o SET amount = round(o.amount * u.factor)
FROM unit_change u WHERE u.currency = o.currency AND u.factor <> 1;
UPDATE invoice_items it SET amount = round(it.amount * u.factor)
FROM invoices i, unit_change u WHERE i.id = it.invoice_id AND u.currency = i.currency AND u.factor <> 1;
UPDATE invoices i SET total = round(i.total * u.factor)
FROM unit_change u WHERE u.currency = i.currency AND u.factor <> 1;
UPDATE transactions t SET amount = round(t.amount * CASE WHEN t.gateway = 'stripe' THEN u.stripe ELSE u.factor END)
FROM unit_change u WHERE u.currency = t.currency;

-- +goose Down
-- The old units cannot hold three-decimal amounts exactly; restore from a backup instead.
SELECT 1;
