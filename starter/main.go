// Command starter serves hostflow's HTTP API: it reads PostgreSQL and starts and messages order
// workflows. It is stateless; run as many as needed behind a load balancer.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/api"
	"github.com/hostflow/hostflow/config"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/logging"
	"github.com/hostflow/hostflow/service"
)

func main() {
	cfg, err := config.Load()
	log := logging.New(cfg.Dev)
	if err != nil {
		log.Fatal("configuration", zap.Error(err))
	}
	if len(os.Args) > 1 && os.Args[1] == "migrate" {
		err = migrate(cfg)
	} else {
		err = serve(cfg, log)
	}
	if err != nil {
		log.Fatal("starter stopped", zap.Error(err))
	}
}

// migrate creates the database if needed and applies every migration, then exits.
func migrate(cfg config.Config) error {
	pool, err := db.Connect(context.Background(), cfg.DatabaseURL)
	if err != nil {
		return err
	}
	pool.Close()
	return nil
}

func serve(cfg config.Config, log *zap.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	pool, tc, err := cfg.Connect(ctx, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	defer tc.Close()
	svc := &service.Service{Pool: pool, Temporal: tc, Secrets: cfg.Secrets, Log: log, TaskQueue: cfg.TaskQueue,
		GatewaySecrets: cfg.GatewaySecrets, Panels: cfg.Modules.Panels(), Registrars: cfg.Modules.Registrars()}
	key, err := svc.EnsureAdminKey(ctx, cfg.AdminAPIKey)
	if err != nil {
		return err
	}
	if key != "" {
		// Shown once, on the terminal only: the database keeps its hash.
		fmt.Fprintf(os.Stderr, "\n  Admin API key (shown once, store it now): %s\n\n", key)
	}
	if err := svc.EnsureAPICredential(ctx, cfg.WHMCS.Identifier, cfg.WHMCS.Secret); err != nil {
		return err
	}
	if err := svc.AlignOrderSequence(ctx); err != nil {
		// Placement refuses a workflow that is not its own anyway: start without the check.
		log.Warn("order id sequence not checked against Temporal", zap.Error(err))
	}
	handler := api.Router(svc, log, api.Options{WHMCSAllowedIPs: cfg.WHMCS.AllowedIPs, WHMCSAccessKey: cfg.WHMCS.AccessKey,
		TrustedProxies: cfg.TrustedProxies})
	srv := &http.Server{Addr: cfg.HTTPAddr, Handler: handler, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 3 * time.Minute, IdleTimeout: 2 * time.Minute}
	relayCtx, stopRelay := context.WithCancel(context.Background())
	relayDone := make(chan struct{})
	go func() { defer close(relayDone); svc.RunOutbox(relayCtx) }()
	defer func() { stopRelay(); <-relayDone }() // whatever it has not sent, the next starter sends
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("API listening", zap.String("addr", "http://"+cfg.HTTPAddr))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("draining HTTP requests")
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
