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

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/order"
	stripesandbox "github.com/hostflow/hostflow/sandbox/stripe"
)

// An order placed through the REST API is paid on the Stripe stand-in's hosted page: the
// activity opens the Checkout Session for the invoice's amount, Pay sends the signed
// checkout.session.completed to the starter's /webhooks/stripe, and the invoice is Paid once,
// also when the stand-in delivers the event a second time and the customer clicks Pay twice.
func TestStripeCheckoutPaysInvoiceOnce(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	const key = "sk_test_integration_0123456789"
	sb := stripesandbox.New(stripesandbox.Config{SecretKey: key, WebhookURL: s.api.URL + "/webhooks/stripe", WebhookSecret: stripeSecret})
	srv := httptest.NewServer(sb)
	t.Cleanup(func() { srv.Close(); sb.Close() })
	s.acts.Stripe = gateway.NewStripe(gateway.StripeConfig{SecretKey: key, APIURL: srv.URL})

	o := s.place("payment", "stripe-checkout.com")
	ctx := context.Background()
	success := fmt.Sprintf("https://billing.example/client/invoices/%d?session={CHECKOUT_SESSION_ID}", o.invoiceID)
	in := activities.CheckoutInput{OrderID: o.orderID, InvoiceID: o.invoiceID, Attempt: 1, SuccessURL: success,
		CancelURL: fmt.Sprintf("https://billing.example/client/invoices/%d", o.invoiceID)}
	cs, err := s.acts.CreateCheckoutSession(ctx, in)
	require.NoError(t, err)
	require.Equal(t, int64(2699), cs.Amount, "9.99 + 5.00 setup + 12.00 .com, read from the invoice")
	again, err := s.acts.CreateCheckoutSession(ctx, in)
	require.NoError(t, err)
	require.Equal(t, cs.ID, again.ID, "a double click on Pay Now opens one session")

	// The customer's browser: the hosted page, then Pay.
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page, err := browser.Get(cs.URL)
	require.NoError(t, err)
	html, _ := io.ReadAll(page.Body)
	_ = page.Body.Close()
	require.Equal(t, 200, page.StatusCode)
	require.Contains(t, string(html), "26.99 USD")
	payAt := cs.URL + "/pay"
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

	sc := stripe.NewClient(key, stripe.WithBackends(stripe.NewBackendsWithConfig(&stripe.BackendConfig{URL: stripe.String(srv.URL),
		LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull}})))
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

	// Paid: the activity opens no further session.
	in.Attempt = 2
	_, err = s.acts.CreateCheckoutSession(ctx, in)
	require.ErrorContains(t, err, activities.ReasonNothingToPay)
}
