// Command worker runs order workflows and their activities. It drains on SIGINT or SIGTERM:
// running activities finish, and Temporal hands everything else to another worker.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/config"
	"github.com/hostflow/hostflow/logging"
	"github.com/hostflow/hostflow/metrics"
	"github.com/hostflow/hostflow/outbox"
	"github.com/hostflow/hostflow/workflows"
	"github.com/hostflow/hostflow/workflows/clientmail"
	"github.com/hostflow/hostflow/workflows/emailresend"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

func main() {
	// `worker search-attributes` prints the order search attributes, one NAME=Type a line,
	// for scripts that register them (make run): the list lives only in package workflows.
	if len(os.Args) > 1 && os.Args[1] == "search-attributes" {
		for _, a := range ordermsg.SearchAttributes {
			fmt.Println(a)
		}
		return
	}
	cfg, err := config.Load()
	log := logging.New(cfg.Dev)
	if err != nil {
		log.Fatal("configuration", zap.Error(err))
	}
	if err := run(cfg, log); err != nil {
		log.Fatal("worker stopped", zap.Error(err))
	}
}

func run(cfg config.Config, log *zap.Logger) (err error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	obs, err := metrics.Start(ctx, log, metrics.WorkerService)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, obs.Close()) }()
	pool, tc, err := cfg.Connect(ctx, log, obs.ClientOptions)
	if err != nil {
		return err
	}
	defer pool.Close()
	defer tc.Close()

	// The calls to the outside world are measured by wrapping the modules and the mail sender
	// here, and the order lifecycle by an interceptor: the activities know nothing of metrics.
	calls := metrics.NewCalls(obs.Registry)
	mail := cfg.Modules.Mail()
	mail.Sender = calls.Sender(mail.Sender)
	// The emails' links start with the public URL the client area and console are served at
	// (the API's own address unless HOSTFLOW_PUBLIC_URL says otherwise, as for the console's
	// cookies).
	mail.PublicURL = cfg.LinkBase()
	w := worker.New(tc, cfg.TaskQueue, worker.Options{Interceptors: []interceptor.WorkerInterceptor{metrics.NewOrders(obs.Registry)},
		MaxConcurrentWorkflowTaskPollers: config.TaskPollers, MaxConcurrentActivityTaskPollers: config.TaskPollers})
	workflows.Register(w, &activities.Activities{
		Records:    records.Records{Pool: pool, Secrets: cfg.Secrets},
		Panels:     calls.Panels(cfg.Modules.Panels()),
		Registrars: calls.Registrars(cfg.Modules.Registrars()),
		FraudCheck: cfg.Modules.FraudChecker(),
		Mail:       mail,
		Stripe:     cfg.Modules.StripeClient(),
		// The worker sends no outbox signal itself: the API's relay finds what it commits.
		Billing: billing.New(pool, cfg.Secrets, log, nil, outbox.New(pool, tc, log)),
	})
	// The client account's emails (Client Signup, Password Reset) run on the same worker.
	clientmail.Register(w, &clientmail.Activities{Pool: pool, Mail: mail})
	// So do the console's Resends of a logged email.
	emailresend.Register(w, &emailresend.Activities{Pool: pool, Mail: mail})
	// The listener outlives the signal: while the worker drains, /healthz says so and
	// /metrics is still scraped.
	listening, stopListening := context.WithCancel(context.Background())
	defer stopListening()
	var running atomic.Bool
	if err := serveMetrics(listening, cfg.Metrics, log, obs, healthz(pool, tc, &running)); err != nil {
		return err
	}
	log.Info("worker started", zap.String("task_queue", cfg.TaskQueue), zap.String("temporal", cfg.TemporalAddress))
	interrupt := make(chan any)
	go func() { <-ctx.Done(); running.Store(false); close(interrupt) }()
	running.Store(true)
	defer running.Store(false)
	return w.Run(interrupt)
}

// serveMetrics serves /metrics and /healthz on the worker's own listener (it has no other).
// An address in use stops the worker only if the address was configured: with the default,
// a second worker on the same host runs on, unmeasured, and says so.
func serveMetrics(ctx context.Context, m config.Metrics, log *zap.Logger, obs *metrics.Process, health http.Handler) error {
	if m.WorkerAddr == config.MetricsOff {
		return nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", obs.Handler())
	mux.Handle("GET /healthz", health)
	if m.Pprof {
		metrics.Profiling(mux)
	}
	err := metrics.Serve(ctx, log, m.WorkerAddr, mux)
	switch {
	case err == nil:
		return nil
	case m.WorkerAddrSet:
		return fmt.Errorf("HOSTFLOW_WORKER_METRICS_ADDR: %w", err)
	}
	log.Error("worker metrics not served: set HOSTFLOW_WORKER_METRICS_ADDR to a free address", zap.Error(err))
	return nil
}

// healthz answers {"status":"ok"} while the worker polls and both PostgreSQL and Temporal
// answer, else 503, so that an orchestrator restarts a worker that can do nothing.
func healthz(pool *pgxpool.Pool, tc client.Client, running *atomic.Bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "application/json")
		ok := running.Load() && pool.Ping(ctx) == nil
		if ok {
			_, err := tc.CheckHealth(ctx, &client.CheckHealthRequest{})
			ok = err == nil
		}
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"status":"unavailable"}` + "\n"))
			return
		}
		_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
	})
}
