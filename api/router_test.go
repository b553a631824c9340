package api

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/service"
)

func TestHealthzHidesTheError(t *testing.T) {
	pool, err := pgxpool.New(context.Background(), "postgres://someone:hunter2@127.0.0.1:1/secretdb?connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	srv := httptest.NewServer(Router(service.New(service.Config{Pool: pool, Log: zap.NewNop()}), zap.NewNop(), Options{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusServiceUnavailable || strings.TrimSpace(string(raw)) != `{"status":"unavailable"}` {
		t.Errorf("healthz: %d %s", resp.StatusCode, raw)
	}
}
