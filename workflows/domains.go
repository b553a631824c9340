package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/order"
)

// A registration the registry completes later, or a transfer the losing registrar has to let
// go, is asked after at the registrar every domainPoll, for up to domainPolls times (two weeks:
// longer than a transfer's five-day approval window).
const (
	domainPoll  = time.Hour
	domainPolls = 14 * 24
)

const cmdDomainStatus = "domain-status"

func pendingAtRegistrar(status string) bool {
	return status == order.DomainPendingRegistration || status == order.DomainPendingTransfer
}

// watchDomain follows a pending domain at its registrar until it is Active (or stops being
// pending in hostflow). The news goes through the main loop, which alone changes items.
func (w *orderWF) watchDomain(ctx workflow.Context, it *Item) {
	if !w.domainWatch {
		return
	}
	id, module := it.ID, it.Module
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 3, NonRetryableErrorTypes: []string{activities.ErrPermanent}},
	})
	workflow.Go(ctx, func(ctx workflow.Context) {
		for range domainPolls {
			if workflow.Sleep(ctx, domainPoll) != nil {
				return
			}
			if item := w.item(kindDomain, id); item == nil || !pendingAtRegistrar(item.Status) || w.deleted {
				return
			}
			var status string
			err := workflow.ExecuteActivity(actx, "DomainStatus", activities.DomainInput{DomainID: id, Registrar: module}).Get(ctx, &status)
			if err != nil {
				w.logger.Warn("Domain status not read", "Domain", id, "Error", err)
				continue // asked again at the next poll
			}
			if !pendingAtRegistrar(status) {
				w.enqueue(&command{action: cmdDomainStatus, domainID: id, status: status})
				return
			}
		}
		w.enqueue(&command{action: cmdDomainStatus, domainID: id}) // gave up: say so on the order
	})
}

// domainStatus applies what the registrar said about a pending domain.
func (w *orderWF) domainStatus(ctx workflow.Context, id int64, status string) {
	it := w.item(kindDomain, id)
	if it == nil || !pendingAtRegistrar(it.Status) {
		return // cancelled, or set by hand, meanwhile
	}
	if status == "" {
		e := w.event("system", "registrar-status", it.Status, it.Status,
			"domain "+it.Name+": still pending at "+it.Module+" after two weeks; check it there")
		if err := w.record(ctx, "RecordEvent", e, nil); err != nil {
			w.logger.Error("Event not recorded", "Error", err)
		}
		return
	}
	w.setItem(ctx, it, status, "system", "registrar-status", "reported by "+it.Module)
}

// item finds a service or domain by id: the two are numbered apart, so the kind is needed.
func (w *orderWF) item(kind string, id int64) *Item {
	for i := range w.st.Items {
		if w.st.Items[i].Kind == kind && w.st.Items[i].ID == id {
			return &w.st.Items[i]
		}
	}
	return nil
}
