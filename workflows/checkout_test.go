package workflows

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// Pay Now reuses the open session's attempt (Stripe answers with that same session), opens
// the next attempt once it has expired, and a double click then opens one session, not two.
func TestCheckoutReusesTheOpenSessionAndRenewsAnExpiredOne(t *testing.T) {
	h := newHarness(t)
	var attempts []int
	h.env.OnActivity(acts.CreateCheckoutSession, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.CheckoutInput) (activities.CheckoutSession, error) {
			attempts = append(attempts, in.Attempt)
			require.Equal(t, int64(7), in.InvoiceID, "the order's own invoice")
			return activities.CheckoutSession{URL: fmt.Sprintf("https://pay.example/%d", in.Attempt),
				ExpiresAt: h.env.Now().Add(24 * time.Hour)}, nil
		})
	var urls []string
	payNow := func() {
		h.env.UpdateWorkflow(ordermsg.UpdateCheckout, "", &testsuite.TestUpdateCallback{
			OnAccept: func() {},
			OnReject: func(err error) { t.Errorf("checkout refused: %v", err) },
			OnComplete: func(r any, err error) {
				require.NoError(t, err)
				urls = append(urls, r.(ordermsg.CheckoutSession).URL)
			},
		}, ordermsg.CheckoutRequest{SuccessURL: "https://host.example/client/invoices/7", CancelURL: "https://host.example/client/invoices/7"})
	}
	h.at(time.Second, payNow)
	h.at(2*time.Second, payNow)                       // still open: the same attempt
	h.at(25*time.Hour, func() { payNow(); payNow() }) // expired, and clicked twice
	h.at(26*time.Hour, func() { h.mustUpdate(order.ActionCancel) })
	h.at(26*time.Hour+time.Second, func() { h.mustUpdate(order.ActionDelete) })
	h.run(hostingOrder(order.SetupOnAccept))
	require.NoError(t, h.env.GetWorkflowError())
	require.Equal(t, []int{1, 1, 2, 2}, attempts)
	require.Equal(t, []string{"https://pay.example/1", "https://pay.example/1", "https://pay.example/2", "https://pay.example/2"}, urls)
}

// An order marked Fraud opens no payment: checkout is what the fraud check prevents.
func TestCheckoutRefusedForAFraudOrder(t *testing.T) {
	h := newHarness(t)
	h.onModule(acts.TerminateAccount, func(context.Context, int64) error { return nil })
	refused := false
	h.at(time.Second, func() { h.mustUpdate(order.ActionFraud) })
	h.at(2*time.Second, func() {
		h.env.UpdateWorkflow(ordermsg.UpdateCheckout, "", &testsuite.TestUpdateCallback{
			OnAccept:   func() { t.Error("checkout accepted for a Fraud order") },
			OnReject:   func(err error) { refused = true; require.ErrorContains(t, err, order.ReasonPaymentNotOpen) },
			OnComplete: func(any, error) {},
		}, ordermsg.CheckoutRequest{SuccessURL: "https://host.example/client/invoices/7"})
	})
	h.at(3*time.Second, func() { h.mustUpdate(order.ActionDelete) })
	h.run(hostingOrder(order.SetupOnAccept))
	require.NoError(t, h.env.GetWorkflowError())
	require.True(t, refused)
}
