package db_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/testenv"
)

// admin connects to the test server as its superuser, or skips when there is none.
func admin(t *testing.T) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, testenv.PostgresURL())
	if err != nil {
		t.Fatalf("no PostgreSQL at %s (run under scripts/with-postgres): %v", testenv.PostgresURL(), err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	return conn
}

func randomName(prefix string) string {
	buf := make([]byte, 5)
	_, _ = rand.Read(buf)
	return prefix + hex.EncodeToString(buf)
}

// dsn is the test server's URL for role and database.
func dsn(t *testing.T, role, database string) string {
	u, err := url.Parse(testenv.PostgresURL())
	require.NoError(t, err)
	u.User = url.User(role)
	u.Path = "/" + database
	return u.String()
}

// role makes a login role that may not create databases, dropped (with its databases) at the
// end of the test; the server must let it log in (scripts/with-postgres' cluster trusts local
// logins).
func role(t *testing.T, conn *pgx.Conn) string {
	t.Helper()
	ctx := context.Background()
	name := randomName("hostflow_nocreatedb_")
	_, err := conn.Exec(ctx, "CREATE ROLE "+name+" LOGIN NOCREATEDB")
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = conn.Exec(ctx, "DROP OWNED BY "+name)
		_, _ = conn.Exec(ctx, "DROP ROLE "+name)
	})
	probe, err := pgx.Connect(ctx, dsn(t, name, "postgres"))
	if err != nil {
		t.Fatalf("the test server does not let a new role log in without a password: %v", err)
	}
	probe.Close(ctx)
	return name
}

func database(t *testing.T, conn *pgx.Conn, owner string) string {
	t.Helper()
	ctx := context.Background()
	name := randomName("hostflow_test_")
	_, err := conn.Exec(ctx, "CREATE DATABASE "+name+" OWNER "+owner)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	return name
}

func TestStartsWithARoleThatMayNotCreateDatabases(t *testing.T) {
	conn := admin(t)
	r := role(t, conn)
	name := database(t, conn, r)
	pool, err := db.Connect(context.Background(), dsn(t, r, name))
	require.NoError(t, err, "the database exists: nothing to create")
	defer pool.Close()
	var applied int
	require.NoError(t, pool.QueryRow(context.Background(), "SELECT count(*) FROM goose_db_version WHERE version_id > 0").Scan(&applied))
	require.Positive(t, applied, "the owner migrated it")
}

func TestAMissingDatabaseTheRoleCannotCreateSaysWhatToDo(t *testing.T) {
	conn := admin(t)
	r := role(t, conn)
	missing := randomName("hostflow_missing_")
	_, err := db.Connect(context.Background(), dsn(t, r, missing))
	require.ErrorContains(t, err, `database "`+missing+`" does not exist and role "`+r+`" cannot create it`)
	require.ErrorContains(t, err, "permission denied to create database")
	require.ErrorContains(t, err, `CREATE DATABASE "`+missing+`" OWNER "`+r+`"`)
	require.ErrorContains(t, err, "bin/starter migrate")
}

// A role that may only read and write rows starts once the owner has run the migrations, and
// before that is told to have them run.
func TestMigrationsAreASeparateStepForARoleWithoutDDL(t *testing.T) {
	conn := admin(t)
	owner, app := role(t, conn), role(t, conn)
	name := database(t, conn, owner)
	ctx := context.Background()

	_, err := db.Connect(ctx, dsn(t, app, name))
	require.ErrorContains(t, err, `role "`+app+`" may not change the schema`)
	require.ErrorContains(t, err, "bin/starter migrate")

	pool, err := db.Connect(ctx, dsn(t, owner, name)) // what `bin/starter migrate` does
	require.NoError(t, err)
	_, err = pool.Exec(ctx, "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "+app+
		"; GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "+app)
	require.NoError(t, err)
	pool.Close()

	pool, err = db.Connect(ctx, dsn(t, app, name))
	require.NoError(t, err, "nothing pending: the role starts")
	pool.Close()
}

// TestConnectionsPlanEachQueryForItsValues: the pool's sessions plan every run of a prepared
// statement for its own values, unless the DSN says otherwise.
func TestConnectionsPlanEachQueryForItsValues(t *testing.T) {
	pool, _ := testenv.Database(t)
	var mode string
	require.NoError(t, pool.QueryRow(context.Background(), "SHOW plan_cache_mode").Scan(&mode))
	require.Equal(t, "force_custom_plan", mode)
}
