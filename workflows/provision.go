package workflows

import (
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/fraud"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/provisioning"
)

// moduleOptions: panels and registrars get a few tries with backoff; after that a person looks,
// rather than the order retrying for days unseen.
var moduleOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 3 * time.Minute,
	HeartbeatTimeout:    10 * time.Second, // a worker lost mid-call is noticed in seconds
	RetryPolicy: &temporal.RetryPolicy{InitialInterval: 2 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
		MaximumAttempts: 5, NonRetryableErrorTypes: []string{activities.ErrPermanent}},
}

// autoWorkDue reports whether an item is due for auto-setup: services by their product's
// setting, domains with an auto-registrar once paid. Nothing runs before the fraud check passes.
func (w *orderWF) autoWorkDue() bool {
	return w.nextAutoItem() != nil
}

func (w *orderWF) nextAutoItem() *Item {
	if w.st.Status != order.Pending && w.st.Status != order.Active || !w.fraudResolved() {
		return nil
	}
	for i := range w.st.Items {
		it := &w.st.Items[i]
		if it.Status != order.Pending || it.autoDone || it.FailedOp != "" || it.Module == "" || it.Module == provisioning.None {
			continue
		}
		if it.Kind == kindService && (it.AutoSetup == order.SetupOnOrder || it.AutoSetup == order.SetupOnPayment && w.paid()) ||
			it.Kind == kindDomain && w.paid() {
			return it
		}
	}
	return nil
}

// fraudResolved reports whether the fraud check is out of the way: not yet to run, and not
// waiting for a review.
func (w *orderWF) fraudResolved() bool { return !w.fraudPending && !w.st.FraudReview }

func (w *orderWF) autoSetup(ctx workflow.Context) {
	it := w.nextAutoItem()
	it.autoDone = true
	op, in := opRegister, any(nil)
	if it.Kind == kindService {
		op, in = opCreate, activities.CreateAccountInput{ServiceID: it.ID}
	}
	if w.runItem(ctx, it, op, "system", in) {
		w.announce(ctx, it, nil)
	}
}

// runItem runs one module step for an item and records the outcome. A failure stays on the
// item, with the module's own words, until an admin retries or skips it.
func (w *orderWF) runItem(ctx workflow.Context, it *Item, op, actor string, in any) bool {
	actx := workflow.WithActivityOptions(ctx, moduleOptions)
	from := it.Status
	var err error
	to := from
	switch op {
	case opCreate:
		if in == nil {
			in = activities.CreateAccountInput{ServiceID: it.ID}
		}
		err = workflow.ExecuteActivity(actx, "CreateAccount", in).Get(ctx, nil)
		to = order.Active
	case opTerminate:
		err = workflow.ExecuteActivity(actx, "TerminateAccount", it.ID).Get(ctx, nil)
		to = w.st.Status
	case opRegister:
		var status string
		err = workflow.ExecuteActivity(actx, "RegisterDomain", activities.DomainInput{DomainID: it.ID, Registrar: it.Module}).Get(ctx, &status)
		to = status
	}
	if err != nil {
		it.FailedOp, it.Error = op, errorMessage(err)
		w.logger.Warn("Module step failed", "Op", op, "Item", it.ID, "Error", it.Error)
		w.setItem(ctx, it, from, actor, op+"-failed", it.Error)
		return false
	}
	it.FailedOp, it.Error = "", ""
	w.setItem(ctx, it, to, actor, op, "done through "+it.Module)
	if op == opRegister && pendingAtRegistrar(to) {
		w.watchDomain(ctx, it)
	}
	return true
}

// errorMessage is the module's own message, without Temporal's wrapping.
func errorMessage(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Message()
	}
	var timeoutErr *temporal.TimeoutError
	if errors.As(err, &timeoutErr) {
		return "timed out: " + timeoutErr.Error()
	}
	return err.Error()
}

func isPermanent(err error) bool {
	var appErr *temporal.ApplicationError
	return errors.As(err, &appErr) && appErr.Type() == activities.ErrPermanent
}

// checkFraud runs the placement fraud check. If the service cannot answer after its retries,
// the order waits for an admin's review instead of being held forever.
func (w *orderWF) checkFraud(ctx workflow.Context) {
	w.fraudPending = false
	if w.st.Status != order.Pending {
		return
	}
	w.runFraudCheck(ctx, "system")
}

// checkFraudNow runs the check again for an admin: a Pending order's fresh result replaces
// the last one, and a score over the threshold makes it Fraud.
func (w *orderWF) checkFraudNow(ctx workflow.Context, actor string) {
	w.fraudPending = false
	w.runFraudCheck(ctx, actor)
}

func (w *orderWF) runFraudCheck(ctx workflow.Context, actor string) {
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 2 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
			MaximumAttempts: 5, NonRetryableErrorTypes: []string{activities.ErrPermanent}},
	})
	var res fraud.Result
	if err := workflow.ExecuteActivity(actx, "CheckFraud", w.in.Order.ID).Get(ctx, &res); err != nil {
		w.st.FraudReview = true
		e := w.event("system", "fraud-check-failed", "", "", errorMessage(err))
		if err := w.record(ctx, "RecordEvent", e, nil); err != nil {
			w.logger.Error("Event not recorded", "Error", err)
		}
		return
	}
	w.applyFraud(ctx, actor, res.Module, res.Score, "", res.Raw)
}

func (w *orderWF) fraudSignal(ctx workflow.Context, f FraudCheck) {
	actor := f.Actor
	if actor == "" {
		actor = "operator"
	}
	w.fraudPending = false
	w.applyFraud(ctx, actor, f.Module, f.Score, f.Verdict, f.Raw)
}

// applyFraud records a fraud result and acts on it: over the threshold (or a "fraud" verdict)
// the order becomes Fraud; otherwise auto-setup may go on.
func (w *orderWF) applyFraud(ctx workflow.Context, actor, module string, score float64, verdict string, raw []byte) {
	isFraud := verdict == "fraud" || verdict == "" && fraud.Exceeds(score, w.in.FraudThreshold)
	w.st.FraudModule, w.st.FraudScore = module, score
	outcome := "pass"
	if isFraud {
		outcome = "fraud"
	}
	rec := activities.FraudRecord{Event: w.event(actor, "fraud-check", "", "", module+": "+outcome), Module: module, Score: score, Raw: raw}
	if err := w.record(ctx, "RecordFraud", rec, nil); err != nil {
		w.logger.Error("Fraud result not recorded", "Error", err)
	}
	if isFraud {
		if order.Check(order.ActionFraud, w.st.Status) == nil {
			w.close(ctx, actor, order.ActionFraud, order.Fraud, "")
		}
		return
	}
	w.st.FraudReview = false
}
