package integration

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/order"
)

// invoiceStatus is the invoice's status in PostgreSQL.
func (s *stack) invoiceStatus(invoiceID int64) order.InvoiceStatus {
	s.t.Helper()
	var st order.InvoiceStatus
	require.NoError(s.t, s.pool.QueryRow(s.t.Context(), "SELECT status FROM invoices WHERE id = $1", invoiceID).Scan(&st))
	return st
}

// paymentStatusIs waits until the order's workflow believes the invoice is want.
func (s *stack) paymentStatusIs(orderID int64, want order.InvoiceStatus) {
	s.t.Helper()
	require.Eventually(s.t, func() bool { return s.workflowState(orderID).PaymentStatus == want }, 20*time.Second, 50*time.Millisecond,
		"the workflow never believed the invoice %s; it believes %s", want, s.workflowState(orderID).PaymentStatus)
}

// A Pending order whose invoice was paid and fully refunded can be paid again: a part payment
// makes the money due again (Unpaid, and the workflow hears it), the rest makes it Paid, and
// payment-based setup runs.
func TestRefundedInvoiceOfAPendingOrderIsPaidAgain(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	o := s.place("payment", "refunded-again.com")
	inv := strconv.FormatInt(o.invoiceID, 10)

	// Paid and refunded before setup ran: the workflow hears both facts after they committed,
	// reads the invoice back, and waits for payment.
	s.stopRelay()
	status, out := s.stripe(stripeEvent("evt_ra_pay", "payment_intent.succeeded",
		map[string]any{"id": "pi_ra", "amount_received": 2699, "currency": "usd", "metadata": map[string]any{"invoice_id": inv}}))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "Paid", out["invoice_status"])
	status, out = s.stripe(stripeEvent("evt_ra_refund", "charge.refunded",
		map[string]any{"id": "ch_ra", "payment_intent": "pi_ra", "amount_refunded": 2699, "currency": "usd"}))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "Refunded", out["invoice_status"])
	s.relay("r1", newTap(nil), s.tc)
	s.outboxDrained(20 * time.Second)
	s.paymentStatusIs(o.orderID, order.InvoiceRefunded)
	s.eventually(o.orderID, func(d map[string]any) bool { return d["waiting_for"] == string(order.WaitingPayment) })
	creates, _ := s.panel.counts()
	require.Zero(t, creates, "nothing is set up for a refunded invoice")

	// A part payment: the money is due again.
	out = s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", o.invoiceID),
		map[string]any{"transaction_id": "RA-1", "amount": "10.00"}, 201)
	require.Equal(t, "Unpaid", out["status"], "%v", out)
	require.Equal(t, "16.99", out["balance"])
	require.Equal(t, order.InvoiceUnpaid, s.invoiceStatus(o.invoiceID))
	s.outboxDrained(20 * time.Second)
	s.paymentStatusIs(o.orderID, order.InvoiceUnpaid)
	require.Equal(t, order.WaitingPayment, s.workflowState(o.orderID).WaitingFor)

	// The rest, through the gateway: Paid, and setup on payment runs.
	status, out = s.stripe(stripeEvent("evt_ra_pay2", "payment_intent.succeeded",
		map[string]any{"id": "pi_ra2", "amount_received": 1699, "currency": "usd", "metadata": map[string]any{"invoice_id": inv}}))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "Paid", out["invoice_status"])
	require.Equal(t, order.InvoicePaid, s.invoiceStatus(o.invoiceID))
	s.eventually(o.orderID, func(d map[string]any) bool { return d["waiting_for"] == string(order.WaitingAdminReview) })
	s.paymentStatusIs(o.orderID, order.InvoicePaid)
	creates, _ = s.panel.counts()
	require.Equal(t, 1, creates, "auto-setup on payment ran once")
	require.Equal(t, 1, s.reg.count())
}

// A paid order cancelled, then fully refunded, then Set Back to Pending: its Refunded invoice is
// decided from the ledger (Unpaid), the order waits for payment, and a payment makes it Paid.
func TestRefundedInvoiceOfAReopenedOrderIsPaidAgain(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	o := s.place("accept", "refunded-reopen.com")
	inv := strconv.FormatInt(o.invoiceID, 10)
	status, out := s.stripe(stripeEvent("evt_rr_pay", "payment_intent.succeeded",
		map[string]any{"id": "pi_rr", "amount_received": 2699, "currency": "usd", "metadata": map[string]any{"invoice_id": inv}}))
	require.Equal(t, 200, status, "%v", out)
	s.eventually(o.orderID, func(d map[string]any) bool { return d["waiting_for"] == string(order.WaitingAdminReview) })

	s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/cancel", o.orderID), nil, 200)
	require.Equal(t, order.InvoicePaid, s.invoiceStatus(o.invoiceID), "a paid invoice stays Paid when its order is cancelled")
	status, out = s.stripe(stripeEvent("evt_rr_refund", "charge.refunded",
		map[string]any{"id": "ch_rr", "payment_intent": "pi_rr", "amount_refunded": 2699, "currency": "usd"}))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "Refunded", out["invoice_status"])
	s.paymentStatusIs(o.orderID, order.InvoiceRefunded)

	s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/pending", o.orderID), nil, 200)
	require.Equal(t, order.InvoiceUnpaid, s.invoiceStatus(o.invoiceID), "the money was given back: it is due again")
	s.eventually(o.orderID, func(d map[string]any) bool { return d["waiting_for"] == string(order.WaitingPayment) })
	s.paymentStatusIs(o.orderID, order.InvoiceUnpaid)

	out = s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", o.invoiceID), map[string]any{"transaction_id": "RR-1"}, 201)
	require.Equal(t, "Paid", out["status"], "%v", out)
	require.Equal(t, order.InvoicePaid, s.invoiceStatus(o.invoiceID))
	s.eventually(o.orderID, func(d map[string]any) bool { return d["waiting_for"] == string(order.WaitingAdminReview) })
	s.paymentStatusIs(o.orderID, order.InvoicePaid)
}

// The Refunded invoice of a closed order (paid, cancelled, refunded) is not paid like an Unpaid
// one: an admin's payment is refused, as on a Cancelled invoice; money a gateway captured is
// recorded, the invoice stays Refunded, and the order waits for payment-review until the money
// is given back.
func TestRefundedInvoiceOfAClosedOrderAsksForReview(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	o := s.place("accept", "refunded-closed.com")
	inv := strconv.FormatInt(o.invoiceID, 10)
	status, out := s.stripe(stripeEvent("evt_rc_pay", "payment_intent.succeeded",
		map[string]any{"id": "pi_rc", "amount_received": 2699, "currency": "usd", "metadata": map[string]any{"invoice_id": inv}}))
	require.Equal(t, 200, status, "%v", out)
	s.eventually(o.orderID, func(d map[string]any) bool { return d["waiting_for"] == string(order.WaitingAdminReview) })
	s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/cancel", o.orderID), nil, 200)
	status, out = s.stripe(stripeEvent("evt_rc_refund", "charge.refunded",
		map[string]any{"id": "ch_rc", "payment_intent": "pi_rc", "amount_refunded": 2699, "currency": "usd"}))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "Refunded", out["invoice_status"])
	s.paymentStatusIs(o.orderID, order.InvoiceRefunded)

	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", o.invoiceID), map[string]any{"transaction_id": "RC-0"}, 409)
	require.Equal(t, 1, s.count("SELECT count(*) FROM transactions WHERE invoice_id = $1 AND type = 'payment'", o.invoiceID))

	status, out = s.stripe(stripeEvent("evt_rc_pay2", "payment_intent.succeeded",
		map[string]any{"id": "pi_rc2", "amount_received": 2699, "currency": "usd", "metadata": map[string]any{"invoice_id": inv}}))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "Refunded", out["invoice_status"], "recorded; the invoice of the closed order keeps its status")
	s.eventually(o.orderID, func(d map[string]any) bool { return d["waiting_for"] == string(order.WaitingPaymentReview) })
	creates, _ := s.panel.counts()
	require.Zero(t, creates)

	status, out = s.stripe(stripeEvent("evt_rc_refund2", "charge.refunded",
		map[string]any{"id": "ch_rc2", "payment_intent": "pi_rc2", "amount_refunded": 2699, "currency": "usd"}))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "Refunded", out["invoice_status"])
	s.eventually(o.orderID, func(d map[string]any) bool { return d["waiting_for"] != string(order.WaitingPaymentReview) })
	require.Equal(t, order.InvoiceRefunded, s.invoiceStatus(o.invoiceID))
}
