// Package testenv gives tests the real parts they run against: a Temporal dev server started
// from the pinned CLI, and a PostgreSQL database of their own.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/logging"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// PostgresURL is the server tests create their databases on.
func PostgresURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// Database creates a fresh, migrated database for one test and drops it afterwards.
func Database(t testing.TB) (*pgxpool.Pool, string) {
	t.Helper()
	return DatabaseAt(t, PostgresURL())
}

// DatabaseAt creates a fresh, migrated database for one test on the server at serverURL (a
// test's own cluster, see StartPostgres) and drops it afterwards.
func DatabaseAt(t testing.TB, serverURL string) (*pgxpool.Pool, string) {
	t.Helper()
	ctx := context.Background()
	buf := make([]byte, 6)
	_, _ = rand.Read(buf)
	name := "hostflow_test_" + hex.EncodeToString(buf)
	u, err := url.Parse(serverURL)
	if err != nil {
		t.Fatalf("PostgreSQL URL %q: %v", serverURL, err)
	}
	u.Path = "/" + name
	dsn := u.String()
	pool, err := db.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("test database (is PostgreSQL running at %s?): %v", serverURL, err)
	}
	t.Cleanup(func() {
		pool.Close()
		conn, err := pgx.Connect(ctx, serverURL)
		if err != nil {
			return
		}
		defer conn.Close(ctx)
		_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	})
	return pool, dsn
}

// TemporalCLI finds the pinned Temporal CLI the Makefile builds.
func TemporalCLI() (string, error) {
	if p := os.Getenv("TEMPORAL_CLI"); p != "" {
		return p, nil
	}
	_, file, _, _ := runtime.Caller(0)
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(file), "..", "bin", "temporal-v*"))
	if len(matches) == 0 {
		return "", fmt.Errorf("no Temporal CLI: run the tests with `make test`, which builds it into ./bin")
	}
	return matches[len(matches)-1], nil
}

// StartTemporal starts an in-memory dev server on a free port with hostflow's search
// attributes registered.
func StartTemporal(ctx context.Context) (*testsuite.DevServer, error) {
	cli, err := TemporalCLI()
	if err != nil {
		return nil, err
	}
	args := []string{"--dynamic-config-value", "system.forceSearchAttributesCacheRefreshOnRead=true"}
	for _, sa := range ordermsg.SearchAttributes {
		args = append(args, "--search-attribute", sa)
	}
	return testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath:  cli,
		ClientOptions: &client.Options{Namespace: "default", Logger: logging.Temporal(zap.NewNop())},
		LogLevel:      "error",
		ExtraArgs:     args,
	})
}
