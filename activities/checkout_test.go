package activities_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v82"
	"go.temporal.io/sdk/temporal"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/order"
	stripesandbox "github.com/hostflow/hostflow/sandbox/stripe"
	"github.com/hostflow/hostflow/testenv"
)

const checkoutKey = "sk_test_activities_0123456789"

// withStripe points the activities at a Stripe stand-in and returns a stripe-go client of it,
// to see what was opened there.
func withStripe(t *testing.T, a *activities.Activities) (*stripe.Client, *httptest.Server) {
	t.Helper()
	sb := stripesandbox.New(stripesandbox.Config{SecretKey: checkoutKey})
	srv := httptest.NewServer(sb)
	t.Cleanup(func() { srv.Close(); sb.Close() })
	a.Stripe = gateway.NewStripe(gateway.StripeConfig{SecretKey: checkoutKey, APIURL: srv.URL})
	return stripe.NewClient(checkoutKey, stripe.WithBackends(stripe.NewBackendsWithConfig(&stripe.BackendConfig{
		URL: stripe.String(srv.URL), LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull}}))), srv
}

// The session charges the invoice's balance as PostgreSQL has it, in its currency, with the
// invoice in the metadata; the same attempt is the same session, a new attempt or a new
// balance a new one.
func TestCreateCheckoutSession(t *testing.T) {
	a, q := newActivities(t)
	ctx := context.Background()
	sc, _ := withStripe(t, a)
	c, err := a.CreateOrder(ctx, testenv.NewOrder(t, q))
	require.NoError(t, err)
	in := activities.CheckoutInput{OrderID: 41, InvoiceID: c.InvoiceID, Attempt: 1,
		SuccessURL: "https://billing.example/client/invoices/1?paid={CHECKOUT_SESSION_ID}", CancelURL: "https://billing.example/client/invoices/1"}

	cs, err := a.CreateCheckoutSession(ctx, in)
	require.NoError(t, err)
	require.Equal(t, int64(2200), cs.Amount)
	require.Equal(t, "USD", cs.Currency)
	require.NotEmpty(t, cs.URL)
	got, err := sc.V1CheckoutSessions.Retrieve(ctx, cs.ID, nil)
	require.NoError(t, err)
	require.Equal(t, int64(2200), got.AmountTotal)
	require.Equal(t, stripe.CurrencyUSD, got.Currency)
	require.Equal(t, map[string]string{"invoice_id": strconv.FormatInt(c.InvoiceID, 10)}, got.Metadata)
	require.Equal(t, "ada@example.com", got.CustomerEmail)
	require.Equal(t, in.SuccessURL, got.SuccessURL)

	twice, err := a.CreateCheckoutSession(ctx, in)
	require.NoError(t, err)
	require.Equal(t, cs.ID, twice.ID, "a double click, or a retried activity, opens one session")

	in2 := in
	in2.Attempt = 2
	next, err := a.CreateCheckoutSession(ctx, in2)
	require.NoError(t, err)
	require.NotEqual(t, cs.ID, next.ID)

	testenv.RecordPayment(t, q, c.InvoiceID, "part", 500)
	part, err := a.CreateCheckoutSession(ctx, in)
	require.NoError(t, err, "the same attempt after a payment: no idempotency clash")
	require.Equal(t, int64(1700), part.Amount)
	require.NotEqual(t, cs.ID, part.ID)
}

// What cannot be paid online, or is not the caller's, is refused for good; Stripe out of
// reach is retried.
func TestCreateCheckoutSessionRefusals(t *testing.T) {
	a, q := newActivities(t)
	ctx := context.Background()
	c, err := a.CreateOrder(ctx, testenv.NewOrder(t, q))
	require.NoError(t, err)
	in := activities.CheckoutInput{OrderID: 41, InvoiceID: c.InvoiceID, Attempt: 1, SuccessURL: "https://billing.example/i/1"}

	_, err = a.CreateCheckoutSession(ctx, in)
	testenv.RequirePermanent(t, err, activities.ReasonStripeNotConfigured)

	_, srv := withStripe(t, a)
	other := in
	other.OrderID = 42
	_, err = a.CreateCheckoutSession(ctx, other)
	testenv.RequirePermanent(t, err, "is not order 42's")
	missing := in
	missing.InvoiceID = c.InvoiceID + 1000
	_, err = a.CreateCheckoutSession(ctx, missing)
	testenv.RequirePermanent(t, err, "no rows")
	relative := in
	relative.SuccessURL = "/client/invoices/1"
	_, err = a.CreateCheckoutSession(ctx, relative)
	testenv.RequirePermanent(t, err, "not an absolute http(s) URL")

	testenv.RecordPayment(t, q, c.InvoiceID, "all", 2200)
	require.NoError(t, q.SetInvoiceStatusByID(ctx, db.SetInvoiceStatusByIDParams{ID: c.InvoiceID, NewStatus: order.InvoicePaid}))
	_, err = a.CreateCheckoutSession(ctx, in)
	testenv.RequirePermanent(t, err, order.ReasonNothingToPay)

	testenv.RecordPayment(t, q, c.InvoiceID, "all-refund", -2200)
	require.NoError(t, q.SetInvoiceStatusByID(ctx, db.SetInvoiceStatusByIDParams{ID: c.InvoiceID, NewStatus: order.InvoiceCancelled}))
	_, err = a.CreateCheckoutSession(ctx, in)
	testenv.RequirePermanent(t, err, activities.ReasonInvoiceNotPayable)

	require.NoError(t, q.SetInvoiceStatusByID(ctx, db.SetInvoiceStatusByIDParams{ID: c.InvoiceID, NewStatus: order.InvoiceUnpaid}))
	srv.Close()
	_, err = a.CreateCheckoutSession(ctx, in)
	require.Error(t, err)
	var appErr *temporal.ApplicationError
	require.False(t, errors.As(err, &appErr) && appErr.NonRetryable(), "Stripe out of reach is retried: %v", err)
}
