package db_test

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/stretchr/testify/require"
)

// Amounts written in the old units (two decimals for all but eight currencies) read the same
// in the new ones after migration 00012; Stripe's, stored as Stripe sent them, too.
func TestMigrationRewritesAmountsInISOUnits(t *testing.T) {
	ctx := context.Background()
	conn := admin(t)
	name := randomName("hostflow_units_")
	_, err := conn.Exec(ctx, "CREATE DATABASE "+name)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	pool, err := pgxpool.New(ctx, dsn(t, "postgres", name)) // not db.Connect, which migrates all

	require.NoError(t, err)
	defer pool.Close()
	sqlDB := stdlib.OpenDBFromPool(pool)
	defer sqlDB.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, os.DirFS("migrations"))
	require.NoError(t, err)
	_, err = p.UpTo(ctx, 11)
	require.NoError(t, err)

	for _, q := range []string{
		`INSERT INTO products (id, name, type) VALUES (1, 'Basic', 'other')`,
		`INSERT INTO product_prices (product_id, currency, billing_cycle, setup_fee, price) VALUES
			(1, 'KWD', 'monthly', 250, 1500), (1, 'PYG', 'monthly', 0, 5000000), (1, 'USD', 'monthly', 0, 999)`,
		`INSERT INTO tlds (tld, currency, register_price, transfer_price) VALUES ('.kw', 'KWD', 1200, 1000)`,
		`INSERT INTO transactions (gateway, transaction_id, amount, currency) VALUES
			('banktransfer', 'b1', 1500, 'KWD'), ('stripe', 's1', 1500, 'KWD'),
			('stripe', 's2', 50000, 'ISK'), ('stripe', 's3', 5000, 'MGA'), ('banktransfer', 'b2', 5000000, 'PYG')`,
	} {
		_, err := pool.Exec(ctx, q)
		require.NoError(t, err)
	}
	_, err = p.Up(ctx)
	require.NoError(t, err)

	amount := func(q string, args ...any) int64 {
		var n int64
		require.NoError(t, pool.QueryRow(ctx, q, args...).Scan(&n))
		return n
	}
	price := "SELECT price FROM product_prices WHERE currency = $1"
	require.Equal(t, int64(15000), amount(price, "KWD"), "15.00 KWD is 15.000")
	require.Equal(t, int64(2500), amount("SELECT setup_fee FROM product_prices WHERE currency = 'KWD'"))
	require.Equal(t, int64(50000), amount(price, "PYG"), "50000.00 PYG is 50000")
	require.Equal(t, int64(999), amount(price, "USD"), "two-decimal currencies are untouched")
	require.Equal(t, int64(12000), amount("SELECT register_price FROM tlds"))
	txn := "SELECT amount FROM transactions WHERE transaction_id = $1"
	require.Equal(t, int64(15000), amount(txn, "b1"))
	require.Equal(t, int64(1500), amount(txn, "s1"), "Stripe sent KWD in thousandths already")
	require.Equal(t, int64(500), amount(txn, "s2"), "Stripe counts ISK in hundredths")
	require.Equal(t, int64(500000), amount(txn, "s3"), "and MGA in whole units")
	require.Equal(t, int64(50000), amount(txn, "b2"))
}
