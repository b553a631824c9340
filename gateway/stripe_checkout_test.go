package gateway

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

	"github.com/hostflow/hostflow/permanent"
	stripesandbox "github.com/hostflow/hostflow/sandbox/stripe"
)

const (
	sandboxKey   = "sk_test_gateway_0123456789"
	sandboxWhsec = "whsec_gateway_0123456789"
)

// sandbox is the Stripe stand-in and the webhooks it sends.
func sandbox(t *testing.T) (*httptest.Server, chan [2]string) {
	t.Helper()
	hooks := make(chan [2]string, 8)
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		hooks <- [2]string{string(body), r.Header.Get("Stripe-Signature")}
	}))
	t.Cleanup(endpoint.Close)
	sb := stripesandbox.New(stripesandbox.Config{SecretKey: sandboxKey, WebhookURL: endpoint.URL, WebhookSecret: sandboxWhsec})
	srv := httptest.NewServer(sb)
	t.Cleanup(func() { srv.Close(); sb.Close() })
	return srv, hooks
}

func checkout(invoiceID, amount int64, currency string) Checkout {
	return Checkout{InvoiceID: invoiceID, Description: fmt.Sprintf("Invoice #%d", invoiceID), Amount: amount, Currency: currency,
		CustomerEmail: "ada@example.com", SuccessURL: "https://shop.example/invoice?cs={CHECKOUT_SESSION_ID}",
		CancelURL: "https://shop.example/invoice", ClientReferenceID: fmt.Sprintf("invoice-%d", invoiceID),
		IdempotencyKey: fmt.Sprintf("invoice-%d-attempt-1", invoiceID)}
}

// A session made through stripe-go against the stand-in: what Stripe is asked for (amount in
// Stripe's units, metadata, URLs), one session for a repeated key, and the payment coming back
// through ParseStripe as the invoice's amount in hostflow's minor units.
func TestCreateCheckoutSession(t *testing.T) {
	srv, hooks := sandbox(t)
	s := NewStripe(StripeConfig{SecretKey: sandboxKey, APIURL: srv.URL})
	ctx := context.Background()
	for i, tc := range []struct {
		currency    string
		amount      int64 // hostflow's minor units
		stripeTotal int64 // what Stripe is asked to charge
	}{
		{"USD", 2699, 2699},
		{"JPY", 3000, 3000},
		{"ISK", 5, 500}, // two-decimal in Stripe's API, zero-decimal in ISO 4217
		{"KWD", 8250, 8250},
	} {
		c := checkout(int64(100+i), tc.amount, tc.currency)
		cs, err := s.CreateCheckoutSession(ctx, c)
		require.NoError(t, err, tc.currency)
		require.True(t, strings.HasPrefix(cs.ID, "cs_test_"))
		require.Equal(t, srv.URL+"/c/pay/"+cs.ID, cs.URL)
		require.False(t, cs.ExpiresAt.IsZero())

		again, err := s.CreateCheckoutSession(ctx, c)
		require.NoError(t, err)
		require.Equal(t, cs.ID, again.ID, "a double click opens one session")

		got, err := s.client.V1CheckoutSessions.Retrieve(ctx, cs.ID, nil)
		require.NoError(t, err)
		require.Equal(t, tc.stripeTotal, got.AmountTotal, tc.currency)
		require.Equal(t, stripe.Currency(strings.ToLower(tc.currency)), got.Currency)
		require.Equal(t, map[string]string{"invoice_id": fmt.Sprint(c.InvoiceID)}, got.Metadata)
		require.Equal(t, c.ClientReferenceID, got.ClientReferenceID)
		require.Equal(t, "ada@example.com", got.CustomerEmail)
		require.Equal(t, c.SuccessURL, got.SuccessURL)

		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).
			PostForm(cs.URL+"/pay", url.Values{})
		require.NoError(t, err)
		_ = resp.Body.Close()
		require.Equal(t, "https://shop.example/invoice?cs="+cs.ID, resp.Header.Get("Location"))
		hook := <-hooks
		ev, err := ParseStripe([]byte(hook[0]), hook[1], sandboxWhsec)
		require.NoError(t, err)
		require.Equal(t, Payment, ev.Kind)
		require.Equal(t, c.InvoiceID, ev.InvoiceID)
		require.Equal(t, tc.amount, ev.Amount, "the payment comes back as the invoice's amount")
		require.Equal(t, tc.currency, ev.Currency)
	}
}

// What Stripe refuses is permanent and says why; Stripe down or rate limiting is retried.
func TestCreateCheckoutSessionErrors(t *testing.T) {
	srv, _ := sandbox(t)
	ctx := context.Background()

	_, err := NewStripe(StripeConfig{SecretKey: "sk_test_not_this_one", APIURL: srv.URL}).CreateCheckoutSession(ctx, checkout(1, 100, "USD"))
	require.True(t, permanent.Is(err), "%v", err)
	require.Contains(t, err.Error(), "Invalid API Key provided")
	require.NotContains(t, err.Error(), "sk_test_not_this_one", "the key is not repeated")

	s := NewStripe(StripeConfig{SecretKey: sandboxKey, APIURL: srv.URL})
	bad := checkout(2, 100, "USD")
	bad.Description = ""
	_, err = s.CreateCheckoutSession(ctx, bad)
	require.True(t, permanent.Is(err), "%v", err)
	require.Contains(t, err.Error(), "Missing required param: line_items[0][price_data][product_data][name]")
	require.Contains(t, err.Error(), "invoice 2")

	first := checkout(3, 100, "USD")
	_, err = s.CreateCheckoutSession(ctx, first)
	require.NoError(t, err)
	first.Amount = 200
	_, err = s.CreateCheckoutSession(ctx, first)
	require.True(t, permanent.Is(err), "a key reused for another amount: %v", err)
	require.Contains(t, err.Error(), "idempotency_error")

	_, err = s.CreateCheckoutSession(ctx, checkout(4, 150, "MGA"))
	require.True(t, permanent.Is(err), "1.50 MGA cannot be charged in Stripe's whole ariary: %v", err)

	for _, status := range []int{429, 500, 503} {
		down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Stripe-Should-Retry", "false") // no retries inside stripe-go: the test wants the answer
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"error":{"type":"api_error","message":"Something went wrong"}}`))
		}))
		_, err = NewStripe(StripeConfig{SecretKey: sandboxKey, APIURL: down.URL}).CreateCheckoutSession(ctx, checkout(5, 100, "USD"))
		down.Close()
		require.Error(t, err)
		require.False(t, permanent.Is(err), "HTTP %d is retried: %v", status, err)
	}
}

func TestMinorToStripe(t *testing.T) {
	for _, tc := range []struct {
		amount   int64
		currency string
		want     int64
		wantErr  bool
	}{
		{1999, "USD", 1999, false},
		{500, "JPY", 500, false},
		{5, "ISK", 500, false},
		{3800, "UGX", 380000, false},
		{500000, "MGA", 5000, false},
		{150, "MGA", 0, true}, // 1.50 MGA: Stripe writes whole ariary
		{1500, "IQD", 150, false},
		{1505, "IQD", 0, true},
		{5120, "KWD", 5120, false},
		{5125, "KWD", 0, true}, // Stripe takes three-decimal currencies in tens
		{0, "USD", 0, true},
		{100, "XXX", 0, true},
	} {
		got, err := minorToStripe(tc.amount, tc.currency)
		if tc.wantErr {
			require.Error(t, err, "%d %s", tc.amount, tc.currency)
			continue
		}
		require.NoError(t, err, "%d %s", tc.amount, tc.currency)
		require.Equal(t, tc.want, got, "%d %s", tc.amount, tc.currency)
		back, err := stripeToMinor(got, tc.currency)
		require.NoError(t, err)
		require.Equal(t, tc.amount, back, "stripeToMinor undoes it")
	}
}

// The configuration prints without its key, however it is printed.
func TestStripeConfigHidesKey(t *testing.T) {
	c := StripeConfig{SecretKey: "sk_live_supersecret", APIURL: "http://127.0.0.1:8093"}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%v", &c),
		fmt.Sprintf("%+v", struct{ S *StripeConfig }{&c})} {
		require.NotContains(t, s, "supersecret")
	}
}
