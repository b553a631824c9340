-- +goose Up
-- The console's and the REST API's order search and filters: by domain, client name, company
-- or email (substring, pg_trgm), client IP, and what an order waits for.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX order_domains_domain_trgm ON order_domains USING gin (domain gin_trgm_ops);
CREATE INDEX order_services_domain_trgm ON order_services USING gin (domain gin_trgm_ops);
CREATE INDEX clients_email_trgm ON clients USING gin (email gin_trgm_ops);
CREATE INDEX clients_company_trgm ON clients USING gin (company_name gin_trgm_ops);
CREATE INDEX clients_name_trgm ON clients USING gin ((first_name || ' ' || last_name) gin_trgm_ops);
CREATE INDEX orders_client_ip ON orders (client_ip) WHERE client_ip <> '';
CREATE INDEX orders_waiting_id ON orders (waiting_for, id DESC) WHERE waiting_for <> '';

-- +goose Down
DROP INDEX orders_waiting_id;
DROP INDEX orders_client_ip;
DROP INDEX clients_name_trgm;
DROP INDEX clients_company_trgm;
DROP INDEX clients_email_trgm;
DROP INDEX order_services_domain_trgm;
DROP INDEX order_domains_domain_trgm;
