package integration

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/crashpoint"
	stripesandbox "github.com/hostflow/hostflow/sandbox/stripe"
)

const refundKey = "sk_test_refunds_0123456789"

// payByStripe pays an order's invoice on the Stripe stand-in's hosted page, as the customer
// would, and answers the PaymentIntent the ledger recorded it under.
func (s *stack) payByStripe(o placed) string {
	s.t.Helper()
	ctx := context.Background()
	var clientID int64
	require.NoError(s.t, s.pool.QueryRow(ctx, "SELECT client_id FROM invoices WHERE id = $1", o.invoiceID).Scan(&clientID))
	back := fmt.Sprintf("https://billing.example/client/invoices/%d", o.invoiceID)
	payURL, err := s.svc.PayNow(ctx, clientID, o.invoiceID, back, back)
	require.NoError(s.t, err)
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.PostForm(payURL+"/pay", url.Values{})
	require.NoError(s.t, err)
	_ = resp.Body.Close()
	require.Equal(s.t, http.StatusSeeOther, resp.StatusCode)
	var pi string
	require.Eventually(s.t, func() bool {
		return s.pool.QueryRow(ctx, "SELECT transaction_id FROM transactions WHERE invoice_id = $1 AND type = 'payment'", o.invoiceID).Scan(&pi) == nil
	}, 20*time.Second, 50*time.Millisecond, "the payment's webhook was recorded")
	return pi
}

// refundsPath is an invoice's refunds.
func refundsPath(invoiceID int64) string {
	return fmt.Sprintf("/api/v1/invoices/%d/refunds", invoiceID)
}

// A Stripe payment is given back through Stripe, in parts: each refund is one refund at the
// stand-in and one row on the ledger, also once Stripe's charge.refunded for it arrives; the
// invoice stays Paid until all of it is back, then is Refunded. More than is left, two admins
// at once, and bad input are refused, naming the field and what is left.
func TestGatewayRefundsThroughStripe(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	sb, _ := s.useStripeStandIn(refundKey)
	o := s.place("payment", "refund-me.com")
	pi := s.payByStripe(o)
	s.eventually(o.orderID, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
	refunds := refundsPath(o.invoiceID)

	// Bad input, each named.
	for _, b := range []struct {
		name  string
		body  map[string]any
		want  int
		field string
	}{
		{"no method", map[string]any{"transaction_id": pi}, 422, "method"},
		{"unknown method", map[string]any{"transaction_id": pi, "method": "cheque"}, 422, "method"},
		{"no transaction", map[string]any{"method": "gateway"}, 422, "transaction_id"},
		{"unknown transaction", map[string]any{"transaction_id": "pi_nope", "method": "gateway"}, 422, "transaction_id"},
		{"zero", map[string]any{"transaction_id": pi, "method": "gateway", "amount": "0"}, 422, "amount"},
		{"negative", map[string]any{"transaction_id": pi, "method": "gateway", "amount": "-1.00"}, 422, "amount"},
		{"not a number", map[string]any{"transaction_id": pi, "method": "gateway", "amount": "ten"}, 422, "amount"},
		{"more than paid", map[string]any{"transaction_id": pi, "method": "gateway", "amount": "27.00"}, 422, "amount"},
	} {
		out := s.mustCall("POST", refunds, b.body, b.want)
		require.Equal(t, b.field, out["field"], b.name)
	}
	out := s.mustCall("POST", refunds, map[string]any{"transaction_id": pi, "method": "gateway", "amount": "30.00"}, 422)
	require.Contains(t, out["error"], "26.99 USD left to refund", "the refusal names what is left")
	unpaid := s.place("payment", "refund-unpaid.com")
	for _, m := range []string{"gateway", "manual", "credit"} {
		out = s.mustCall("POST", refundsPath(unpaid.invoiceID), map[string]any{"transaction_id": pi, "method": m}, 422)
		require.Equal(t, "transaction_id", out["field"], "an unpaid invoice has no payment to refund (%s)", m)
	}
	require.Empty(t, sb.Refunds(), "nothing refused reached Stripe")

	// A payment Stripe does not know (recorded by hand as Stripe's): Stripe refuses the refund, in
	// its words; the refund is failed and its amount refundable again.
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", unpaid.invoiceID),
		map[string]any{"transaction_id": "pi_nowhere", "gateway": "stripe"}, 201)
	out = s.mustCall("POST", refundsPath(unpaid.invoiceID), map[string]any{"transaction_id": "pi_nowhere", "method": "gateway"}, 422)
	require.Contains(t, out["error"], "No such payment_intent: 'pi_nowhere'")
	require.Equal(t, 1, s.count("SELECT count(*) FROM refunds WHERE invoice_id = $1 AND status = 'failed'", unpaid.invoiceID))
	require.Empty(t, sb.Refunds())
	// A Stripe payment is not refunded by hand: Stripe reports every refund of it, also one made
	// in its dashboard, which would record the money twice.
	out = s.mustCall("POST", refundsPath(unpaid.invoiceID), map[string]any{"transaction_id": "pi_nowhere", "method": "manual",
		"refund_transaction_id": "back-by-hand"}, 422)
	require.Equal(t, "method", out["field"])
	out = s.mustCall("POST", refundsPath(unpaid.invoiceID), map[string]any{"transaction_id": "pi_nowhere", "method": "credit"}, 201)
	require.Equal(t, "26.99", out["amount"], "all of it refundable again, here to the client's credit")

	// A part through Stripe: the invoice stays Paid.
	out = s.mustCall("POST", refunds, map[string]any{"transaction_id": pi, "method": "gateway", "amount": "6.99"}, 201)
	require.Equal(t, "6.99", out["amount"])
	require.Equal(t, "Paid", out["status"])
	reID := out["transaction_id"].(string)
	require.True(t, strings.HasPrefix(reID, "re_"), reID)
	require.Len(t, sb.Refunds(), 1)
	require.Equal(t, int64(699), sb.Refunds()[0].Amount)
	// Stripe's charge.refunded follows; it is taken and adds nothing.
	require.Eventually(t, func() bool { return deliveredOK(sb, "charge.refunded") == 1 }, 20*time.Second, 50*time.Millisecond)
	require.Equal(t, 1, s.count("SELECT count(*) FROM transactions WHERE invoice_id = $1 AND type = 'refund'", o.invoiceID))
	require.Equal(t, 1, s.count("SELECT count(*) FROM transactions WHERE transaction_id = $1 AND parent_id = $2 AND amount = -699", reID, pi))

	// Two admins refund the rest at once: one wins, the other hears what is left.
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	answers := make([]map[string]any, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i], answers[i] = s.call("POST", refunds, map[string]any{"transaction_id": pi, "method": "gateway", "amount": "15.00"})
		}()
	}
	wg.Wait()
	require.ElementsMatch(t, []int{201, 422}, statuses, "%v", answers)
	loser := answers[0]
	if statuses[0] == 201 {
		loser = answers[1]
	}
	require.Contains(t, loser["error"], "the 5.00 USD left to refund")
	require.Len(t, sb.Refunds(), 2)

	// The last of it: the invoice is Refunded, and the order hears it.
	out = s.mustCall("POST", refunds, map[string]any{"transaction_id": pi, "method": "gateway"}, 201)
	require.Equal(t, "Refunded", out["status"])
	require.Equal(t, "5.00", out["amount"])
	require.Len(t, sb.Refunds(), 3)
	out = s.mustCall("POST", refunds, map[string]any{"transaction_id": pi, "method": "gateway"}, 409)
	require.Contains(t, out["error"], "nothing left to refund")
	require.Eventually(t, func() bool { return deliveredOK(sb, "charge.refunded") == 3 }, 20*time.Second, 50*time.Millisecond)
	require.Equal(t, 3, s.count("SELECT count(*) FROM transactions WHERE invoice_id = $1 AND type = 'refund'", o.invoiceID))
	require.Equal(t, 0, s.count("SELECT coalesce(sum(amount), 0)::int FROM transactions WHERE invoice_id = $1", o.invoiceID))
	require.Eventually(t, func() bool { return s.workflowState(o.orderID).PaymentStatus == "Refunded" }, 20*time.Second, 50*time.Millisecond)
	detail := s.mustCall("GET", fmt.Sprintf("/api/v1/orders/%d", o.orderID), nil, 200)
	require.Equal(t, "Refunded", detail["invoice"].(map[string]any)["status"])
	s.recordHistory(o.orderID, "gateway-refunds")
}

// deliveredOK counts the stand-in's deliveries of an event type the starter took.
func deliveredOK(sb *stripesandbox.Server, typ string) int {
	n := 0
	for _, d := range sb.Deliveries() {
		if d.Type == typ && d.Status == 200 {
			n++
		}
	}
	return n
}

// Cancel & Refund cancels a paid order, terminates nothing it has not, and gives its Stripe
// payment back: the invoice is Refunded and the order no longer waits for payment-review.
// A payment recorded by hand is named for the admin to refund by hand, and the manual refund
// records it once however often it is posted.
func TestCancelAndRefund(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	sb, _ := s.useStripeStandIn(refundKey)
	o := s.place("accept", "cancel-refund.com")
	pi := s.payByStripe(o)
	s.eventually(o.orderID, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })

	out := s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/cancel-refund", o.orderID), nil, 200)
	require.Equal(t, "Cancelled", out["status"])
	rs := out["refunds"].([]any)
	require.Len(t, rs, 1)
	r := rs[0].(map[string]any)
	require.Equal(t, pi, r["payment"])
	require.Equal(t, "26.99", r["amount"])
	require.Nil(t, r["error"])
	require.Len(t, sb.Refunds(), 1)
	require.Equal(t, int64(2699), sb.Refunds()[0].Amount)
	o2 := s.eventually(o.orderID, func(o map[string]any) bool { return o["waiting_for"] != "payment-review" })
	require.Equal(t, "Refunded", o2["invoice"].(map[string]any)["status"])
	s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/cancel-refund", o.orderID), nil, 409)
	s.recordHistory(o.orderID, "cancel-refund")

	// A bank transfer: Cancel & Refund names it; the manual refund records it once.
	b := s.place("accept", "cancel-bank.com")
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", b.invoiceID), map[string]any{"transaction_id": "bank-1"}, 201)
	out = s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/cancel-refund", b.orderID), nil, 200)
	rs = out["refunds"].([]any)
	require.Len(t, rs, 1)
	require.Contains(t, rs[0].(map[string]any)["error"], "record the refund by hand")
	require.Len(t, sb.Refunds(), 1, "nothing sent to Stripe for a bank transfer")
	out = s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/refunds", b.invoiceID), map[string]any{"transaction_id": "bank-1",
		"method": "gateway"}, 422)
	require.Equal(t, "method", out["field"])
	manual := map[string]any{"transaction_id": "bank-1", "method": "manual", "refund_transaction_id": "bank-back-1"}
	out = s.mustCall("POST", refundsPath(b.invoiceID), manual, 201)
	require.Equal(t, "26.99", out["amount"])
	out = s.mustCall("POST", refundsPath(b.invoiceID), manual, 200)
	require.Equal(t, true, out["duplicate"])
	require.Equal(t, 1, s.count("SELECT count(*) FROM transactions WHERE invoice_id = $1 AND type = 'refund' AND parent_id = 'bank-1'", b.invoiceID))
	s.eventually(b.orderID, func(o map[string]any) bool { return o["waiting_for"] != "payment-review" })
}

// A worker killed after Stripe made the refund and before hostflow recorded it: the next
// worker sends the same refund again (the same Idempotency-Key), Stripe answers the refund it
// made, and at the end there is one refund at Stripe and one row on the ledger, also after
// Stripe's charge.refunded for it arrives.
func TestWorkerCrashDuringRefundRefundsOnce(t *testing.T) {
	s := newStack(t)
	sb, srv := s.useStripeStandIn(refundKey)
	stripeEnv := []string{"HOSTFLOW_STRIPE_SECRET_KEY=" + refundKey, "HOSTFLOW_STRIPE_API_URL=" + srv.URL}
	worker := buildCmd(t, "worker")

	first := s.runWorker(worker, stripeEnv...)
	o := s.place("accept", "refund-crash.com")
	pi := s.payByStripe(o)
	// The workflow has heard the payment (the registrar of the test's catalogue is not the
	// worker process's, so the domain waits for a retry: no matter to the refund).
	s.eventually(o.orderID, func(o map[string]any) bool {
		return o["waiting_for"] != "payment" && o["invoice"].(map[string]any)["status"] == "Paid"
	})
	require.NoError(t, first.Process.Kill())
	_, _ = first.Process.Wait()

	crash := s.runWorker(worker, append(stripeEnv, crashpoint.Env+"=refund-sent")...)
	answered := make(chan map[string]any, 1)
	go func() {
		_, out := s.call("POST", refundsPath(o.invoiceID), map[string]any{"transaction_id": pi, "method": "gateway", "amount": "10.00"})
		answered <- out
	}()
	requireKilled(t, crash, answered)
	require.Len(t, sb.Refunds(), 1, "Stripe made the refund before the crash")
	require.Equal(t, 0, s.count("SELECT count(*) FROM transactions WHERE invoice_id = $1 AND type = 'refund'", o.invoiceID),
		"and hostflow had not recorded it")

	s.runWorker(worker, stripeEnv...)
	select {
	case out := <-answered:
		require.NotContains(t, out, "error", "the refund answered: %v", out)
		require.Equal(t, "10.00", out["amount"])
		require.Equal(t, sb.Refunds()[0].ID, out["transaction_id"], "the refund Stripe made, answered again")
	case <-time.After(2 * time.Minute):
		t.Fatal("the refund never answered")
	}
	require.Len(t, sb.Refunds(), 1, "the retried refund made none more")
	require.Eventually(t, func() bool { return deliveredOK(sb, "charge.refunded") == 1 }, 20*time.Second, 50*time.Millisecond)
	require.Equal(t, 1, s.count("SELECT count(*) FROM transactions WHERE invoice_id = $1 AND type = 'refund'", o.invoiceID))
	require.Equal(t, 1, s.count("SELECT count(*) FROM refunds WHERE invoice_id = $1 AND status = 'succeeded'", o.invoiceID))
}

// An overpaid payment refunded in full: what is refundable of it leaves out what its
// overpayment put in credit, and the refund takes none of that credit back; the client keeps
// it, and the invoice is Refunded.
func TestRefundOfAnOverpaidPaymentKeepsItsCredit(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	o := s.creditOrder(clientID, productID, "overpaid-refund.com")
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", o.invoiceID),
		map[string]any{"transaction_id": "over-1", "gateway": "banktransfer", "amount": "30.00"}, 201)
	require.Equal(t, "3.01", s.usdBalance(clientID))
	out := s.mustCall("POST", refundsPath(o.invoiceID), map[string]any{"transaction_id": "over-1", "method": "manual",
		"refund_transaction_id": "over-back"}, 201)
	require.Equal(t, "26.99", out["amount"], "all that is left of it: 30.00 less the 3.01 in credit")
	require.Equal(t, "Refunded", out["status"])
	require.Equal(t, "3.01", s.usdBalance(clientID), "its own overpayment stays the client's")
}
