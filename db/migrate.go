package db

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrate applies every pending migration. A Postgres advisory lock makes it safe for the
// worker and the API starting at once. With nothing pending it changes nothing, so a role that
// may only read and write rows starts once the migrations were run by the database's owner.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	sqlDB := stdlib.OpenDBFromPool(pool)
	defer sqlDB.Close()
	dir, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, dir, goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		if pgCode(err) == insufficientPrivilege {
			user := pool.Config().ConnConfig.User
			return fmt.Errorf("migrate: %w: role %q may not change the schema; run the migrations as the database's owner "+
				"(`bin/starter migrate` with that role's DATABASE_URL) before starting hostflow with this role", err, user)
		}
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// SQLSTATEs EnsureDatabase and Migrate tell apart.
const (
	invalidCatalogName    = "3D000" // the database does not exist
	duplicateDatabase     = "42P04"
	insufficientPrivilege = "42501"
)

func pgCode(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// EnsureDatabase creates the database named in dsn if it does not exist. A database that
// exists is only connected to, so a role without CREATEDB starts; only a missing one is created,
// from the server's maintenance database (postgres), and if the role may not do that the error
// says what to do.
func EnsureDatabase(ctx context.Context, dsn string) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err == nil {
		return conn.Close(ctx)
	}
	if pgCode(err) != invalidCatalogName {
		return fmt.Errorf("connect to PostgreSQL at %s:%d: %w", cfg.Host, cfg.Port, err)
	}
	name := pgx.Identifier{cfg.Database}.Sanitize()
	cannot := func(err error) error {
		return fmt.Errorf("database %s does not exist and role %q cannot create it (%w): have an administrator run "+
			"`CREATE DATABASE %s OWNER %s` (or grant the role CREATEDB), then run `bin/starter migrate` and start again",
			name, cfg.User, err, name, pgx.Identifier{cfg.User}.Sanitize())
	}
	maintenance := cfg.Copy()
	maintenance.Database = "postgres"
	conn, err = pgx.ConnectConfig(ctx, maintenance)
	if err != nil {
		return cannot(err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "CREATE DATABASE "+name)
	switch {
	case err == nil, pgCode(err) == duplicateDatabase: // made now, or by a process starting beside this one
		return nil
	case pgCode(err) == insufficientPrivilege:
		return cannot(err)
	}
	return fmt.Errorf("create database %s: %w", name, err)
}

// Connect opens a pool, creating the database if it is missing and migrating it first.
func Connect(ctx context.Context, dsn string) (*pgxpool.Pool, error) {
	if err := EnsureDatabase(ctx, dsn); err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	// The list queries fold their optional filters ("@x IS NULL OR ...") away with the values
	// at hand, which a generic plan, cached after five runs of a prepared statement, cannot:
	// plan each run for its own values (a DSN that says otherwise wins).
	if _, set := cfg.ConnConfig.RuntimeParams["plan_cache_mode"]; !set {
		cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := Migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}
