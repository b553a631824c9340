package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// checkoutOptions: stripe-go retries twice within its own 30 s timeout; a few more tries
// cover a blip, while the customer waits for the payment page. What Stripe refuses is final.
var checkoutOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 100 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, MaximumAttempts: 3,
		NonRetryableErrorTypes: []string{permanent.Type}},
}

// checkout opens an online payment session for the order's invoice (Pay Now): the activity
// reads what is left to pay from PostgreSQL and refuses an invoice that takes no money. While
// the last session is open its attempt is used again, so that Stripe answers with that same
// session; once it has expired the next attempt opens a new one. Sessions are opened one at a
// time, so that a double click on an expired session opens one, not two. It changes nothing of
// the order's lifecycle and so does not wait in the queue behind its steps.
func (w *orderWF) checkout(ctx workflow.Context, req ordermsg.CheckoutRequest) (ordermsg.CheckoutSession, error) {
	if err := workflow.Await(ctx, func() bool { return !w.checkingOut }); err != nil {
		return ordermsg.CheckoutSession{}, err
	}
	w.checkingOut = true
	defer func() { w.checkingOut = false }()
	attempt := w.CheckoutAttempt(workflow.Now(ctx))
	cs, err := callResult(ctx, checkoutOptions, acts.CreateCheckoutSession, activities.CheckoutInput{OrderID: w.in.Order.ID,
		InvoiceID: w.Placed.InvoiceID, Attempt: attempt, SuccessURL: req.SuccessURL, CancelURL: req.CancelURL})
	if err != nil {
		return ordermsg.CheckoutSession{}, err
	}
	w.Checkout.ExpiresAt = cs.ExpiresAt
	return ordermsg.CheckoutSession{URL: cs.URL, ExpiresAt: cs.ExpiresAt}, nil
}
