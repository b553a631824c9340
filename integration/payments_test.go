package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

const stripeSecret = "whsec_test_0123456789abcdef"

// post sends a raw request, without the admin key, as a gateway would.
func (s *stack) post(base, path string, body []byte, header http.Header) (int, map[string]any) {
	s.t.Helper()
	req, err := http.NewRequest("POST", base+path, bytes.NewReader(body))
	require.NoError(s.t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	require.NoError(s.t, json.Unmarshal(raw, &out), "body %s", raw)
	return resp.StatusCode, out
}

func stripeEvent(id, typ string, obj map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"id": id, "object": "event", "api_version": "2025-08-27.basil", "created": time.Now().Unix(),
		"livemode": false, "pending_webhooks": 1, "type": typ, "data": map[string]any{"object": obj}})
	return b
}

func stripeHeader(body []byte, secret string, at time.Time) http.Header {
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: secret, Timestamp: at})
	return http.Header{"Stripe-Signature": {signed.Header}, "Content-Type": {"application/json"}}
}

func (s *stack) stripe(body []byte) (int, map[string]any) {
	return s.post(s.api.URL, "/webhooks/stripe", body, stripeHeader(body, stripeSecret, time.Now()))
}

func genericBody(invoiceID int64, txn, amount, status string) []byte {
	b, _ := json.Marshal(map[string]any{"invoice_id": invoiceID, "transaction_id": txn, "amount": amount, "currency": "USD", "status": status})
	return b
}

func genericHeader(secret string, body []byte, at time.Time) http.Header {
	return http.Header{gateway.HeaderTimestamp: {strconv.FormatInt(at.Unix(), 10)},
		gateway.HeaderSignature: {gateway.Sign([]byte(secret), at.Unix(), body)}}
}

// placed is an order as the API answered its placement.
type placed struct{ orderID, invoiceID int64 }

func (s *stack) place(autoSetup, domain string) placed {
	clientID, productID := s.catalogue(autoSetup)
	p := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, domain), 201)
	return placed{int64(p["order_id"].(float64)), int64(p["invoice_id"].(float64))}
}

func (s *stack) count(query string, args ...any) int {
	s.t.Helper()
	var n int
	require.NoError(s.t, s.pool.QueryRow(context.Background(), query, args...).Scan(&n))
	return n
}

func (s *stack) workflowState(orderID int64) ordermsg.State {
	s.t.Helper()
	v, err := s.tc.QueryWorkflow(context.Background(), s.workflowID(orderID), "", ordermsg.QueryState)
	require.NoError(s.t, err)
	var st ordermsg.State
	require.NoError(s.t, v.Get(&st))
	return st
}

func TestStripeEventTwiceProvisionsOnce(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	o := s.place("payment", "stripe-twice.com")
	checkout := map[string]any{"id": "cs_test_1", "object": "checkout.session", "payment_status": "paid", "amount_total": 2699,
		"currency": "usd", "payment_intent": "pi_test_1", "metadata": map[string]any{"invoice_id": strconv.FormatInt(o.invoiceID, 10)}}
	body := stripeEvent("evt_test_1", "checkout.session.completed", checkout)

	status, out := s.stripe(body)
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "Paid", out["invoice_status"])
	status, out = s.stripe(body) // Stripe redelivers
	require.Equal(t, 200, status)
	require.Equal(t, true, out["duplicate"])
	// The same payment told again by its PaymentIntent's own event.
	intent := map[string]any{"id": "pi_test_1", "object": "payment_intent", "amount_received": 2699, "currency": "usd",
		"metadata": map[string]any{"invoice_id": strconv.FormatInt(o.invoiceID, 10)}}
	status, out = s.stripe(stripeEvent("evt_test_2", "payment_intent.succeeded", intent))
	require.Equal(t, 200, status)
	require.Equal(t, true, out["duplicate"])

	s.eventually(o.orderID, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
	creates, _ := s.panel.counts()
	require.Equal(t, 1, creates, "auto-setup on payment ran once")
	require.Equal(t, 1, s.reg.count())
	require.Equal(t, 1, s.count("SELECT count(*) FROM transactions WHERE invoice_id = $1", o.invoiceID))
	require.Equal(t, order.InvoicePaid, s.workflowState(o.orderID).PaymentStatus)

	// Events hostflow does not act on: 200, so Stripe stops sending them, and no trace.
	status, out = s.stripe(stripeEvent("evt_other", "customer.created", map[string]any{"id": "cus_1"}))
	require.Equal(t, 200, status)
	require.Equal(t, "event type not handled", out["ignored"])
	status, _ = s.stripe(stripeEvent("evt_foreign", "payment_intent.succeeded",
		map[string]any{"id": "pi_foreign", "amount_received": 500, "currency": "usd"}))
	require.Equal(t, 200, status, "a payment without metadata.invoice_id is someone else's")
	require.Equal(t, 2, s.count("SELECT count(*) FROM gateway_events"), "the two events about the payment; ignored ones leave none")
}

func TestStripeSignatureFailuresLeaveNoTrace(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	o := s.place("payment", "stripe-bad.com")
	obj := map[string]any{"id": "pi_bad", "amount_received": 2699, "currency": "usd",
		"metadata": map[string]any{"invoice_id": strconv.FormatInt(o.invoiceID, 10)}}
	body := stripeEvent("evt_bad", "payment_intent.succeeded", obj)
	tampered := bytes.Replace(body, []byte("2699"), []byte("9999"), 1)
	for name, req := range map[string]struct {
		body   []byte
		header http.Header
	}{
		"wrong secret":   {body, stripeHeader(body, "whsec_wrong", time.Now())},
		"stale":          {body, stripeHeader(body, stripeSecret, time.Now().Add(-6*time.Minute))},
		"no header":      {body, http.Header{}},
		"garbage header": {body, http.Header{"Stripe-Signature": {"nonsense"}}},
		"tampered body":  {tampered, stripeHeader(body, stripeSecret, time.Now())},
	} {
		status, out := s.post(s.api.URL, "/webhooks/stripe", req.body, req.header)
		require.Equal(t, 400, status, name)
		require.Equal(t, "signature", out["field"], name)
	}
	require.Zero(t, s.count("SELECT count(*) FROM gateway_events"))
	require.Zero(t, s.count("SELECT count(*) FROM transactions"))
	require.Zero(t, s.count("SELECT count(*) FROM outbox"))

	// A secret being rolled: two v1 signatures, one of them good.
	now := time.Now()
	good := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: stripeSecret, Timestamp: now})
	header := fmt.Sprintf("t=%d,v1=%x,v1=%x", now.Unix(), webhook.ComputeSignature(now, body, "whsec_old"), good.Signature)
	status, out := s.post(s.api.URL, "/webhooks/stripe", body, http.Header{"Stripe-Signature": {header}})
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "Paid", out["invoice_status"])
}

func TestStripeRefunds(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	o := s.place("accept", "stripe-refund.com")
	inv := strconv.FormatInt(o.invoiceID, 10)
	status, _ := s.stripe(stripeEvent("evt_pay", "payment_intent.succeeded",
		map[string]any{"id": "pi_r", "amount_received": 2699, "currency": "usd", "metadata": map[string]any{"invoice_id": inv}}))
	require.Equal(t, 200, status)

	refund := func(evt string, total int) map[string]any {
		status, out := s.stripe(stripeEvent(evt, "charge.refunded",
			map[string]any{"id": "ch_r", "object": "charge", "payment_intent": "pi_r", "amount_refunded": total, "currency": "usd"}))
		require.Equal(t, 200, status, "%v", out)
		return out
	}
	require.Equal(t, "Paid", refund("evt_ref1", 1000)["invoice_status"], "a partial refund leaves the invoice Paid")
	require.Equal(t, true, refund("evt_ref1", 1000)["duplicate"])
	require.Equal(t, "Refunded", refund("evt_ref2", 2699)["invoice_status"])
	require.Equal(t, true, refund("evt_ref_late", 1000)["duplicate"], "an older total arriving late adds nothing")

	d := s.mustCall("GET", fmt.Sprintf("/api/v1/orders/%d", o.orderID), nil, 200)
	invoice := d["invoice"].(map[string]any)
	require.Equal(t, "Refunded", invoice["status"])
	require.Equal(t, "0.00", invoice["paid"])
	require.Len(t, invoice["transactions"], 3)
	require.Eventually(t, func() bool { return s.workflowState(o.orderID).PaymentStatus == order.InvoiceRefunded }, 10*time.Second, 50*time.Millisecond)
	s.recordHistory(o.orderID, "stripe-payment-refund")
}

func TestGenericGatewayCallback(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	const secret = "acme-secret-0123456789"
	s.mustCall("PUT", "/api/v1/gateways/acme", map[string]any{"secret": secret}, 200)
	gws := s.mustCall("GET", "/api/v1/gateways", nil, 200)["gateways"].([]any)
	require.Len(t, gws, 2, "acme, and stripe from the environment")
	require.NotContains(t, fmt.Sprint(gws), secret, "a secret is never shown")
	raw := s.count("SELECT count(*) FROM gateways WHERE position($1::bytea IN secret) > 0", []byte(secret))
	require.Zero(t, raw, "the secret is sealed at rest")

	o := s.place("payment", "generic.com")
	send := func(body []byte, header http.Header) (int, map[string]any) {
		return s.post(s.api.URL, "/webhooks/gateway/acme", body, header)
	}

	// A partial payment leaves the invoice Unpaid with its balance.
	body := genericBody(o.invoiceID, "A-1", "10.00", "paid")
	status, out := send(body, genericHeader(secret, body, time.Now()))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "Unpaid", out["invoice_status"])
	require.Equal(t, "16.99", out["balance"])
	require.Equal(t, order.WaitingPayment, s.workflowState(o.orderID).WaitingFor)

	// Bad callbacks: 400, and nothing recorded.
	body = genericBody(o.invoiceID, "A-2", "20.00", "paid")
	for name, h := range map[string]http.Header{
		"wrong secret": genericHeader("another-secret-0123", body, time.Now()),
		"stale":        genericHeader(secret, body, time.Now().Add(-301*time.Second)),
		"future":       genericHeader(secret, body, time.Now().Add(301*time.Second)),
		"unsigned":     {},
	} {
		status, out := send(body, h)
		require.Equal(t, 400, status, name)
		require.Equal(t, "signature", out["field"], name)
	}
	tampered := genericBody(o.invoiceID, "A-2", "2000.00", "paid")
	status, _ = send(tampered, genericHeader(secret, body, time.Now()))
	require.Equal(t, 400, status)
	status, out = s.post(s.api.URL, "/webhooks/gateway/nobody", body, genericHeader(secret, body, time.Now()))
	require.Equal(t, 404, status, "%v", out)
	require.Equal(t, 1, s.count("SELECT count(*) FROM transactions"))

	// The rest, and more: paid, and the overpayment moved to the client's credit.
	status, out = send(body, genericHeader(secret, body, time.Now()))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "Paid", out["invoice_status"])
	require.Equal(t, "0.00", out["balance"])
	require.Equal(t, "3.01", out["credited"])
	status, out = send(body, genericHeader(secret, body, time.Now()))
	require.Equal(t, 200, status)
	require.Equal(t, true, out["duplicate"])

	d := s.eventually(o.orderID, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
	require.Nil(t, d["invoice"].(map[string]any)["overpaid"])
	require.Equal(t, "26.99", d["invoice"].(map[string]any)["paid"])
	require.Equal(t, 1, s.count("SELECT count(*) FROM credits WHERE kind = 'overpayment' AND amount = 301"))
	creates, _ := s.panel.counts()
	require.Equal(t, 1, creates)

	// Signed, but wrong: a clear 4xx naming the problem.
	for field, b := range map[string][]byte{
		"invoice_id": genericBody(0, "A-3", "1.00", "paid"),
		"status":     genericBody(o.invoiceID, "A-3", "1.00", "pending"),
		"amount":     genericBody(o.invoiceID, "A-3", "-1", "paid"),
	} {
		status, out := send(b, genericHeader(secret, b, time.Now()))
		require.Equal(t, 400, status, field)
		require.Equal(t, field, out["field"])
	}
	// Money for no invoice of ours is kept for an admin, and the gateway stops retrying.
	b := genericBody(999999, "A-4", "1.00", "paid")
	status, out = send(b, genericHeader(secret, b, time.Now()))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "no invoice 999999", out["unmatched"])
}

func TestUnpaidSettingReachesWaitingOrders(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	s.mustCall("PUT", "/api/v1/settings", map[string]any{"cancel_unpaid_after_days": "30"}, 200)
	o := s.place("accept", "timer.com")
	st := s.workflowState(o.orderID)
	require.NotNil(t, st.CancelUnpaidAt)
	placedAt := st.CancelUnpaidAt.Add(-30 * 24 * time.Hour)
	require.WithinDuration(t, time.Now(), placedAt, time.Minute)

	s.mustCall("PUT", "/api/v1/settings", map[string]any{"cancel_unpaid_after_days": "2"}, 200)
	require.Eventually(t, func() bool {
		at := s.workflowState(o.orderID).CancelUnpaidAt
		return at != nil && at.Equal(placedAt.Add(2*24*time.Hour))
	}, 10*time.Second, 50*time.Millisecond, "a waiting order follows the new setting")

	s.mustCall("PUT", "/api/v1/settings", map[string]any{"cancel_unpaid_after_days": "0"}, 200)
	require.Eventually(t, func() bool { return s.workflowState(o.orderID).CancelUnpaidAt == nil }, 10*time.Second, 50*time.Millisecond)
	s.recordHistory(o.orderID, "unpaid-policy-changes")
	s.mustCall("PUT", "/api/v1/settings", map[string]any{"cancel_unpaid_after_days": "-1"}, 422)
}
