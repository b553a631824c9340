package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// Interleavings in which the order's workflow could lose money or a message (issue 22), each
// driven to the point where it used to.

// nextRun reads the input the order continued as new with.
func nextRun(t *testing.T, h *harness) ordermsg.Input {
	t.Helper()
	var can *workflow.ContinueAsNewError
	require.True(t, errors.As(h.env.GetWorkflowError(), &can), "the order should continue as new, got %v", h.env.GetWorkflowError())
	var next ordermsg.Input
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &next))
	require.NotNil(t, next.Resume)
	return next
}

// manualOrder is an order whose items need no module: closing it terminates nothing.
func manualOrder() ordermsg.Input {
	in := hostingOrder(order.SetupNever)
	in.Order.Services[0].Module = "none"
	in.Order.Domains[0].AutoRegistrar = "none"
	return in
}

// A payment signal that arrives in the very task in which a settled order continues as new is
// served before it does, not taken off its channel into a queue that no run serves.
func TestSignalInTheTaskThatContinuesAsNewIsServed(t *testing.T) {
	h := newHarness(t)
	h.steps(time.Second,
		func() { h.mustUpdate(order.ActionCancel) },
		func() {
			// Money captured on the Cancelled invoice; its signal is delivered with the next
			// task, the one in which the settled order's history is long enough to continue.
			h.invoice.Paid = h.invoice.Total
			h.env.SignalWorkflowSkippingWorkflowTask(ordermsg.SignalPaymentReceived, ordermsg.PaymentReceived{InvoiceID: 7, Gateway: "stripe", TransactionID: "pi_1", Review: true})
		},
		func() { h.env.SetCurrentHistoryLength(settledHistory + 1) },
	)
	h.run(manualOrder())
	next := nextRun(t, h)
	require.True(t, next.Resume.PaymentReview, "the money on the closed order must still wait for review")
	require.Equal(t, order.Cancelled, next.Resume.State.Status)
}

// Delete is refused while money sits on the invoice: the workflow knows of money that came
// after the close, and PostgreSQL, under the invoice's lock, of money whose signal is still on
// its way. Once it is refunded, the order may go.
func TestDeleteRefusedWhileMoneySitsOnTheInvoice(t *testing.T) {
	h := newHarness(t)
	h.steps(time.Second,
		func() { h.mustUpdate(order.ActionCancel) },
		pay(h), // captured on the Cancelled invoice: payment-review
		func() {
			require.Equal(t, order.WaitingPaymentReview, h.state().WaitingFor)
			h.refused(order.ActionDelete, order.ReasonMoneyOnInvoice)
		},
		refund(h),
		func() {
			require.Equal(t, order.NotWaiting, h.state().WaitingFor)
			h.invoice.Paid = h.invoice.Total // a gateway captures again; its signal is not sent yet
			h.refused(order.ActionDelete, order.ReasonMoneyOnInvoice)
		},
		func() {
			require.Equal(t, order.Cancelled, h.state().Status, "the refused delete removed nothing")
			require.Zero(t, h.deletes)
			h.env.SignalWorkflow(ordermsg.SignalPaymentReceived, ordermsg.PaymentReceived{InvoiceID: 7, Gateway: "stripe", TransactionID: "pi_2", Seq: 9, Review: true})
		},
		func() { require.Equal(t, order.WaitingPaymentReview, h.state().WaitingFor) },
		refund(h),
		func() { h.mustUpdate(order.ActionDelete) },
	)
	h.run(manualOrder())
	require.NoError(t, h.env.GetWorkflowError())
	require.Equal(t, 1, h.deletes)
}

// The order's first write commits, but its answer is lost (PostgreSQL stalled past the write's
// budget): the caller is told the order failed, so the run undoes the write before it ends,
// and leaves no order behind to hold its domains or take payments.
func TestUnconfirmedFirstWriteIsDiscarded(t *testing.T) {
	h := newHarness(t)
	h.lostAnswers = true
	h.run(manualOrder())
	require.Error(t, h.env.GetWorkflowError(), "the caller heard the order failed: so does the run")
	require.Equal(t, 1, h.discards, "the rows the write may have left are discarded")
}

// If money reached the unconfirmed order before it could be discarded, the order is kept and
// run: its money is watched like any order's.
func TestUnconfirmedOrderWithMoneyIsRunAfterAll(t *testing.T) {
	h := newHarness(t)
	h.lostAnswers = true
	h.onDiscard = func() { h.invoice.Paid = 300 } // a payment reached the invoice meanwhile
	h.at(time.Minute, func() {
		s := h.state()
		require.Equal(t, order.Pending, s.Status)
		require.Equal(t, int64(100), s.Items[0].ID, "the order's rows as the write left them")
		h.mustUpdate(order.ActionCancel)
	})
	h.at(time.Minute+time.Second, refund(h))
	h.at(time.Minute+2*time.Second, func() { h.mustUpdate(order.ActionDelete) })
	h.run(manualOrder())
	require.NoError(t, h.env.GetWorkflowError())
	require.Equal(t, 1, h.discards)
}

// Closing an order whose invoice is paid in part leaves the money on a Cancelled invoice: the
// order waits for payment-review, as it does for money that comes after the close, and may
// not be deleted until the money is refunded.
func TestPartPaymentAtCloseWaitsForReview(t *testing.T) {
	h := newHarness(t)
	h.steps(time.Second,
		func() { h.invoice.Paid = 500 }, // a bank transfer for part of the total
		func() { h.mustUpdate(order.ActionCancel) },
		func() {
			s := h.state()
			require.Equal(t, order.InvoiceCancelled, s.PaymentStatus)
			require.Equal(t, order.WaitingPaymentReview, s.WaitingFor)
			h.refused(order.ActionDelete, order.ReasonMoneyOnInvoice)
		},
		refund(h),
		func() { h.mustUpdate(order.ActionDelete) },
	)
	h.run(manualOrder())
	require.NoError(t, h.env.GetWorkflowError())
}

// The unpaid-cancel timer fires just after a payment was committed whose signal is still on its
// way: the order is not cancelled, and its accounts are not terminated.
func TestUnpaidTimerSparesAnOrderPaidAMomentAgo(t *testing.T) {
	h, in, terminated := unpaidHarness(t, 7)
	h.at(7*day-time.Second, func() {
		h.invoice.Status, h.invoice.Paid = order.InvoicePaid, h.invoice.Total // committed; the signal comes later
	})
	h.at(7*day+time.Minute, func() {
		s := h.state()
		require.Equal(t, order.Pending, s.Status, "a paid order is not cancelled for non-payment")
		require.Equal(t, order.InvoicePaid, s.PaymentStatus)
		require.Zero(t, *terminated)
		require.Nil(t, s.CancelUnpaidAt)
		pay(h)() // the signal, late: changes nothing
	})
	h.at(7*day+2*time.Minute, func() { h.mustUpdate(order.ActionCancel) })
	h.at(7*day+3*time.Minute, refund(h))
	h.at(7*day+4*time.Minute, func() { h.mustUpdate(order.ActionDelete) })
	h.run(in)
	require.NoError(t, h.env.GetWorkflowError())
}

// The unpaid-cancel setting as PostgreSQL holds it decides, wherever the order's input came
// from: an order placed while the setting changed reads the new value with its first write, a
// timer armed before the setting was turned off does not cancel, and an order set back to
// Pending waits as the setting says now.
func TestUnpaidSettingIsReadWhenTheWaitStartsAndEnds(t *testing.T) {
	t.Run("placed while the setting changed", func(t *testing.T) {
		h, in, _ := unpaidHarness(t, 0) // the input says never
		h.unpaidDays = 3                // the setting committed meanwhile
		start := h.env.Now()
		h.at(time.Second, func() { h.requireCancelAt(start.Add(3 * day)) })
		h.at(3*day+time.Minute, func() { require.Equal(t, order.Cancelled, h.state().Status) })
		h.at(3*day+2*time.Minute, func() { h.mustUpdate(order.ActionDelete) })
		h.run(in)
		require.NoError(t, h.env.GetWorkflowError())
	})
	t.Run("turned off, the signal not heard", func(t *testing.T) {
		h, in, _ := unpaidHarness(t, 3)
		h.at(day, func() { h.unpaidDays = 0 })
		h.at(10*day, func() {
			s := h.state()
			require.Equal(t, order.Pending, s.Status, "the setting is off")
			require.Nil(t, s.CancelUnpaidAt)
			h.mustUpdate(order.ActionCancel)
		})
		h.at(10*day+time.Second, func() { h.mustUpdate(order.ActionDelete) })
		h.run(in)
		require.NoError(t, h.env.GetWorkflowError())
	})
	t.Run("set back to Pending after the setting changed", func(t *testing.T) {
		h, in, _ := unpaidHarness(t, 0)
		h.at(time.Second, func() { h.mustUpdate(order.ActionCancel) })
		h.at(day, func() { h.unpaidDays = 5 }) // the Cancelled order is not among those told
		h.at(2*day, func() { h.mustUpdate(order.ActionSetPending) })
		h.at(2*day+time.Second, func() { h.requireCancelAt(h.env.Now().Add(5*day - time.Second)) })
		h.at(7*day+time.Minute, func() { require.Equal(t, order.Cancelled, h.state().Status) })
		h.at(7*day+2*time.Minute, func() { h.mustUpdate(order.ActionDelete) })
		h.run(in)
		require.NoError(t, h.env.GetWorkflowError())
	})
}

// The unpaid-cancel cancels the invoice before it terminates an account: a payment during the
// terminate lands on a Cancelled invoice, and the order waits for payment-review, instead of
// the customer paying an open invoice of an order whose account is being removed.
func TestUnpaidCancelClosesTheInvoiceBeforeTerminating(t *testing.T) {
	h := newHarness(t)
	in := hostingOrder(order.SetupOnOrder)
	in.CancelUnpaidAfterDays, h.unpaidDays = 7, 7
	h.onModule(acts.CreateAccount, func(context.Context, activities.CreateAccountInput) error { return nil })
	var atTerminate order.InvoiceStatus
	h.onModule(acts.TerminateAccount, func(context.Context, int64) error {
		atTerminate = h.invoice.Status
		h.invoice.Paid = h.invoice.Total // a capture lands meanwhile
		return nil
	})
	h.at(7*day+time.Minute, func() {
		require.Equal(t, order.InvoiceCancelled, atTerminate, "the invoice is cancelled before the account is terminated")
		s := h.state()
		require.Equal(t, order.Cancelled, s.Status)
		require.Equal(t, order.WaitingPaymentReview, s.WaitingFor, "the money that came during the close waits for review")
	})
	h.at(7*day+2*time.Minute, refund(h))
	h.at(7*day+3*time.Minute, func() { h.mustUpdate(order.ActionDelete) })
	h.run(in)
	require.NoError(t, h.env.GetWorkflowError())
}

// A part payment on the Refunded invoice of a Pending order makes it Unpaid again: the order
// waits for the rest with the full time to pay, rather than being cancelled at once because it
// was placed long ago.
func TestMoneyDueAgainAfterARefundGetsTheFullTimeToPay(t *testing.T) {
	h, in, terminated := unpaidHarness(t, 7)
	h.at(day, pay(h))
	h.at(2*day, refund(h))
	h.at(10*day, func() {
		h.invoice.Status, h.invoice.Paid = order.InvoiceUnpaid, 500
		h.env.SignalWorkflow(ordermsg.SignalPaymentReceived, ordermsg.PaymentReceived{InvoiceID: 7, Gateway: "manual", TransactionID: "t2", Seq: 3})
	})
	h.at(10*day+time.Minute, func() {
		s := h.state()
		require.Equal(t, order.Pending, s.Status, "not cancelled for a wait that began at placement")
		require.Equal(t, order.WaitingPayment, s.WaitingFor)
		h.requireCancelAt(h.env.Now().Add(7*day - time.Minute))
	})
	h.at(17*day+time.Minute, func() {
		require.Equal(t, order.Cancelled, h.state().Status)
		require.Equal(t, 1, *terminated)
	})
	h.at(17*day+2*time.Minute, refund(h))
	h.at(17*day+3*time.Minute, func() { h.mustUpdate(order.ActionDelete) })
	h.run(in)
	require.NoError(t, h.env.GetWorkflowError())
}
