-- +goose Up
-- One domain, one owner: a placement looks up whether another order still holds the domain.
CREATE INDEX order_domains_domain ON order_domains (domain);

-- +goose Down
DROP INDEX order_domains_domain;
