package workflows

import (
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// changeRefunds (0.3.0): refunds through the gateway, asked for alone (the refund update) or
// by Cancel & Refund.
const changeRefunds = "refunds"

// refundOptions: a refund is retried while Stripe keeps its idempotency keys (24 hours), so
// that every retry is the same refund; what Stripe refuses is final at once.
var refundOptions = workflow.ActivityOptions{
	StartToCloseTimeout:    100 * time.Second,
	HeartbeatTimeout:       10 * time.Second,
	ScheduleToCloseTimeout: 23 * time.Hour,
	RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 5 * time.Minute,
		NonRetryableErrorTypes: []string{permanent.Type}},
}

// refundWriteOptions are the refund's database steps: retried while PostgreSQL is away.
var refundWriteOptions = workflow.ActivityOptions{
	StartToCloseTimeout:    30 * time.Second,
	ScheduleToCloseTimeout: writeRetries,
	RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute,
		NonRetryableErrorTypes: []string{permanent.Type}},
}

// refund serves the refund update: one payment given back through its gateway for an admin.
// The update's id keys the refund, so the same request asked twice refunds once. It does not
// wait in the queue behind the order's steps: it changes nothing of the lifecycle itself,
// which hears of the money from the ledger, as of any payment.
func (w *orderWF) refund(ctx workflow.Context, req ordermsg.RefundRequest) (ordermsg.Refunded, error) {
	key := workflow.GetInfo(ctx).WorkflowExecution.ID + "/" + workflow.GetCurrentUpdateInfo(ctx).ID
	return w.refundPayment(ctx, req, key) // a refusal is permanent, in billing's or Stripe's words
}

// refundPayment reserves a refund, sends it and records it, each an activity; refunds go one at
// a time. A refund its gateway never answered within the retries is given up, and its amount is
// refundable again; one the gateway refused is noted on the order with its reason.
func (w *orderWF) refundPayment(ctx workflow.Context, req ordermsg.RefundRequest, key string) (ordermsg.Refunded, error) {
	if err := workflow.Await(ctx, func() bool { return !w.refunding }); err != nil {
		return ordermsg.Refunded{}, err
	}
	w.refunding = true
	defer func() { w.refunding = false }()
	_ = workflow.GetVersion(ctx, changeRefunds, workflow.DefaultVersion, 1)

	id, err := callResult(ctx, refundWriteOptions, acts.ReserveRefund, activities.RefundInput{OrderID: w.in.Order.ID, RefundRequest: req, Key: key})
	if err != nil {
		return ordermsg.Refunded{}, err
	}
	res, err := callResult(ctx, refundOptions, acts.SendRefund, id)
	if err == nil {
		return res, nil
	}
	if !isPermanent(err) {
		if err := call(ctx, refundWriteOptions, acts.AbandonRefund, id); err != nil {
			w.logger.Error("Refund not given up", "RefundID", id, "Error", err)
		}
		err = temporal.NewNonRetryableApplicationError("the gateway did not answer: "+errorMessage(err), permanent.Type, err)
	}
	status := string(w.State.Status)
	w.note(ctx, w.event(req.Actor.OrOperator(), "refund-failed", status, status,
		fmt.Sprintf("refund of payment %s: %s", req.TransactionID, errorMessage(err))))
	return ordermsg.Refunded{RefundID: id, Payment: req.TransactionID}, err // the gateway's refusal, permanent
}

// cancelRefund cancels the order as cancel does, then gives back what is left of each of its
// invoice's payments through the payment's gateway (WHMCS's Cancel & Refund). A payment whose
// gateway cannot refund through hostflow is named in the answer, for the admin to refund by
// hand; so is one the gateway refused.
func (w *orderWF) cancelRefund(ctx workflow.Context, actor order.Actor, _ order.ActionRequest) error {
	w.close(ctx, actor, order.ActionCancelRefund, order.Cancelled, "")
	w.refunds = nil
	payments, err := callResult(ctx, refundWriteOptions, acts.RefundablePayments, w.Placed.InvoiceID)
	if err != nil {
		w.logger.Error("Payments not read for Cancel & Refund", "Error", err)
		w.refunds = []ordermsg.Refunded{{Error: "the invoice's payments could not be read: " + errorMessage(err)}}
		return nil
	}
	for _, p := range payments {
		if p.Left <= 0 {
			continue
		}
		if !p.ThroughGateway {
			w.refunds = append(w.refunds, ordermsg.Refunded{Payment: p.TransactionID, Amount: p.Left, Currency: p.Currency,
				Error: fmt.Sprintf("taken by %s, which cannot refund through hostflow: record the refund by hand", p.Gateway)})
			continue
		}
		w.Seq++ // the refund's key, taken in order like an audit line's
		key := fmt.Sprintf("%s/cancel-refund-%d/%d", workflow.GetInfo(ctx).WorkflowExecution.ID, w.Seq, p.ID)
		// No amount: all that is left when its turn comes (another refund may take a part first).
		req := ordermsg.RefundRequest{InvoiceID: w.Placed.InvoiceID, TransactionID: p.TransactionID, Actor: actor}
		res, err := w.refundPayment(ctx, req, key)
		if err != nil {
			res = ordermsg.Refunded{RefundID: res.RefundID, Payment: p.TransactionID, Amount: p.Left, Currency: p.Currency, Error: errorMessage(err)}
		}
		w.refunds = append(w.refunds, res)
	}
	if slices.ContainsFunc(w.refunds, func(r ordermsg.Refunded) bool { return r.Error == "" }) {
		// The ledger's signal of the refunds follows; the answer says now what they changed.
		w.readInvoice(ctx, false)
	}
	return nil
}
