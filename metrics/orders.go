package metrics

import (
	"context"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"

	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/order"
)

// Orders counts the order lifecycle where it becomes true: when the activity that writes it to
// PostgreSQL returns, that is, after its transaction committed. It is a worker interceptor, so
// the activities stay free of metrics. The activities are recognised by their input's type
// (order.NewOrder is the order being created, records.Transition an order status change),
// not by name, so that a renamed activity still counts or fails to compile.
type Orders struct {
	interceptor.WorkerInterceptorBase
	placed, accepted, cancelled, fraud prometheus.Counter
	seen                               *recent
}

// NewOrders registers the order counters in reg.
func NewOrders(reg *Registry) *Orders {
	c := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Namespace: Namespace, Name: name, Help: help})
	}
	o := &Orders{
		placed:    c("orders_placed_total", "Orders written to PostgreSQL at placement."),
		accepted:  c("orders_accepted_total", "Orders an admin accepted (status Active)."),
		cancelled: c("orders_cancelled_total", "Orders cancelled, by an admin or by the unpaid-order policy."),
		fraud:     c("orders_fraud_total", "Orders marked Fraud, by the fraud check or by an admin."),
		seen:      newRecent(4096),
	}
	reg.MustRegister(o.placed, o.accepted, o.cancelled, o.fraud)
	return o
}

// InterceptActivity implements interceptor.WorkerInterceptor.
func (o *Orders) InterceptActivity(_ context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	return &ordersActivity{ActivityInboundInterceptorBase: interceptor.ActivityInboundInterceptorBase{Next: next}, o: o}
}

type ordersActivity struct {
	interceptor.ActivityInboundInterceptorBase
	o *Orders
}

func (a *ordersActivity) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	res, err := a.Next.ExecuteActivity(ctx, in)
	if err != nil || len(in.Args) == 0 {
		return res, err
	}
	var c prometheus.Counter
	switch arg := in.Args[0].(type) {
	case order.NewOrder:
		c = a.o.placed
	case records.Transition:
		switch order.Status(arg.To) {
		case order.Active:
			c = a.o.accepted
		case order.Cancelled:
			c = a.o.cancelled
		case order.Fraud:
			c = a.o.fraud
		}
	}
	if c != nil && a.o.seen.first(activityKey(ctx)) {
		c.Inc()
	}
	return res, err
}

// activityKey names one activity call across its attempts: a write that committed and is run
// again (its result was lost to a timeout, or a workflow task with a local activity was
// retried) is not counted twice.
func activityKey(ctx context.Context) string {
	info := activity.GetInfo(ctx)
	return info.WorkflowExecution.ID + "/" + info.WorkflowExecution.RunID + "/" + info.ActivityID
}

// recent remembers the last n keys it was asked about. A repeat is rare and comes soon after
// the first, so a bounded memory is enough; a repeat on another worker is counted there again,
// which the counters' help cannot rule out but which needs a commit and a lost answer at once.
type recent struct {
	mu   sync.Mutex
	keys map[string]struct{}
	ring []string
	next int
}

func newRecent(n int) *recent {
	return &recent{keys: make(map[string]struct{}, n), ring: make([]string, n)}
}

// first reports whether key is new, and remembers it.
func (r *recent) first(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.keys[key]; ok {
		return false
	}
	delete(r.keys, r.ring[r.next])
	r.ring[r.next] = key
	r.keys[key] = struct{}{}
	r.next = (r.next + 1) % len(r.ring)
	return true
}
