package integration

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v82"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/order"
	stripesandbox "github.com/hostflow/hostflow/sandbox/stripe"
)

// useStripeStandIn starts the Stripe stand-in with the secret key, sending its webhooks to the
// stack's /webhooks/stripe, and points the workflow's Stripe client at it.
func (s *stack) useStripeStandIn(key string) (*stripesandbox.Server, *httptest.Server) {
	sb := stripesandbox.New(stripesandbox.Config{SecretKey: key, WebhookURL: s.api.URL + "/webhooks/stripe", WebhookSecret: stripeSecret})
	srv := httptest.NewServer(sb)
	s.t.Cleanup(func() { srv.Close(); sb.Close() })
	s.acts.Stripe = gateway.NewStripe(gateway.StripeConfig{SecretKey: key, APIURL: srv.URL})
	return sb, srv
}

// An order placed through the REST API is paid on the Stripe stand-in's hosted page: Pay Now
// has the order's workflow open the Checkout Session for the invoice's amount, Pay sends the signed
// checkout.session.completed to the starter's /webhooks/stripe, and the invoice is Paid once,
// also when the stand-in delivers the event a second time and the customer clicks Pay twice.
func TestStripeCheckoutPaysInvoiceOnce(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	const key = "sk_test_integration_0123456789"
	sb, srv := s.useStripeStandIn(key)

	o := s.place("payment", "stripe-checkout.com")
	ctx := context.Background()
	var clientID int64
	require.NoError(t, s.pool.QueryRow(ctx, "SELECT client_id FROM invoices WHERE id = $1", o.invoiceID).Scan(&clientID))
	back := fmt.Sprintf("https://billing.example/client/invoices/%d", o.invoiceID)
	// Pay Now: the order's workflow opens the session in an activity.
	payURL, err := s.svc.PayNow(ctx, clientID, o.invoiceID, back, back)
	require.NoError(t, err)
	again, err := s.svc.PayNow(ctx, clientID, o.invoiceID, back, back)
	require.NoError(t, err)
	require.Equal(t, payURL, again, "a double click on Pay Now opens one session")
	_, err = s.svc.PayNow(ctx, clientID+1000, o.invoiceID, back, back)
	var f *fault.Error
	require.ErrorAs(t, err, &f)
	require.Equal(t, fault.NotFound, f.Kind, "another client's invoice is not found")
	sessionID := payURL[strings.LastIndex(payURL, "/")+1:]
	sc := stripe.NewClient(key, stripe.WithBackends(stripe.NewBackendsWithConfig(&stripe.BackendConfig{URL: stripe.String(srv.URL),
		LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull}})))
	cs, err := sc.V1CheckoutSessions.Retrieve(ctx, sessionID, nil)
	require.NoError(t, err)
	require.Equal(t, int64(2699), cs.AmountTotal, "9.99 + 5.00 setup + 12.00 .com, read from the invoice")
	require.Equal(t, fmt.Sprint(o.invoiceID), cs.Metadata["invoice_id"])
	success := back
	// The customer's browser: the hosted page, then Pay.
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page, err := browser.Get(payURL)
	require.NoError(t, err)
	html, _ := io.ReadAll(page.Body)
	_ = page.Body.Close()
	require.Equal(t, 200, page.StatusCode)
	require.Contains(t, string(html), "26.99 USD")
	payAt := payURL + "/pay"
	require.Contains(t, string(html), `action="`+strings.TrimPrefix(payAt, srv.URL)+`"`)
	for range 2 { // a double click on Pay
		resp, err := browser.PostForm(payAt, url.Values{})
		require.NoError(t, err)
		_ = resp.Body.Close()
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		require.Equal(t, strings.ReplaceAll(success, "{CHECKOUT_SESSION_ID}", cs.ID), resp.Header.Get("Location"))
	}
	events := sb.Events()
	require.Len(t, events, 1, "one checkout.session.completed")
	require.Equal(t, "checkout.session.completed", events[0].Type)
	d := sb.Deliveries()
	require.Len(t, d, 1)
	require.Equal(t, 200, d[0].Status, "the starter verified and took the event: %+v", d[0])

	// Stripe delivers the same event again.
	d[0], err = sb.Resend(events[0].ID)
	require.NoError(t, err)
	require.Equal(t, 200, d[0].Status, "a redelivery is answered 200, so Stripe stops")

	paid, err := sc.V1CheckoutSessions.Retrieve(ctx, cs.ID, nil)
	require.NoError(t, err)
	require.Equal(t, stripe.CheckoutSessionPaymentStatusPaid, paid.PaymentStatus)

	detail := s.mustCall("GET", fmt.Sprintf("/api/v1/orders/%d", o.orderID), nil, 200)
	invoice := detail["invoice"].(map[string]any)
	require.Equal(t, "Paid", invoice["status"])
	require.Equal(t, "26.99", invoice["paid"])
	require.Equal(t, 1, s.count("SELECT count(*) FROM transactions WHERE invoice_id = $1", o.invoiceID), "paid exactly once")
	require.Equal(t, 1, s.count("SELECT count(*) FROM transactions WHERE invoice_id = $1 AND gateway = 'stripe' AND transaction_id = $2",
		o.invoiceID, paid.PaymentIntent.ID), "recorded under the PaymentIntent's id")
	require.Equal(t, 1, s.count("SELECT count(*) FROM gateway_events WHERE event_id = $1", events[0].ID))

	s.eventually(o.orderID, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
	creates, _ := s.panel.counts()
	require.Equal(t, 1, creates, "auto-setup on payment ran once")
	require.Equal(t, order.InvoicePaid, s.workflowState(o.orderID).PaymentStatus)

	// Paid: Pay Now opens no further session.
	_, err = s.svc.PayNow(ctx, clientID, o.invoiceID, back, back)
	require.ErrorAs(t, err, &f)
	require.Equal(t, fault.Conflict, f.Kind)
	require.Equal(t, order.ReasonNothingToPay, f.Message)
}
