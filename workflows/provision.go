package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/workflows/ordermsg"
	"github.com/hostflow/hostflow/workflows/orderstate"
)

// moduleOptions: panels and registrars get a few tries with backoff; after that a person looks,
// rather than the order retrying for days unseen.
var moduleOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 3 * time.Minute,
	HeartbeatTimeout:    10 * time.Second, // a worker lost mid-call is noticed in seconds
	RetryPolicy: &temporal.RetryPolicy{InitialInterval: 2 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
		MaximumAttempts: 5, NonRetryableErrorTypes: []string{permanent.Type}},
}

// autoSetup runs the steps of every item due for auto-setup side by side, in one activity, and
// writes their outcomes in one step: an order with an account and a domain waits for the slower
// call, not for both in a row, and its history holds one round trip. An item whose step failed
// for a reason that may pass runs again on its own with the module's retry policy (runItem); a
// step refused for good waits for an admin's Retry or Skip, as any failed step.
func (w *orderWF) autoSetup(ctx workflow.Context) {
	due := w.AutoSetupDue()
	in := make([]activities.SetupItem, len(due))
	for i, it := range due {
		it.AutoDone = true
		if it.Kind == order.OnService {
			in[i].ServiceID = it.ID
		} else {
			in[i].Domain = &activities.DomainInput{DomainID: it.ID, Registrar: it.Module}
		}
	}
	outcomes, err := callResult(ctx, moduleOptions, acts.SetUpItems, in)
	if err != nil { // the activity itself failed, not a module: each item goes again on its own
		w.logger.Warn("Auto-setup failed", "Error", err)
		outcomes = make([]activities.SetupOutcome, len(due))
		for i := range outcomes {
			outcomes[i] = activities.SetupOutcome{Error: errorMessage(err), Retry: true}
		}
	}
	var changes records.ItemChanges
	var done, again []*ordermsg.Item
	for i, it := range due {
		o, op := outcomes[i], orderstate.SetupOp(it)
		switch {
		case o.Retry:
			w.logger.Warn("Module step failed, trying again", "Op", op, "Item", it.ID, "Error", o.Error)
			again = append(again, it)
		case o.Error != "":
			it.FailedOp, it.Error = op, o.Error
			w.logger.Warn("Module step failed", "Op", op, "Item", it.ID, "Error", it.Error)
			changes = append(changes, w.itemChange(it, it.Status, order.System, string(op)+"-failed", it.Error))
		default:
			changes = append(changes, w.itemChange(it, o.Status, order.System, string(op), "done through "+it.Module))
			done = append(done, it)
		}
	}
	if len(changes) > 0 {
		if len(again) == 0 {
			changes[len(changes)-1].Event = w.stamp(changes[len(changes)-1].Event)
		}
		w.recordItems(ctx, changes)
	}
	for _, it := range done {
		w.announce(it, nil)
		if it.Kind == order.OnDomain && order.PendingAtRegistrar(it.Status) {
			w.watchDomain(ctx, it)
		}
	}
	for _, it := range again {
		if w.runItem(ctx, it, orderstate.SetupOp(it), order.System, nil) {
			w.announce(it, nil)
		}
	}
}

// runItem runs one module step for an item and records the outcome; account is the admin's
// choice for a create (nil: the service's own). A failure stays on the item, with the module's
// own words, until an admin retries or skips it.
func (w *orderWF) runItem(ctx workflow.Context, it *ordermsg.Item, op ordermsg.Op, actor order.Actor, account *activities.CreateAccountInput) bool {
	from := it.Status
	var err error
	to := from
	switch op {
	case ordermsg.OpCreate:
		in := activities.CreateAccountInput{ServiceID: it.ID}
		if account != nil {
			in = *account
		}
		err = call(ctx, moduleOptions, acts.CreateAccount, in)
		to = order.Active
	case ordermsg.OpTerminate:
		err = call(ctx, moduleOptions, acts.TerminateAccount, it.ID)
		to = w.State.Status
	case ordermsg.OpRegister:
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
	if op == ordermsg.OpRegister && order.PendingAtRegistrar(to) {
		w.watchDomain(ctx, it)
	}
	return true
}
