package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/provisioning"
)

// moduleOptions: panels and registrars get a few tries with backoff; after that a person looks,
// rather than the order retrying for days unseen.
var moduleOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 3 * time.Minute,
	HeartbeatTimeout:    10 * time.Second, // a worker lost mid-call is noticed in seconds
	RetryPolicy: &temporal.RetryPolicy{InitialInterval: 2 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
		MaximumAttempts: 5, NonRetryableErrorTypes: []string{permanent.Type}},
}

// autoWorkDue reports whether an item is due for auto-setup: services by their product's
// setting, domains with an auto-registrar once paid. Nothing runs before the fraud check passes.
func (w *orderWF) autoWorkDue() bool {
	return w.nextAutoItem() != nil
}

func (w *orderWF) nextAutoItem() *Item {
	if w.State.Status != order.Pending && w.State.Status != order.Active || !w.fraudResolved() {
		return nil
	}
	for i := range w.State.Items {
		it := &w.State.Items[i]
		if it.Status != order.Pending || it.AutoDone || it.FailedOp != "" || it.Module == "" || it.Module == provisioning.None {
			continue
		}
		if it.Kind == order.OnService && (it.AutoSetup == order.SetupOnOrder || it.AutoSetup == order.SetupOnPayment && w.paid()) ||
			it.Kind == order.OnDomain && w.paid() {
			return it
		}
	}
	return nil
}

func (w *orderWF) autoSetup(ctx workflow.Context) {
	it := w.nextAutoItem()
	it.AutoDone = true
	op := OpRegister
	if it.Kind == order.OnService {
		op = OpCreate
	}
	if w.runItem(ctx, it, op, order.System, nil) {
		w.announce(it, nil)
	}
}

// runItem runs one module step for an item and records the outcome; account is the admin's
// choice for a create (nil: the service's own). A failure stays on the item, with the module's
// own words, until an admin retries or skips it.
func (w *orderWF) runItem(ctx workflow.Context, it *Item, op Op, actor order.Actor, account *activities.CreateAccountInput) bool {
	from := it.Status
	var err error
	to := from
	switch op {
	case OpCreate:
		in := activities.CreateAccountInput{ServiceID: it.ID}
		if account != nil {
			in = *account
		}
		err = call(ctx, moduleOptions, acts.CreateAccount, in)
		to = order.Active
	case OpTerminate:
		err = call(ctx, moduleOptions, acts.TerminateAccount, it.ID)
		to = w.State.Status
	case OpRegister:
		to, err = callResult(ctx, moduleOptions, acts.RegisterDomain, activities.DomainInput{DomainID: it.ID, Registrar: it.Module})
	}
	if err != nil {
		it.FailedOp, it.Error = op, errorMessage(err)
		w.logger.Warn("Module step failed", "Op", op, "Item", it.ID, "Error", it.Error)
		w.setItem(ctx, it, from, actor, string(op)+"-failed", it.Error)
		return false
	}
	it.FailedOp, it.Error = "", ""
	w.setItem(ctx, it, to, actor, string(op), "done through "+it.Module)
	if op == OpRegister && order.PendingAtRegistrar(to) {
		w.watchDomain(ctx, it)
	}
	return true
}
