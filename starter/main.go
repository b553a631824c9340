// Command starter serves hostflow's HTTP API: it reads PostgreSQL and starts and messages order
// workflows. It is stateless; run as many as needed behind a load balancer.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/api"
	"github.com/hostflow/hostflow/config"
	"github.com/hostflow/hostflow/console"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/logging"
	"github.com/hostflow/hostflow/metrics"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/storefront"
)

func main() {
	keyFile := flag.String("admin-key-file", "", "write the admin API key generated at the first start to this file (mode 0600)")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: starter [--admin-key-file PATH] [migrate | admin create --email EMAIL --name NAME]")
		flag.PrintDefaults()
	}
	flag.Parse()
	cfg, err := config.Load()
	log := logging.New(cfg.Dev)
	if err == nil {
		err = errors.Join(access.CheckConfiguredKey("HOSTFLOW_ADMIN_API_KEY", cfg.AdminAPIKey),
			access.CheckConfiguredKey("HOSTFLOW_WHMCS_SECRET", cfg.WHMCS.Secret), checkFirstAdmin())
	}
	if err != nil {
		log.Fatal("configuration", zap.Error(err))
	}
	switch flag.Arg(0) {
	case "migrate":
		err = migrate(cfg)
	case "admin":
		err = adminCommand(cfg, log, flag.Args()[1:])
	case "demo-catalogue":
		err = demoCatalogue(cfg, log, flag.Args()[1:])
	default:
		err = serve(cfg, log, *keyFile)
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

func serve(cfg config.Config, log *zap.Logger, keyFile string) (err error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	obs, err := metrics.Start(ctx, log, metrics.StarterService)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, obs.Close()) }()
	gate := newTemporalGate(log)
	pool, tc, err := cfg.Connect(ctx, log, obs.ClientOptions, gate.clientOptions)
	if err != nil {
		return err
	}
	defer pool.Close()
	defer tc.Close()
	// The gate lives as long as the client: the relay and draining requests still use it.
	watching, stopWatching := context.WithCancel(context.Background())
	defer stopWatching()
	go gate.watch(watching, tc)
	svc := service.New(service.Config{Pool: pool, Temporal: tc, Secrets: cfg.Secrets, Log: log, TaskQueue: cfg.TaskQueue,
		GatewaySecrets: cfg.GatewaySecrets, Panels: cfg.Modules.Panels(), Company: cfg.Modules.Company, FraudModules: cfg.Modules.FraudModules(),
		// The WHMCS API's domain commands (nameservers, renewals) call registrars from here.
		Registrars: metrics.NewCalls(obs.Registry).Registrars(cfg.Modules.Registrars())})
	if err := ensureAdminKey(ctx, svc, log, cfg.AdminAPIKey, keyFile); err != nil {
		return err
	}
	if err := svc.EnsureAPICredential(ctx, cfg.WHMCS.Identifier, cfg.WHMCS.Secret); err != nil {
		return err
	}
	if err := ensureFirstAdmin(ctx, svc, log); err != nil {
		return err
	}
	if err := svc.ResealSecrets(ctx); err != nil {
		return fmt.Errorf("reseal secrets: %w", err)
	}
	if err := svc.AlignOrderSequence(ctx); err != nil {
		// Placement refuses a workflow that is not its own anyway: start without the check.
		log.Warn("order id sequence not checked against Temporal", zap.Error(err))
	}
	handler := api.Router(svc, log, api.Options{WHMCSAllowedIPs: cfg.WHMCS.AllowedIPs, WHMCSAccessKey: cfg.WHMCS.AccessKey,
		TrustedProxies: cfg.TrustedProxies, LinkBase: cfg.LinkBase(), Console: console.Options{PublicURL: cfg.PublicURL, Dev: cfg.Dev,
			TemporalUIURL: os.Getenv("HOSTFLOW_TEMPORAL_UI_URL"), Namespace: cfg.TemporalNamespace},
		Storefront: storefront.Options{Company: cfg.Modules.Company, PublicURL: cfg.PublicURL, Dev: cfg.Dev}})
	// A listener of its own for /metrics outlives the signal, as the API does while it drains.
	listening, stopListening := context.WithCancel(context.Background())
	defer stopListening()
	if handler, err = observe(listening, cfg.Metrics, log, obs, svc, handler); err != nil {
		return err
	}
	srv := &http.Server{Addr: cfg.HTTPAddr, Handler: handler, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 3 * time.Minute, IdleTimeout: 2 * time.Minute}
	relayCtx, stopRelay := context.WithCancel(context.Background())
	relayDone := make(chan struct{})
	go func() { defer close(relayDone); svc.Outbox.Run(relayCtx) }()
	defer func() { stopRelay(); <-relayDone }() // whatever it has not sent, the next starter sends
	go keepHouse(relayCtx, svc, log)
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

// observe measures (and, with tracing on, traces) every request to the API, and serves
// /metrics on a listener of its own (loopback by default, or a private interface the load
// balancer does not forward to), or with MetricsOnAPI on the API's own listener. The metrics
// carry no secret and no id, but they do tell order volumes, and Prometheus sends no key.
func observe(ctx context.Context, m config.Metrics, log *zap.Logger, obs *metrics.Process, svc *service.Service, next http.Handler) (http.Handler, error) {
	obs.MustRegister(api.WebhookEvents, metrics.NewBacklog(svc.Backlog, 3*time.Second, log))
	handler := metrics.NewHTTP(obs.Registry, obs.Tracing.Tracer()).Wrap(next)
	switch m.Addr {
	case config.MetricsOff:
		return handler, nil
	case config.MetricsOnAPI:
		scrape := obs.Handler()
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/metrics" {
				scrape.ServeHTTP(w, r)
				return
			}
			handler.ServeHTTP(w, r)
		}), nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", obs.Handler())
	if m.Pprof {
		metrics.Profiling(mux)
	}
	switch err := metrics.Serve(ctx, log, m.Addr, mux); {
	case err == nil:
	case m.AddrSet:
		return nil, fmt.Errorf("HOSTFLOW_METRICS_ADDR: %w", err)
	default:
		log.Error("starter metrics not served: set HOSTFLOW_METRICS_ADDR to a free address", zap.Error(err))
	}
	return handler, nil
}

// ensureAdminKey stores the configured admin key or, with none configured and none stored,
// generates one where it can be shown: on a terminal, or in keyFile. The key never goes to the
// log, which a container's collector keeps; where it cannot be shown, none is generated.
func ensureAdminKey(ctx context.Context, svc *service.Service, log *zap.Logger, configured, keyFile string) error {
	if configured == "" && keyFile == "" && !isTerminal(os.Stderr) {
		has, err := svc.HasAdminKey(ctx)
		if err != nil || has {
			return err
		}
		log.Warn("no admin API key: set HOSTFLOW_ADMIN_API_KEY (32 characters or more), or start once with " +
			"--admin-key-file PATH (or on a terminal) to generate one")
		return nil
	}
	if keyFile == "" || configured != "" {
		key, err := svc.EnsureAdminKey(ctx, configured)
		if err == nil && key != "" {
			// Shown once, on the terminal only: the database keeps its hash.
			fmt.Fprintf(os.Stderr, "\n  Admin API key (shown once, store it now): %s\n\n", key)
			log.Info("admin API key generated and shown on the terminal")
		}
		return err
	}
	// The file is opened before a key is made, so that a key is never made that cannot be kept.
	_, statErr := os.Stat(keyFile)
	f, err := os.OpenFile(keyFile, os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("--admin-key-file: %w", err)
	}
	defer f.Close()
	key, err := svc.EnsureAdminKey(ctx, "")
	if err != nil || key == "" {
		if errors.Is(statErr, os.ErrNotExist) {
			_ = os.Remove(keyFile)
		}
		if err == nil {
			log.Info("admin key file not written: an admin API key exists already; make another with POST /api/v1/api-keys")
		}
		return err
	}
	if err := errors.Join(f.Chmod(0o600), f.Truncate(0)); err != nil {
		return fmt.Errorf("--admin-key-file: %w", err)
	}
	if _, err := fmt.Fprintln(f, key); err != nil {
		return fmt.Errorf("--admin-key-file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--admin-key-file: %w", err)
	}
	log.Info("admin API key generated and written", zap.String("file", keyFile))
	return nil
}

// isTerminal reports whether f is a character device: a terminal, not a pipe or file that a
// log collector reads.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
