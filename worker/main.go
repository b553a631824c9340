// Command worker runs order workflows and their activities. It drains on SIGINT or SIGTERM:
// running activities finish, and Temporal hands everything else to another worker.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"go.temporal.io/sdk/worker"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/config"
	"github.com/hostflow/hostflow/logging"
	"github.com/hostflow/hostflow/workflows"
)

func main() {
	// `worker search-attributes` prints the order search attributes, one NAME=Type a line,
	// for scripts that register them (make run): the list lives only in package workflows.
	if len(os.Args) > 1 && os.Args[1] == "search-attributes" {
		for _, a := range workflows.SearchAttributes {
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

func run(cfg config.Config, log *zap.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	pool, tc, err := cfg.Connect(ctx, log)
	if err != nil {
		return err
	}
	defer pool.Close()
	defer tc.Close()

	w := worker.New(tc, cfg.TaskQueue, worker.Options{})
	workflows.Register(w, &activities.Activities{
		Pool:       pool,
		Secrets:    cfg.Secrets,
		Panels:     cfg.Modules.Panels(),
		Registrars: cfg.Modules.Registrars(),
		FraudCheck: cfg.Modules.FraudChecker(),
		Mail:       cfg.Modules.Mail(),
	})
	log.Info("worker started", zap.String("task_queue", cfg.TaskQueue), zap.String("temporal", cfg.TemporalAddress))
	interrupt := make(chan any)
	go func() { <-ctx.Done(); close(interrupt) }()
	return w.Run(interrupt)
}
