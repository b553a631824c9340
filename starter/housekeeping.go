package main

import (
	"context"
	"time"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/service"
)

// housekeepingEvery is how often the starter forgets what has expired: idle carts (a day
// unused, cart.IdleAfter) wait at most this long past their end. Every starter runs it; the
// deletes are idempotent, so several at once only repeat each other.
const housekeepingEvery = time.Hour

// keepHouse forgets idle carts now and every housekeepingEvery until ctx ends. A failure is
// logged and tried again next time: nothing waits on it.
func keepHouse(ctx context.Context, svc *service.Service, log *zap.Logger) {
	tick := time.NewTicker(housekeepingEvery)
	defer tick.Stop()
	for {
		if n, err := svc.Cart.PurgeIdle(ctx); err != nil && ctx.Err() == nil {
			log.Warn("idle carts not purged", zap.Error(err))
		} else if n > 0 {
			log.Info("idle carts purged", zap.Int64("carts", n))
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
