package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
)

// A registration the registry completes later, or a transfer the losing registrar has to let
// go, is asked after at the registrar every domainPoll, for up to domainPolls times (two weeks:
// longer than a transfer's five-day approval window).
const (
	domainPoll  = time.Hour
	domainPolls = 14 * 24
)

var domainStatusOptions = workflow.ActivityOptions{
	StartToCloseTimeout: time.Minute,
	RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 3, NonRetryableErrorTypes: []string{permanent.Type}},
}

// watchDomain follows a pending domain at its registrar until it is Active (or stops being
// pending in hostflow). The news goes through the main loop, which alone changes items.
func (w *orderWF) watchDomain(ctx workflow.Context, it *Item) {
	if !w.domainWatch {
		return
	}
	id, module := it.ID, it.Module
	workflow.Go(ctx, func(ctx workflow.Context) {
		for range domainPolls {
			if workflow.Sleep(ctx, domainPoll) != nil {
				return
			}
			if item := w.item(order.OnDomain, id); item == nil || !order.PendingAtRegistrar(item.Status) || w.deleted {
				return
			}
			status, err := callResult(ctx, domainStatusOptions, acts.DomainStatus, activities.DomainInput{DomainID: id, Registrar: module})
			if err != nil {
				w.logger.Warn("Domain status not read", "Domain", id, "Error", err)
				continue // asked again at the next poll
			}
			if !order.PendingAtRegistrar(status) {
				w.enqueue(func(ctx workflow.Context) { w.domainStatus(ctx, id, status) })
				return
			}
		}
		w.enqueue(func(ctx workflow.Context) { w.domainStatus(ctx, id, "") }) // gave up: say so on the order
	})
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
