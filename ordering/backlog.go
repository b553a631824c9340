package ordering

import (
	"context"
	"time"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
)

// Backlog is what operators watch for orders and signals piling up: orders by what their
// workflow waits for, and the outbox of signals not yet delivered.
type Backlog struct {
	Waiting      map[order.WaitingFor]int64 // every order.Waitings value, 0 when none waits for it
	OutboxDepth  int64
	OutboxOldest time.Duration // age of the oldest undelivered signal; 0 with none
}

// Backlog reads the backlog from PostgreSQL, for /metrics.
func (s *Ordering) Backlog(ctx context.Context) (Backlog, error) {
	q := s.q()
	rows, err := q.OrdersWaiting(ctx)
	if err != nil {
		return Backlog{}, fault.Wrap(err, "count waiting orders")
	}
	b := Backlog{Waiting: make(map[order.WaitingFor]int64, len(order.Waitings))}
	for _, w := range order.Waitings {
		b.Waiting[w] = 0
	}
	for _, r := range rows {
		b.Waiting[order.WaitingFor(r.WaitingFor)] = r.Orders
	}
	out, err := q.OutboxBacklog(ctx)
	if err != nil {
		return Backlog{}, fault.Wrap(err, "measure the outbox")
	}
	b.OutboxDepth, b.OutboxOldest = out.Depth, time.Duration(out.OldestSeconds*float64(time.Second))
	return b, nil
}
