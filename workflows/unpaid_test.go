package workflows

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

const day = 24 * time.Hour

// unpaidHarness runs an order that cancels itself after days unpaid, with an account created
// at placement so that the cancel has something to terminate.
func unpaidHarness(t *testing.T, days int) (*harness, ordermsg.Input, *int) {
	h := newHarness(t)
	terminated := 0
	h.onModule(acts.CreateAccount, func(context.Context, activities.CreateAccountInput) error { return nil })
	h.onModule(acts.TerminateAccount, func(context.Context, int64) error { terminated++; return nil }).Maybe()
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) { return order.Active, nil }).Maybe()
	in := hostingOrder(order.SetupOnOrder)
	in.CancelUnpaidAfterDays, h.unpaidDays = days, days
	return h, in, &terminated
}

func (h *harness) requireCancelAt(want time.Time) {
	h.t.Helper()
	got := h.state().CancelUnpaidAt
	require.NotNil(h.t, got, "the order should be waiting to cancel")
	require.WithinDuration(h.t, want, *got, time.Second)
}

func TestUnpaidOrderCancelsItselfWhenTimerFires(t *testing.T) {
	h, in, terminated := unpaidHarness(t, 7)
	start := h.env.Now()
	h.at(time.Second, func() { h.requireCancelAt(start.Add(7 * day)) })
	h.at(7*day-time.Minute, func() { require.Equal(t, order.Pending, h.state().Status) })
	h.at(7*day+time.Minute, func() {
		s := h.state()
		require.Equal(t, order.Cancelled, s.Status)
		require.Equal(t, order.InvoiceCancelled, s.PaymentStatus)
		require.Nil(t, s.CancelUnpaidAt)
		last := h.transitions[len(h.transitions)-1]
		require.Equal(t, order.System, last.Actor)
		require.Equal(t, string(order.ActionCancel), last.Action)
		require.Equal(t, "invoice still unpaid 7 days after the order", last.Detail)
		require.Equal(t, order.InvoiceCancelled, last.InvoiceTo)
		require.Equal(t, 1, *terminated, "the cancel terminates the account, as an admin's would")
	})
	h.at(7*day+2*time.Minute, func() { h.mustUpdate(order.ActionDelete) })
	h.run(in)
	require.NoError(t, h.env.GetWorkflowError())
}

func TestPaidOrderDoesNotCancel(t *testing.T) {
	h, in, terminated := unpaidHarness(t, 7)
	h.at(day, pay(h))
	h.at(day+time.Second, func() { require.Nil(t, h.state().CancelUnpaidAt, "a paid order has no deadline") })
	h.at(30*day, func() {
		require.Equal(t, order.Pending, h.state().Status)
		require.Zero(t, *terminated)
		h.mustUpdate(order.ActionCancel)
	})
	h.at(30*day+time.Second, refund(h))
	h.at(30*day+2*time.Second, func() { h.mustUpdate(order.ActionDelete) })
	h.run(in)
	require.NoError(t, h.env.GetWorkflowError())
}

func TestUnpaidPolicyChangeAppliesToWaitingOrder(t *testing.T) {
	for _, tc := range []struct {
		name        string
		days, to    int
		cancelledBy time.Duration // zero: not cancelled by day 40
	}{
		{name: "shortened: cancels at the new deadline", days: 30, to: 3, cancelledBy: 3*day + time.Minute},
		{name: "shortened past: cancels at once", days: 30, to: 1, cancelledBy: 2*day + time.Minute},
		{name: "lengthened", days: 3, to: 10, cancelledBy: 10*day + time.Minute},
		{name: "turned off", days: 3, to: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, in, _ := unpaidHarness(t, tc.days)
			start := h.env.Now()
			h.at(2*day, func() {
				h.unpaidDays = tc.to // the setting, then the relay's signal
				h.env.SignalWorkflow(ordermsg.SignalUnpaidPolicy, ordermsg.UnpaidPolicy{CancelAfterDays: tc.to})
			})
			h.at(2*day+time.Second, func() {
				if tc.to == 0 {
					require.Nil(t, h.state().CancelUnpaidAt)
				} else if time.Duration(tc.to)*day > 2*day {
					h.requireCancelAt(start.Add(time.Duration(tc.to) * day))
				}
			})
			if tc.cancelledBy > 0 {
				h.at(tc.cancelledBy-2*time.Minute, func() {
					if tc.cancelledBy > 2*day+time.Minute {
						require.Equal(t, order.Pending, h.state().Status, "not before the new deadline")
					}
				})
				h.at(tc.cancelledBy, func() { require.Equal(t, order.Cancelled, h.state().Status) })
			} else {
				h.at(40*day, func() {
					require.Equal(t, order.Pending, h.state().Status)
					h.mustUpdate(order.ActionCancel)
				})
			}
			h.at(41*day, func() { h.mustUpdate(order.ActionDelete) })
			h.run(in)
			require.NoError(t, h.env.GetWorkflowError())
		})
	}
}

func TestSetPendingGivesTheFullTimeToPayAgain(t *testing.T) {
	h, in, _ := unpaidHarness(t, 7)
	start := h.env.Now()
	h.at(7*day+time.Minute, func() { require.Equal(t, order.Cancelled, h.state().Status) })
	h.at(8*day, func() { h.mustUpdate(order.ActionSetPending) })
	h.at(8*day+time.Second, func() {
		s := h.state()
		require.Equal(t, order.InvoiceUnpaid, s.PaymentStatus)
		h.requireCancelAt(start.Add(15 * day))
	})
	h.at(14*day, func() { require.Equal(t, order.Pending, h.state().Status) })
	h.at(15*day+time.Minute, func() { require.Equal(t, order.Cancelled, h.state().Status) })
	h.at(15*day+2*time.Minute, func() { h.mustUpdate(order.ActionDelete) })
	h.run(in)
	require.NoError(t, h.env.GetWorkflowError())
}

func TestRefundShowsOnTheOrder(t *testing.T) {
	h, in, _ := unpaidHarness(t, 0)
	h.at(time.Second, pay(h))
	h.at(2*time.Second, func() {
		h.invoice.Status, h.invoice.Paid = order.InvoiceRefunded, 0
		h.env.SignalWorkflow(ordermsg.SignalPaymentRefunded, ordermsg.PaymentRefunded{InvoiceID: 7, Gateway: "stripe", TransactionID: "pi_1:refunded:2000"})
	})
	h.at(3*time.Second, func() {
		s := h.state()
		require.Equal(t, order.InvoiceRefunded, s.PaymentStatus)
		require.Equal(t, order.Pending, s.Status, "what a refund means for the order is the admin's call")
		h.mustUpdate(order.ActionCancel)
	})
	h.at(4*time.Second, func() { h.mustUpdate(order.ActionDelete) })
	h.run(in)
	require.NoError(t, h.env.GetWorkflowError())
}
