package integration

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// seedTables are the tables the bulk seed fills; their secondary indexes are dropped while it
// loads and built again afterwards, which is several times faster than keeping them up to date
// row by row.
var seedTables = []string{"clients", "orders", "order_services", "order_domains", "invoices", "invoice_items", "transactions", "order_events"}

// seedOrders fills an empty, migrated database with n orders shaped like real ones, straight in
// PostgreSQL (INSERT ... SELECT generate_series): n/2 clients, one hosting service per order,
// a domain for seven orders in ten, an invoice with its items, a payment for each paid invoice
// and two events per order. The mix: 80% Active, 10% Cancelled, 8% Pending (waiting for
// payment, admin review, or a failed step), 2% Fraud, over the past year. It returns the time
// each stage took.
func seedOrders(ctx context.Context, pool *pgxpool.Pool, n int) (map[string]time.Duration, error) {
	clients := max(n/2, 1)
	took := map[string]time.Duration{}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	run := func(stage, sql string, args ...any) error {
		start := time.Now()
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			return fmt.Errorf("seed %s: %w", stage, err)
		}
		took[stage] += time.Since(start)
		return nil
	}
	// Triggers (the live-update notifications) and foreign key checks are off for the load:
	// every row below is consistent by construction.
	for _, s := range []string{"SET session_replication_role = replica", "SET synchronous_commit = off",
		"SET maintenance_work_mem = '256MB'", "SET work_mem = '64MB'"} {
		if err := run("settings", s); err != nil {
			return nil, err
		}
	}
	rows, err := conn.Query(ctx, `SELECT i.indexname, i.indexdef FROM pg_indexes i
		WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`, seedTables)
	if err != nil {
		return nil, err
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			return nil, err
		}
		names, defs = append(names, name), append(defs, def)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if err := run("drop indexes", "DROP INDEX "+name); err != nil {
			return nil, err
		}
	}
	const first = `(ARRAY['Ada','Grace','Alan','Edsger','Barbara','Donald','Ken','Dennis','Margaret','Linus','Guido','Niklaus',
		'Frances','John','Radia','Leslie','Tim','Vint','Sophie','Hedy'])`
	const last = `(ARRAY['Lovelace','Hopper','Turing','Dijkstra','Liskov','Knuth','Thompson','Ritchie','Hamilton','Torvalds',
		'Rossum','Wirth','Allen','McCarthy','Perlman','Lamport','Berners','Cerf','Wilson','Lamarr'])`
	const words = `(ARRAY['bakery','studio','garden','labs','travel','photo','books','coffee','design','music','sport','media',
		'craft','cloud','games','health','homes','legal','pets','shop'])`
	steps := []struct{ stage, sql string }{
		{"clients", `INSERT INTO clients (id, first_name, last_name, company_name, email, address1, city, postcode, country, phone, status, created_at)
			SELECT g, ` + first + `[1 + g % 20], ` + last + `[1 + (g / 20) % 20],
			       CASE WHEN g % 10 < 3 THEN ` + words + `[1 + g % 20] || ' ' || ` + last + `[1 + (g / 20) % 20] || ' Ltd ' || g ELSE '' END,
			       lower(` + first + `[1 + g % 20] || '.' || ` + last + `[1 + (g / 20) % 20]) || g || '@mail' || (g % 50) || '.example.com',
			       g || ' High Street', 'London', 'N1 ' || (g % 9) || 'AA', 'GB', '020 7946 ' || lpad((g % 10000)::text, 4, '0'),
			       CASE WHEN g % 100 < 90 THEN 'Active' WHEN g % 100 < 97 THEN 'Inactive' ELSE 'Closed' END,
			       now() - interval '400 days' + g * (interval '365 days' / $1)
			FROM generate_series(1, $1::int) g`},
		{"orders", `INSERT INTO orders (id, order_number, client_id, status, payment_method, currency, amount, client_ip, waiting_for,
			       fraud_module, fraud_score, created_at, updated_at, workflow_id)
			SELECT g, 1000000000 + g, 1 + (g::bigint * 7919) % $2, s.status,
			       (ARRAY['banktransfer','stripe','paypal'])[1 + g % 3], 'USD', 2699 + CASE WHEN g % 10 < 7 THEN 1200 ELSE 0 END,
			       '203.0.' || (g / 256 % 256) || '.' || (g % 256),
			       CASE WHEN s.status <> 'Pending' THEN '' WHEN g % 100 < 94 THEN 'payment' WHEN g % 100 < 97 THEN 'admin-review'
			            ELSE 'provisioning-failed' END,
			       'maxmind', (g % 37)::float8, s.at, s.at, 'bench-order-' || g
			FROM generate_series(1, $1::int) g,
			     LATERAL (SELECT CASE WHEN g % 100 < 80 THEN 'Active' WHEN g % 100 < 90 THEN 'Cancelled' WHEN g % 100 < 98 THEN 'Pending'
			                          ELSE 'Fraud' END AS status,
			                     now() - interval '365 days' + g * (interval '365 days' / $1) AS at) s`},
		{"order_services", `INSERT INTO order_services (id, order_id, position, product_id, domain, billing_cycle, setup_fee, amount, status,
			       server_id, username, created_at, updated_at)
			SELECT o.id, o.id, 0, $1, d.name, 'monthly', 500, 999,
			       CASE o.status WHEN 'Active' THEN 'Active' WHEN 'Pending' THEN 'Pending' ELSE o.status END,
			       CASE WHEN o.status = 'Active' THEN $2::bigint + o.id % $3 END, CASE WHEN o.status = 'Active' THEN left(replace(d.name, '-', ''), 8) ELSE '' END,
			       o.created_at, o.updated_at
			FROM orders o, LATERAL (SELECT ` + words + `[1 + o.id % 20] || '-' || lower(` + last + `[1 + (o.id / 20) % 20]) || '-' || o.id || '.com' AS name) d`},
		{"order_domains", `INSERT INTO order_domains (id, order_id, position, domain, type, period, registrar, amount, status, created_at, updated_at)
			SELECT s.order_id, s.order_id, 0, s.domain, CASE WHEN s.order_id % 10 = 6 THEN 'transfer' ELSE 'register' END, 1,
			       CASE WHEN o.status = 'Active' THEN 'namecheap' ELSE '' END, 1200,
			       CASE o.status WHEN 'Active' THEN 'Active' WHEN 'Pending' THEN 'Pending' ELSE o.status END, o.created_at, o.updated_at
			FROM order_services s JOIN orders o ON o.id = s.order_id WHERE s.order_id % 10 < 7`},
		{"invoices", `INSERT INTO invoices (id, order_id, client_id, status, currency, total, subtotal, created_at, due_at, paid_at)
			SELECT o.id, o.id, o.client_id, p.status, 'USD', o.amount, o.amount, o.created_at, o.created_at + interval '7 days',
			       CASE WHEN p.status = 'Paid' THEN o.created_at + interval '1 hour' END
			FROM orders o, LATERAL (SELECT CASE WHEN o.status = 'Active' THEN 'Paid' WHEN o.status IN ('Cancelled', 'Fraud') THEN 'Cancelled'
			                                    WHEN o.waiting_for = 'payment' THEN 'Unpaid' ELSE 'Paid' END AS status) p`},
		{"invoice_items", `INSERT INTO invoice_items (invoice_id, type, rel_id, description, amount)
			SELECT s.order_id, 'Hosting', s.id, 'Starter - ' || s.domain || ' (monthly)', 1499 FROM order_services s
			UNION ALL
			SELECT d.order_id, 'DomainRegister', d.id, 'Domain Registration - ' || d.domain || ' - 1 Year/s', 1200 FROM order_domains d`},
		{"transactions", `INSERT INTO transactions (invoice_id, gateway, transaction_id, amount, currency, paid_at, created_at)
			SELECT i.id, 'acme', 'seed-' || i.id, i.total, 'USD', i.paid_at, i.paid_at FROM invoices i WHERE i.status = 'Paid'`},
		{"order_events", `INSERT INTO order_events (order_id, key, actor, action, to_status, created_at)
			SELECT o.id, 'placed', 'api', 'placed', 'Pending', o.created_at FROM orders o
			UNION ALL
			SELECT o.id, 'status', 'admin:1', lower(o.status), o.status, o.updated_at FROM orders o WHERE o.status <> 'Pending'`},
	}
	var productID, serverID int64 // the first of n/2000 servers, about 1,600 accounts each
	if err := conn.QueryRow(ctx, `INSERT INTO products (name, type, module, auto_setup, package_name)
		VALUES ('Seeded Starter', 'hostingaccount', 'cpanel', 'payment', 'starter') RETURNING id`).Scan(&productID); err != nil {
		return nil, fmt.Errorf("seed product: %w", err)
	}
	// The store sells it and eleven more, each monthly and annually: a store's page of plans.
	if _, err := conn.Exec(ctx, `WITH p AS (INSERT INTO products (name, type, module, auto_setup, package_name)
		SELECT 'Plan ' || g, 'hostingaccount', 'cpanel', 'payment', 'plan' || g FROM generate_series(1, 11) g RETURNING id)
		INSERT INTO product_prices (product_id, currency, billing_cycle, setup_fee, price)
		SELECT id, 'USD', c.cycle, c.fee, c.price FROM (SELECT id FROM p UNION ALL SELECT $1::bigint) ids
		CROSS JOIN (VALUES ('monthly', 500, 999), ('annually', 0, 9990)) c(cycle, fee, price)`, productID); err != nil {
		return nil, fmt.Errorf("seed prices: %w", err)
	}
	if err := conn.QueryRow(ctx, `WITH s AS (INSERT INTO servers (name, module, hostname, username, max_accounts)
		SELECT 'whm' || g, 'cpanel', 'whm' || g || '.example.net', 'root', 0 FROM generate_series(1, $1::int) g RETURNING id)
		SELECT min(id) FROM s`, max(n/2000, 1)).Scan(&serverID); err != nil {
		return nil, fmt.Errorf("seed server: %w", err)
	}
	for _, st := range steps {
		var args []any
		switch st.stage {
		case "clients":
			args = []any{clients}
		case "orders":
			args = []any{n, clients}
		case "order_services":
			args = []any{productID, serverID, max(n/2000, 1)}
		}
		if err := run(st.stage, st.sql, args...); err != nil {
			return nil, err
		}
	}
	for _, def := range defs {
		if err := run("build indexes", def); err != nil {
			return nil, err
		}
	}
	for _, seq := range []string{"clients", "order_services", "order_domains", "invoices"} {
		if err := run("sequences", fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT max(id) FROM %[1]s))", seq)); err != nil {
			return nil, err
		}
	}
	if err := run("sequences", "SELECT setval('orders_id_seq', $1)", n); err != nil {
		return nil, err
	}
	// Counts kept by triggers (which were off for the load) are recounted once.
	if err := run("counts", "SELECT recount_list_counts(), recount_server_accounts()"); err != nil {
		return nil, err
	}
	// VACUUM sets the visibility map, so that deep pages read the indexes only, as they do on a
	// database that autovacuum keeps.
	if err := run("settings", "RESET session_replication_role"); err != nil {
		return nil, err
	}
	for _, t := range seedTables {
		if err := run("vacuum analyze", "VACUUM (ANALYZE) "+t); err != nil {
			return nil, err
		}
	}
	return took, nil
}
