package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// A registration the registry completes later, or a transfer the losing registrar has to let
// go, is asked after at its registrar for two weeks (longer than a transfer's five-day approval
// window): every hour at first, less often as it goes on.
const (
	domainPoll    = time.Hour
	domainPollMax = 6 * time.Hour
	domainWatch   = 14 * 24 * time.Hour
)

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
			watched := w.watchedNow()
			if len(watched) == 0 || w.deleted {
				return
			}
			if workflow.Sleep(ctx, w.nextPoll(ctx, watched)) != nil {
				return
			}
			var ask []activities.DomainInput
			for _, it := range w.watchedNow() {
				if workflow.Now(ctx).Sub(*it.WatchSince) >= domainWatch {
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
					w.item(order.OnDomain, id).WatchSince = nil
					w.enqueue(func(ctx workflow.Context) { w.domainStatus(ctx, id, status) })
				}
			}
		}
	})
}

// watchedNow lists the domains being asked after: those still pending at the registrar (one
// cancelled, or set by hand, meanwhile is not asked after any more).
func (w *orderWF) watchedNow() []*ordermsg.Item {
	var out []*ordermsg.Item
	for i := range w.State.Items {
		if it := &w.State.Items[i]; it.WatchSince != nil && order.PendingAtRegistrar(it.Status) {
			out = append(out, it)
		}
	}
	return out
}

// nextPoll backs off with the age of the newest watch: a quarter of it, from an hour up to
// domainPollMax, so a fresh registration is asked after soon and a slow transfer less often.
func (w *orderWF) nextPoll(ctx workflow.Context, watched []*ordermsg.Item) time.Duration {
	age := domainWatch
	for _, it := range watched {
		age = min(age, workflow.Now(ctx).Sub(*it.WatchSince))
	}
	return min(max(domainPoll, age/4), domainPollMax)
}

// domainStatus applies what the registrar said about a pending domain; "" says it never
// stopped being pending.
func (w *orderWF) domainStatus(ctx workflow.Context, id int64, status order.Status) {
	it := w.item(order.OnDomain, id)
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
