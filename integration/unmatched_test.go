package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// Money a gateway captured that matches no invoice is kept, answered 200 so that the gateway
// stops resending, recorded once however often it is resent, and listed for admins.
func TestUnmatchedGatewayPaymentsAreKept(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	const secret = "acme-secret-0123456789"
	s.mustCall("PUT", "/api/v1/gateways/acme", map[string]any{"secret": secret}, 200)
	acme := func(body []byte) map[string]any {
		status, out := s.post(s.api.URL, "/webhooks/gateway/acme", body, genericHeader(secret, body, time.Now()))
		require.Equal(t, 200, status, "%v", out)
		return out
	}
	o := s.place("accept", "unmatched.com")
	gone := s.place("accept", "unmatched-gone.com")
	s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/cancel", gone.orderID), nil, 200)
	s.mustCall("DELETE", fmt.Sprintf("/api/v1/orders/%d", gone.orderID), nil, 200)
	require.Zero(t, s.count("SELECT count(*) FROM invoices WHERE id = $1", gone.invoiceID))

	// An unknown invoice, twice: one row.
	body := genericBody(999999, "U-1", "26.99", "paid")
	out := acme(body)
	require.Equal(t, false, out["duplicate"])
	require.Equal(t, "no invoice 999999", out["unmatched"])
	out = acme(body)
	require.Equal(t, true, out["duplicate"])
	require.Equal(t, "no invoice 999999", out["unmatched"])

	// A deleted invoice.
	require.Equal(t, fmt.Sprintf("no invoice %d", gone.invoiceID), acme(genericBody(gone.invoiceID, "U-2", "26.99", "paid"))["unmatched"])

	// The wrong currency: the invoice is untouched.
	b, _ := json.Marshal(map[string]any{"invoice_id": o.invoiceID, "transaction_id": "U-3", "amount": "26.99", "currency": "EUR", "status": "paid"})
	require.Equal(t, fmt.Sprintf("in EUR, but invoice %d is in USD", o.invoiceID), acme(b)["unmatched"])
	require.Zero(t, s.count("SELECT count(*) FROM transactions WHERE invoice_id = $1", o.invoiceID))
	require.Equal(t, 1, s.count("SELECT count(*) FROM invoices WHERE id = $1 AND status = 'Unpaid'", o.invoiceID))

	// Stripe: both events about one payment for an unknown invoice leave one row; a refund of a
	// payment hostflow never held is kept too.
	meta := map[string]any{"invoice_id": "888888"}
	status, out := s.stripe(stripeEvent("evt_u_cs", "checkout.session.completed", map[string]any{"id": "cs_u", "payment_status": "paid",
		"amount_total": 1500, "currency": "usd", "payment_intent": "pi_u", "metadata": meta}))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "no invoice 888888", out["unmatched"])
	status, out = s.stripe(stripeEvent("evt_u_pi", "payment_intent.succeeded",
		map[string]any{"id": "pi_u", "amount_received": 1500, "currency": "usd", "metadata": meta}))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, true, out["duplicate"])
	status, out = s.stripe(stripeEvent("evt_u_ref", "charge.refunded",
		map[string]any{"id": "ch_u", "payment_intent": "pi_u", "amount_refunded": 500, "currency": "usd"}))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "no stripe payment pi_u to refund; the amount is the total refunded so far", out["unmatched"])

	// An admin's payment keeps its refusals: nothing is kept.
	s.mustCall("POST", "/api/v1/invoices/999999/payments", map[string]any{"transaction_id": "ADM-1", "amount": "1.00"}, 404)
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", gone.invoiceID), map[string]any{"transaction_id": "ADM-2"}, 404)
	require.Equal(t, 5, s.count("SELECT count(*) FROM unmatched_payments"))
	require.Zero(t, s.count("SELECT count(*) FROM transactions"))
	require.Zero(t, s.count("SELECT count(*) FROM outbox"))

	// Listed newest first, in keyset pages.
	page := s.mustCall("GET", "/api/v1/payments/unmatched?limit=3", nil, 200)
	rows := page["unmatched_payments"].([]any)
	require.Len(t, rows, 3)
	first := rows[0].(map[string]any)
	require.Equal(t, "stripe", first["gateway"])
	require.Equal(t, "refund", first["kind"])
	require.Equal(t, "pi_u", first["parent_id"])
	require.Equal(t, "5.00", first["amount"])
	require.Equal(t, "evt_u_cs", rows[1].(map[string]any)["event_id"])
	cursor := page["next_cursor"].(float64)
	page = s.mustCall("GET", fmt.Sprintf("/api/v1/payments/unmatched?limit=3&cursor=%d", int64(cursor)), nil, 200)
	rows = page["unmatched_payments"].([]any)
	require.Len(t, rows, 2)
	require.Nil(t, page["next_cursor"])
	last := rows[1].(map[string]any)
	require.Equal(t, map[string]any{"gateway": "acme", "event_id": "paid:U-1", "kind": "payment", "transaction_id": "U-1",
		"invoice_id": float64(999999), "amount": "26.99", "currency": "USD", "reason": "no invoice 999999",
		"id": last["id"], "received_at": last["received_at"]}, last)
	require.Less(t, last["id"].(float64), rows[0].(map[string]any)["id"].(float64))

	s.mustCall("GET", "/api/v1/payments/unmatched?limit=-1", nil, 400)
}

// The unmatched list needs the admin key.
func TestUnmatchedPaymentsNeedTheAdminKey(t *testing.T) {
	s := newStack(t)
	s.key = "wrong"
	status, _ := s.call("GET", "/api/v1/payments/unmatched", nil)
	require.Equal(t, 401, status)
}

// Two charge.refunded events for one charge, each with the total refunded so far, racing:
// whichever takes the invoice first, the refunds recorded add up to the last total.
func TestStripeRefundsRacingRecordTheTotalOnce(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	o := s.place("accept", "refund-race.com")
	status, _ := s.stripe(stripeEvent("evt_race_pay", "payment_intent.succeeded", map[string]any{"id": "pi_race",
		"amount_received": 2699, "currency": "usd", "metadata": map[string]any{"invoice_id": strconv.FormatInt(o.invoiceID, 10)}}))
	require.Equal(t, 200, status)

	// Hold the invoice so that both events are in flight at once, then let them go.
	ctx := context.Background()
	tx, err := s.pool.Begin(ctx)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, "SELECT 1 FROM invoices WHERE id = $1 FOR UPDATE", o.invoiceID)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i, total := range []int{1000, 2699} {
		wg.Go(func() {
			status, out := s.stripe(stripeEvent(fmt.Sprintf("evt_race_%d", i), "charge.refunded",
				map[string]any{"id": "ch_race", "payment_intent": "pi_race", "amount_refunded": total, "currency": "usd"}))
			require.Equal(t, 200, status, "%v", out)
		})
	}
	require.Eventually(t, func() bool {
		return s.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == 2
	}, 10*time.Second, 10*time.Millisecond, "both events wait for the invoice")
	require.NoError(t, tx.Rollback(ctx))
	wg.Wait()

	require.Equal(t, 2699, s.count("SELECT coalesce(-sum(amount), 0)::int FROM transactions WHERE type = 'refund' AND parent_id = 'pi_race'"))
	require.Equal(t, 1, s.count("SELECT count(*) FROM invoices WHERE id = $1 AND status = 'Refunded'", o.invoiceID))
	require.Eventually(t, func() bool { return s.workflowState(o.orderID).PaymentStatus == order.InvoiceRefunded }, 10*time.Second, 50*time.Millisecond)
}

// Money captured for a cancelled order is recorded, and the order's workflow hears it with
// Review set (and its ledger position), so that it waits for payment-review. An admin cannot
// pay the Cancelled invoice.
func TestGatewayPaymentForACancelledOrderAsksForReview(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	o := s.place("payment", "review.com")
	s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/cancel", o.orderID), nil, 200)
	require.Equal(t, 1, s.count("SELECT count(*) FROM invoices WHERE id = $1 AND status = 'Cancelled'", o.invoiceID))
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", o.invoiceID), map[string]any{"transaction_id": "ADM-R"}, 409)

	s.stopRelay() // to read the signal before it goes
	status, out := s.stripe(stripeEvent("evt_review", "payment_intent.succeeded", map[string]any{"id": "pi_review",
		"amount_received": 1000, "currency": "usd", "metadata": map[string]any{"invoice_id": strconv.FormatInt(o.invoiceID, 10)}}))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "Cancelled", out["invoice_status"], "recorded; the invoice stays Cancelled")
	var seq int64
	require.NoError(t, s.pool.QueryRow(context.Background(), "SELECT id FROM transactions WHERE transaction_id = 'pi_review'").Scan(&seq))
	var signal string
	var payload []byte
	require.NoError(t, s.pool.QueryRow(context.Background(), "SELECT signal, payload FROM outbox WHERE workflow_id = $1",
		s.workflowID(o.orderID)).Scan(&signal, &payload))
	require.Equal(t, ordermsg.SignalPaymentReceived, signal)
	var got ordermsg.PaymentReceived
	require.NoError(t, json.Unmarshal(payload, &got))
	require.Equal(t, ordermsg.PaymentReceived{InvoiceID: o.invoiceID, Gateway: "stripe", TransactionID: "pi_review", Seq: seq, Review: true}, got,
		"a partial payment needs review too")

	tap := newTap(nil)
	s.relay("r1", tap, s.tc)
	s.eventually(o.orderID, func(d map[string]any) bool { return d["waiting_for"] == string(order.WaitingPaymentReview) })
	creates, _ := s.panel.counts()
	require.Zero(t, creates, "nothing is set up for a cancelled order")

	// The admin gives the money back: the order hears it and has nothing left to review.
	status, out = s.stripe(stripeEvent("evt_review_refund", "charge.refunded",
		map[string]any{"id": "ch_review", "payment_intent": "pi_review", "amount_refunded": 1000, "currency": "usd"}))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "Cancelled", out["invoice_status"])
	s.eventually(o.orderID, func(d map[string]any) bool { return d["waiting_for"] != string(order.WaitingPaymentReview) })
	require.Eventually(t, func() bool { return len(tap.delivered(s.workflowID(o.orderID))) == 2 }, 5*time.Second, 20*time.Millisecond)
	s.mustCall("DELETE", fmt.Sprintf("/api/v1/orders/%d", o.orderID), nil, 200)
	s.recordHistory(o.orderID, "payment-review-refund")
}
