-- +goose Up
-- What an admin set of a payment method (WHMCS's Payment Gateways "Display Name" and "Show on
-- Order Form"). Which methods exist stays where it is (the gateways and the setting
-- manual_payment_methods); a row here only overrides a method's defaults, so a method without
-- one is offered under its default name, and a row outlives its method being removed.
CREATE TABLE payment_methods (
    name         text PRIMARY KEY CHECK (name <> ''),
    -- '' shows the method's default name.
    display_name text NOT NULL DEFAULT '' CHECK (length(display_name) <= 64),
    enabled      boolean NOT NULL DEFAULT true,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE payment_methods;
