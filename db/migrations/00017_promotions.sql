-- +goose Up
-- Promotion codes (WHMCS's Promotions/Coupons). A percentage is held in hundredths of a
-- percent (1000 = 10%); a fixed amount in the minor units of its currency, as all money is.
CREATE TABLE promotions (
    id          bigserial PRIMARY KEY,
    code        text NOT NULL CHECK (code <> ''),
    type        text NOT NULL CHECK (type IN ('percentage', 'fixed')),
    percent     integer NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 10000),
    amount      bigint NOT NULL DEFAULT 0 CHECK (amount >= 0),
    currency    text NOT NULL DEFAULT '',
    recurring   boolean NOT NULL DEFAULT false,
    -- The products it applies to; empty applies to every product and domain of an order.
    product_ids bigint[] NOT NULL DEFAULT '{}',
    starts_on   date,
    expires_on  date,
    max_uses    integer NOT NULL DEFAULT 0 CHECK (max_uses >= 0), -- 0: no limit
    uses        integer NOT NULL DEFAULT 0 CHECK (uses >= 0),
    notes       text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK ((type = 'percentage') = (percent > 0)),
    CHECK ((type = 'fixed') = (amount > 0 AND currency <> '')),
    CHECK (max_uses = 0 OR uses <= max_uses)
);
CREATE UNIQUE INDEX promotions_code ON promotions (lower(code));

-- +goose Down
DROP TABLE promotions;
