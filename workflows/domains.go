package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/workflows/ordermsg"
	"github.com/hostflow/hostflow/workflows/orderstate"
)

// domainStatusOptions: a registrar that cannot answer after a few tries is asked again at the
// next poll (Order.NextPoll), for as long as its domain is watched.
var domainStatusOptions = workflow.ActivityOptions{
	StartToCloseTimeout: time.Minute,
	RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 3, NonRetryableErrorTypes: []string{permanent.Type}},
}

// watchDomain follows a pending domain at its registrar until it is Active (or stops being
// pending in hostflow). The news goes through the main loop, which alone changes items.
func (w *orderWF) watchDomain(ctx workflow.Context, it *ordermsg.Item) {
	now := workflow.Now(ctx)
	it.WatchSince = &now
	w.pollRegistrars(ctx)
}

// pollRegistrars asks after every watched domain of the order in one activity per tick, as
// long as any is watched. One poller runs at a time; the main loop waits for it to be idle
// before the order continues as new.
func (w *orderWF) pollRegistrars(ctx workflow.Context) {
	if w.polling {
		return
	}
	w.polling = true
	workflow.Go(ctx, func(ctx workflow.Context) {
		defer func() { w.polling = false }()
		for {
			if len(w.WatchedNow()) == 0 || w.Deleted {
				return
			}
			if workflow.Sleep(ctx, w.NextPoll(workflow.Now(ctx))) != nil {
				return
			}
			var ask []activities.DomainInput
			for _, it := range w.WatchedNow() {
				if orderstate.WatchExpired(it, workflow.Now(ctx)) {
					id := it.ID
					w.enqueue(func(ctx workflow.Context) { w.domainStatus(ctx, id, "") }) // gave up: say so on the order
					it.WatchSince = nil
					continue
				}
				ask = append(ask, activities.DomainInput{DomainID: it.ID, Registrar: it.Module})
			}
			if len(ask) == 0 {
				continue
			}
			w.asking = true
			news, err := callResult(ctx, domainStatusOptions, acts.DomainStatuses, ask)
			w.asking = false
			if err != nil {
				w.logger.Warn("Domain statuses not read", "Error", err)
				continue // asked again at the next poll
			}
			for _, n := range news {
				if n.Error != "" {
					w.logger.Warn("Domain status not read", "Domain", n.DomainID, "Error", n.Error)
				} else if !order.PendingAtRegistrar(n.Status) {
					id, status := n.DomainID, n.Status
					w.Item(order.OnDomain, id).WatchSince = nil
					w.enqueue(func(ctx workflow.Context) { w.domainStatus(ctx, id, status) })
				}
			}
		}
	})
}

// domainStatus applies what the registrar said about a pending domain; "" says it never
// stopped being pending.
func (w *orderWF) domainStatus(ctx workflow.Context, id int64, status order.Status) {
	it := w.Item(order.OnDomain, id)
	if it == nil || !order.PendingAtRegistrar(it.Status) {
		return // cancelled, or set by hand, meanwhile
	}
	if status == "" {
		w.note(ctx, w.event(order.System, "registrar-status", string(it.Status), string(it.Status),
			"domain "+it.Name+": still pending at "+it.Module+" after two weeks; check it there"))
		return
	}
	w.setItem(ctx, it, status, order.System, "registrar-status", "reported by "+it.Module)
}
