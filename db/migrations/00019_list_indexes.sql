-- +goose NO TRANSACTION
-- +goose Up
-- Indexes behind the lists at millions of orders (see BenchmarkLists): GetInvoices by client
-- and by status, GetClients by status and by the start of a last name, order lists by date,
-- and each server's count of accounts (picking a server, the REST and WHMCS server lists),
-- from the index alone. Built concurrently, outside a transaction, so that an upgrade at
-- millions of rows never holds up the orders being placed meanwhile.
CREATE INDEX CONCURRENTLY IF NOT EXISTS invoices_client_id ON invoices (client_id, id DESC);
CREATE INDEX CONCURRENTLY IF NOT EXISTS invoices_status_id ON invoices (status, id DESC);
CREATE INDEX CONCURRENTLY IF NOT EXISTS clients_status_id ON clients (status, id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS clients_last_name_trgm ON clients USING gin (last_name gin_trgm_ops);
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at ON orders (created_at);
CREATE INDEX CONCURRENTLY IF NOT EXISTS order_services_server_status ON order_services (server_id, status);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS order_services_server_status;
DROP INDEX CONCURRENTLY IF EXISTS orders_created_at;
DROP INDEX CONCURRENTLY IF EXISTS clients_last_name_trgm;
DROP INDEX CONCURRENTLY IF EXISTS clients_status_id;
DROP INDEX CONCURRENTLY IF EXISTS invoices_status_id;
DROP INDEX CONCURRENTLY IF EXISTS invoices_client_id;
