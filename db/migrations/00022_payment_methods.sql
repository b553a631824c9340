-- +goose Up
-- Orders name one of the payment methods hostflow offers (the gateways and the manual methods
-- setting) since this version. An installation that took any name before keeps taking the
-- names its orders were placed with: they become manual methods, beside banktransfer and mailin,
-- unless the setting is there already. Names a setting cannot hold (a comma, a space) are left
-- out.
INSERT INTO settings (key, value)
SELECT 'manual_payment_methods', string_agg(m, ',' ORDER BY m)
FROM (SELECT 'banktransfer' AS m UNION SELECT 'mailin'
      UNION SELECT payment_method FROM orders WHERE payment_method ~ '^[A-Za-z0-9_.-]{1,64}$'
                                              AND payment_method NOT IN (SELECT name FROM gateways)) used
ON CONFLICT (key) DO NOTHING;

-- +goose Down
SELECT 1;
