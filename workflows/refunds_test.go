package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// Cancel & Refund cancels the order, then sends a refund of what is left of each payment its
// gateway can refund, keyed apart; a payment another way is named for the admin, and a
// refund Stripe refused is named with Stripe's words and noted on the order.
func TestCancelAndRefund(t *testing.T) {
	h := newHarness(t)
	h.onModule(acts.CreateAccount, func(context.Context, activities.CreateAccountInput) error { return nil })
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) { return order.Active, nil })
	h.onModule(acts.RefundablePayments, func(_ context.Context, invoiceID int64) ([]billing.RefundablePayment, error) {
		require.Equal(t, int64(7), invoiceID)
		return []billing.RefundablePayment{
			{Transaction: billing.Transaction{ID: 1, TransactionID: "pi_1", Gateway: "stripe", Currency: "USD"}, Left: 1000, ThroughGateway: true},
			{Transaction: billing.Transaction{ID: 2, TransactionID: "pi_2", Gateway: "stripe", Currency: "USD"}, Left: 0, ThroughGateway: true},
			{Transaction: billing.Transaction{ID: 3, TransactionID: "bank-1", Gateway: "banktransfer", Currency: "USD"}, Left: 500},
			{Transaction: billing.Transaction{ID: 4, TransactionID: "pi_4", Gateway: "stripe", Currency: "USD"}, Left: 250, ThroughGateway: true},
		}, nil
	})
	var keys []string
	h.onModule(acts.ReserveRefund, func(_ context.Context, in activities.RefundInput) (int64, error) {
		keys = append(keys, in.Key)
		return int64(len(keys)), nil
	})
	h.onModule(acts.SendRefund, func(_ context.Context, id int64) (ordermsg.Refunded, error) {
		if id == 2 {
			return ordermsg.Refunded{}, temporal.NewNonRetryableApplicationError("stripe: Charge pi_4 has been charged back", permanent.Type, errors.New("x"))
		}
		return ordermsg.Refunded{RefundID: id, TransactionID: "re_1", Payment: "pi_1", Amount: 1000, Currency: "USD"}, nil
	})
	var res ordermsg.Result
	h.steps(time.Second, func() {
		h.update(order.ActionCancelRefund, order.ActionRequest{Actor: "admin:1"}, func(r ordermsg.Result, err error) {
			require.NoError(t, err)
			res = r
		})
	}, func() { h.mustUpdate(order.ActionDelete) })
	h.run(hostingOrder(order.SetupOnAccept))
	require.Equal(t, order.Cancelled, res.Status)
	require.Len(t, res.Refunds, 3)
	require.Equal(t, "re_1", res.Refunds[0].TransactionID)
	require.Contains(t, res.Refunds[1].Error, "record the refund by hand")
	require.Equal(t, "pi_4", res.Refunds[2].Payment)
	require.Contains(t, res.Refunds[2].Error, "charged back")
	require.Len(t, keys, 2)
	require.NotEqual(t, keys[0], keys[1], "each payment's refund has its own key")
	var noted bool
	for _, e := range h.events {
		noted = noted || e.Action == "refund-failed"
	}
	require.True(t, noted, "the refused refund is on the order's events")
}
