-- +goose Up
-- Indexes behind the lists at millions of orders (see BenchmarkLists): GetInvoices by client
-- and by status, GetClients by status and by the start of a last name, order lists by date,
-- and each server's count of accounts (the console's order page, picking a server), from the
-- index alone.
CREATE INDEX invoices_client_id ON invoices (client_id, id DESC);
CREATE INDEX invoices_status_id ON invoices (status, id DESC);
CREATE INDEX clients_status_id ON clients (status, id);
CREATE INDEX clients_last_name_trgm ON clients USING gin (last_name gin_trgm_ops);
CREATE INDEX orders_created_at ON orders (created_at);
CREATE INDEX order_services_server_status ON order_services (server_id, status);

-- +goose Down
DROP INDEX order_services_server_status;
DROP INDEX orders_created_at;
DROP INDEX clients_last_name_trgm;
DROP INDEX clients_status_id;
DROP INDEX invoices_status_id;
DROP INDEX invoices_client_id;
