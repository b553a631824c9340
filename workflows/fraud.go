package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/fraud"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// fraudOptions: a fraud service that cannot answer after a few tries hands the order to an
// admin's review rather than holding it.
var fraudOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{InitialInterval: 2 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
		MaximumAttempts: 5, NonRetryableErrorTypes: []string{permanent.Type}},
}

// checkFraud runs the placement fraud check. If the service cannot answer after its retries,
// the order waits for an admin's review instead of being held forever.
func (w *orderWF) checkFraud(ctx workflow.Context) {
	w.FraudPending = false
	if w.State.Status != order.Pending {
		return
	}
	w.runFraudCheck(ctx, order.System, "")
}

// checkFraudNow runs the check again for an admin: a Pending order's fresh result replaces
// the last one, and a score over the threshold makes it Fraud.
func (w *orderWF) checkFraudNow(ctx workflow.Context, actor order.Actor, req order.ActionRequest) error {
	w.FraudPending = false
	w.runFraudCheck(ctx, actor, req.IPAddress)
	return nil
}

// runFraudCheck scores the order, from ip when one is given (an admin's override), else from
// the address it was placed from.
func (w *orderWF) runFraudCheck(ctx workflow.Context, actor order.Actor, ip string) {
	var res fraud.Result
	var err error
	if ip != "" {
		res, err = callResult(ctx, fraudOptions, acts.CheckFraudFrom, activities.FraudCheckInput{OrderID: w.in.Order.ID, IP: ip})
	} else {
		res, err = callResult(ctx, fraudOptions, acts.CheckFraud, w.in.Order.ID)
	}
	if err != nil {
		w.State.FraudReview = true
		w.note(ctx, w.event(order.System, "fraud-check-failed", "", "", errorMessage(err)))
		return
	}
	w.applyFraud(ctx, actor, res.Module, res.Score, ordermsg.NoVerdict, res.Raw)
}

// fraudResult takes a result from outside: a provider's callback or an admin's review.
func (w *orderWF) fraudResult(ctx workflow.Context, f ordermsg.FraudResult) {
	w.FraudPending = false
	w.applyFraud(ctx, f.Actor.OrOperator(), f.Module, f.Score, f.Verdict, f.Raw)
}

// applyFraud records a fraud result and acts on it (Order.Scored): over the threshold (or a
// fraud verdict) the order becomes Fraud; otherwise auto-setup may go on.
func (w *orderWF) applyFraud(ctx workflow.Context, actor order.Actor, module string, score float64, verdict ordermsg.Verdict, raw []byte) {
	outcome := w.Scored(module, score, verdict, w.in.FraudThreshold)
	rec := records.FraudRecord{Event: w.event(actor, "fraud-check", "", "", module+": "+string(outcome)), Module: module, Score: score, Raw: raw}
	if err := record(ctx, w, recs.RecordFraud, rec); err != nil {
		w.logger.Error("Fraud result not recorded", "Error", err)
	}
	if outcome == ordermsg.VerdictFraud {
		if order.Check(order.ActionFraud, w.State.Status, 0) == nil {
			w.close(ctx, actor, order.ActionFraud, order.Fraud, "")
		}
		return
	}
	w.State.FraudReview = false
}
