package stripe_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	stripego "github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/sandbox/stripe"
)

const (
	key    = "sk_test_unit_0123456789"
	whsec  = "whsec_unit_0123456789abcdef"
	shopTo = "https://shop.example/invoices/7"
)

// received is a webhook as the endpoint got it.
type received struct {
	body   []byte
	header string
}

// env is a stand-in, stripe-go pointed at it, and an endpoint that receives its webhooks.
type env struct {
	sandbox *stripe.Server
	srv     *httptest.Server
	client  *stripego.Client
	hooks   chan received
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{hooks: make(chan received, 16)}
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		e.hooks <- received{body, r.Header.Get("Stripe-Signature")}
	}))
	t.Cleanup(endpoint.Close)
	e.sandbox = stripe.New(stripe.Config{SecretKey: key, WebhookURL: endpoint.URL, WebhookSecret: whsec})
	e.srv = httptest.NewServer(e.sandbox)
	t.Cleanup(func() { e.srv.Close(); e.sandbox.Close() })
	e.client = clientFor(e.srv.URL, key)
	return e
}

func clientFor(apiURL, key string) *stripego.Client {
	return stripego.NewClient(key, stripego.WithBackends(stripego.NewBackendsWithConfig(&stripego.BackendConfig{
		URL: stripego.String(apiURL), LeveledLogger: &stripego.LeveledLogger{Level: stripego.LevelNull},
		MaxNetworkRetries: stripego.Int64(0)})))
}

// hook waits for the next webhook and checks it as a Stripe endpoint does, with stripe-go's
// ConstructEvent (signature, five minutes' tolerance, and the API version stripe-go expects).
func (e *env) hook(t *testing.T) (stripego.Event, received) {
	t.Helper()
	select {
	case h := <-e.hooks:
		ev, err := webhook.ConstructEvent(h.body, h.header, whsec)
		require.NoError(t, err, "the event verifies with the endpoint's secret")
		return ev, h
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook arrived")
	}
	return stripego.Event{}, received{}
}

func (e *env) noHook(t *testing.T) {
	t.Helper()
	select {
	case h := <-e.hooks:
		t.Fatalf("unexpected webhook %s", h.body)
	case <-time.After(200 * time.Millisecond):
	}
}

func checkoutParams(invoice string) *stripego.CheckoutSessionCreateParams {
	return &stripego.CheckoutSessionCreateParams{
		Mode: stripego.String("payment"),
		LineItems: []*stripego.CheckoutSessionCreateLineItemParams{{Quantity: stripego.Int64(1),
			PriceData: &stripego.CheckoutSessionCreateLineItemPriceDataParams{Currency: stripego.String("usd"), UnitAmount: stripego.Int64(2699),
				ProductData: &stripego.CheckoutSessionCreateLineItemPriceDataProductDataParams{Name: stripego.String("Invoice #" + invoice)}}}},
		Metadata:          map[string]string{"invoice_id": invoice},
		PaymentIntentData: &stripego.CheckoutSessionCreatePaymentIntentDataParams{Metadata: map[string]string{"invoice_id": invoice}},
		SuccessURL:        stripego.String(shopTo + "?session={CHECKOUT_SESSION_ID}"),
		CancelURL:         stripego.String(shopTo + "?cancelled=1"),
		ClientReferenceID: stripego.String("invoice-" + invoice),
	}
}

// browser posts a hosted page's form without following the redirect, as a test of where it
// goes needs.
func browser(t *testing.T, rawURL string) *http.Response {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(rawURL, url.Values{})
	require.NoError(t, err)
	_ = resp.Body.Close()
	return resp
}

// A session answers as Stripe's does; its page pays it, sends a checkout.session.completed that
// stripe-go verifies and hostflow's parser reads as the invoice's payment, and redirects to the
// success URL with the session's id; the session reads back paid.
func TestCheckoutSessionPaid(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cs, err := e.client.V1CheckoutSessions.Create(ctx, checkoutParams("42"))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(cs.ID, "cs_test_"), cs.ID)
	require.Equal(t, "checkout.session", cs.Object)
	require.Equal(t, e.srv.URL+"/c/pay/"+cs.ID, cs.URL)
	require.Equal(t, stripego.CheckoutSessionPaymentStatusUnpaid, cs.PaymentStatus)
	require.Equal(t, stripego.CheckoutSessionStatusOpen, cs.Status)
	require.Equal(t, int64(2699), cs.AmountTotal)
	require.Equal(t, stripego.CurrencyUSD, cs.Currency)
	require.Equal(t, map[string]string{"invoice_id": "42"}, cs.Metadata)
	require.Equal(t, "invoice-42", cs.ClientReferenceID)
	require.Nil(t, cs.PaymentIntent, "a PaymentIntent is made when the customer pays")
	require.False(t, cs.Livemode)

	page, err := http.Get(cs.URL)
	require.NoError(t, err)
	html, _ := io.ReadAll(page.Body)
	_ = page.Body.Close()
	require.Equal(t, 200, page.StatusCode)
	require.Contains(t, string(html), "26.99 USD")
	require.Contains(t, string(html), `action="/c/pay/`+cs.ID+`/pay"`)
	require.Contains(t, string(html), `action="/c/pay/`+cs.ID+`/cancel"`)
	require.NotContains(t, string(html), "<script")
	require.Contains(t, page.Header.Get("Content-Security-Policy"), "default-src 'none'")

	resp := browser(t, e.srv.URL+"/c/pay/"+cs.ID+"/pay")
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.Equal(t, shopTo+"?session="+cs.ID, resp.Header.Get("Location"), "{CHECKOUT_SESSION_ID} replaced")

	ev, h := e.hook(t)
	require.Equal(t, stripego.EventType("checkout.session.completed"), ev.Type)
	require.True(t, strings.HasPrefix(ev.ID, "evt_"))
	require.Equal(t, stripego.APIVersion, ev.APIVersion)
	var done stripego.CheckoutSession
	require.NoError(t, json.Unmarshal(ev.Data.Raw, &done))
	require.Equal(t, cs.ID, done.ID)
	require.Equal(t, stripego.CheckoutSessionPaymentStatusPaid, done.PaymentStatus)
	require.Equal(t, stripego.CheckoutSessionStatusComplete, done.Status)
	require.True(t, strings.HasPrefix(done.PaymentIntent.ID, "pi_"), "payment_intent is the PaymentIntent's id")
	require.Equal(t, "42", done.Metadata["invoice_id"])
	require.Empty(t, ev.Request.ID, "a customer's payment is no API request")

	parsed, err := gateway.ParseStripe(h.body, h.header, whsec)
	require.NoError(t, err)
	require.Equal(t, gateway.Payment, parsed.Kind)
	require.Equal(t, int64(42), parsed.InvoiceID)
	require.Equal(t, int64(2699), parsed.Amount)
	require.Equal(t, "USD", parsed.Currency)
	require.Equal(t, done.PaymentIntent.ID, parsed.TransactionID)

	got, err := e.client.V1CheckoutSessions.Retrieve(ctx, cs.ID, nil)
	require.NoError(t, err)
	require.Equal(t, stripego.CheckoutSessionPaymentStatusPaid, got.PaymentStatus)
	require.Equal(t, done.PaymentIntent.ID, got.PaymentIntent.ID)
	require.Empty(t, got.URL, "a complete session has no url")

	// A second click on Pay goes on to the success URL and charges nothing more.
	resp = browser(t, e.srv.URL+"/c/pay/"+cs.ID+"/pay")
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	e.noHook(t)

	// The dashboard's resend: the same event, signed afresh.
	d, err := e.sandbox.Resend(ev.ID)
	require.NoError(t, err)
	require.Equal(t, 200, d.Status)
	again, _ := e.hook(t)
	require.Equal(t, ev.ID, again.ID)
}

// Cancel sends the browser to the cancel URL and leaves the session open and unpaid.
func TestCheckoutSessionCancel(t *testing.T) {
	e := newEnv(t)
	cs, err := e.client.V1CheckoutSessions.Create(context.Background(), checkoutParams("7"))
	require.NoError(t, err)
	resp := browser(t, e.srv.URL+"/c/pay/"+cs.ID+"/cancel")
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.Equal(t, shopTo+"?cancelled=1", resp.Header.Get("Location"))
	got, err := e.client.V1CheckoutSessions.Retrieve(context.Background(), cs.ID, nil)
	require.NoError(t, err)
	require.Equal(t, stripego.CheckoutSessionStatusOpen, got.Status)
	e.noHook(t)
}

// The same Idempotency-Key with the same parameters answers the first session (replayed);
// with other parameters it is Stripe's idempotency_error; no key, or another, is a new session.
func TestCheckoutSessionIdempotency(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	withKey := func(k string, p *stripego.CheckoutSessionCreateParams) *stripego.CheckoutSessionCreateParams {
		p.SetIdempotencyKey(k)
		return p
	}
	first, err := e.client.V1CheckoutSessions.Create(ctx, withKey("inv-42-attempt-1", checkoutParams("42")))
	require.NoError(t, err)
	second, err := e.client.V1CheckoutSessions.Create(ctx, withKey("inv-42-attempt-1", checkoutParams("42")))
	require.NoError(t, err)
	require.Equal(t, first.ID, second.ID)
	require.Equal(t, "true", second.LastResponse.Header.Get("Idempotent-Replayed"))

	_, err = e.client.V1CheckoutSessions.Create(ctx, withKey("inv-42-attempt-1", checkoutParams("43")))
	var se *stripego.Error
	require.True(t, errors.As(err, &se), "%v", err)
	require.Equal(t, stripego.ErrorTypeIdempotency, se.Type)
	require.Equal(t, 400, se.HTTPStatusCode)
	require.Contains(t, se.Msg, "same parameters")

	other, err := e.client.V1CheckoutSessions.Create(ctx, withKey("inv-42-attempt-2", checkoutParams("42")))
	require.NoError(t, err)
	require.NotEqual(t, first.ID, other.ID)
	fresh, err := e.client.V1CheckoutSessions.Create(ctx, checkoutParams("42")) // stripe-go's own random key
	require.NoError(t, err)
	require.NotEqual(t, first.ID, fresh.ID)

	// A request refused by validation saves nothing: the corrected one with its key succeeds.
	bad := checkoutParams("44")
	bad.Mode = nil
	_, err = e.client.V1CheckoutSessions.Create(ctx, withKey("inv-44", bad))
	require.Error(t, err)
	_, err = e.client.V1CheckoutSessions.Create(ctx, withKey("inv-44", checkoutParams("44")))
	require.NoError(t, err)
}

// Bad requests get Stripe's error object and status, which stripe-go turns into its errors.
func TestStripeErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	stripeErr := func(err error) *stripego.Error {
		t.Helper()
		var se *stripego.Error
		require.True(t, errors.As(err, &se), "%v", err)
		return se
	}

	_, err := clientFor(e.srv.URL, "sk_test_wrong_key_9876").V1CheckoutSessions.Create(ctx, checkoutParams("1"))
	se := stripeErr(err)
	require.Equal(t, 401, se.HTTPStatusCode)
	require.Equal(t, stripego.ErrorTypeInvalidRequest, se.Type)
	require.Equal(t, "Invalid API Key provided: sk_test_**********9876", se.Msg)

	for name, tc := range map[string]struct {
		edit  func(*stripego.CheckoutSessionCreateParams)
		param string
		code  stripego.ErrorCode
	}{
		"no mode":       {func(p *stripego.CheckoutSessionCreateParams) { p.Mode = nil }, "mode", "parameter_missing"},
		"no line items": {func(p *stripego.CheckoutSessionCreateParams) { p.LineItems = nil }, "line_items", "parameter_missing"},
		"no quantity":   {func(p *stripego.CheckoutSessionCreateParams) { p.LineItems[0].Quantity = nil }, "line_items[0][quantity]", "parameter_missing"},
		"unknown price": {func(p *stripego.CheckoutSessionCreateParams) { p.LineItems[0].Price = stripego.String("price_x") }, "line_items[0][price]", "resource_missing"},
		"bad url":       {func(p *stripego.CheckoutSessionCreateParams) { p.SuccessURL = stripego.String("/relative") }, "success_url", "url_invalid"},
		"long meta key": {func(p *stripego.CheckoutSessionCreateParams) { p.Metadata[strings.Repeat("k", 41)] = "v" }, "metadata[" + strings.Repeat("k", 41) + "]", "parameter_invalid_string"},
		"no product":    {func(p *stripego.CheckoutSessionCreateParams) { p.LineItems[0].PriceData.ProductData = nil }, "line_items[0][price_data][product_data][name]", "parameter_missing"},
		"unknown param": {func(p *stripego.CheckoutSessionCreateParams) { p.AddExtra("colour", "blue") }, "colour", "parameter_unknown"},
		"negative price": {func(p *stripego.CheckoutSessionCreateParams) {
			p.LineItems[0].PriceData.UnitAmount = stripego.Int64(-1)
		}, "line_items[0][price_data][unit_amount]", "parameter_invalid_integer"},
	} {
		p := checkoutParams("1")
		tc.edit(p)
		_, err := e.client.V1CheckoutSessions.Create(ctx, p)
		se := stripeErr(err)
		require.Equal(t, stripego.ErrorTypeInvalidRequest, se.Type, name)
		require.Equal(t, tc.param, se.Param, name)
		require.Equal(t, tc.code, se.Code, name)
		require.NotEmpty(t, se.Msg, name)
		require.NotEmpty(t, se.RequestID, name)
	}

	_, err = e.client.V1CheckoutSessions.Retrieve(ctx, "cs_test_nope", nil)
	se = stripeErr(err)
	require.Equal(t, 404, se.HTTPStatusCode)
	require.Equal(t, stripego.ErrorCodeResourceMissing, se.Code)
	require.Equal(t, "No such checkout.session: 'cs_test_nope'", se.Msg)

	// Without a key, and at a URL Stripe does not have: the raw answers.
	for _, tc := range []struct {
		method, path, auth string
		status             int
		message            string
	}{
		{"POST", "/v1/checkout/sessions", "", 401, "You did not provide an API key"},
		{"GET", "/v1/nothing", "Bearer " + key, 404, "Unrecognized request URL (GET: /v1/nothing)"},
	} {
		req, _ := http.NewRequest(tc.method, e.srv.URL+tc.path, nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		var body struct {
			Error struct{ Type, Message string }
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		_ = resp.Body.Close()
		require.Equal(t, tc.status, resp.StatusCode)
		require.Equal(t, "application/json", resp.Header.Get("Content-Type"))
		require.Equal(t, "invalid_request_error", body.Error.Type)
		require.Contains(t, body.Error.Message, tc.message)
	}

	// curl -u sk_test_…: is the same key as Bearer.
	req, _ := http.NewRequest("GET", e.srv.URL+"/v1/checkout/sessions/cs_test_nope", nil)
	req.SetBasicAuth(key, "")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, 404, resp.StatusCode, "authenticated, then not found")
}

// Refunds by PaymentIntent or charge, partial then the rest, each answered with a refund and
// followed by a signed charge.refunded with the cumulative amount that hostflow's parser reads
// as a refund of the payment; a key replays; past the charge's amount is Stripe's refusal.
func TestRefunds(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cs, err := e.client.V1CheckoutSessions.Create(ctx, checkoutParams("42"))
	require.NoError(t, err)
	browser(t, e.srv.URL+"/c/pay/"+cs.ID+"/pay")
	paid, _ := e.hook(t)
	var done stripego.CheckoutSession
	require.NoError(t, json.Unmarshal(paid.Data.Raw, &done))
	pi := done.PaymentIntent.ID

	p := &stripego.RefundCreateParams{PaymentIntent: stripego.String(pi), Amount: stripego.Int64(1000), Reason: stripego.String("requested_by_customer")}
	p.SetIdempotencyKey("refund-42-1")
	re, err := e.client.V1Refunds.Create(ctx, p)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(re.ID, "re_"))
	require.Equal(t, "refund", re.Object)
	require.Equal(t, int64(1000), re.Amount)
	require.Equal(t, stripego.RefundStatusSucceeded, re.Status)
	require.Equal(t, pi, re.PaymentIntent.ID)
	chargeID := re.Charge.ID
	require.True(t, strings.HasPrefix(chargeID, "ch_"))

	ev, h := e.hook(t)
	require.Equal(t, stripego.EventType("charge.refunded"), ev.Type)
	var ch stripego.Charge
	require.NoError(t, json.Unmarshal(ev.Data.Raw, &ch))
	require.Equal(t, chargeID, ch.ID)
	require.Equal(t, int64(1000), ch.AmountRefunded)
	require.False(t, ch.Refunded)
	require.Equal(t, pi, ch.PaymentIntent.ID)
	require.Equal(t, "refund-42-1", ev.Request.IdempotencyKey)
	require.Equal(t, float64(0), ev.Data.PreviousAttributes["amount_refunded"])
	parsed, err := gateway.ParseStripe(h.body, h.header, whsec)
	require.NoError(t, err)
	require.Equal(t, gateway.Refund, parsed.Kind)
	require.Equal(t, pi, parsed.ParentID)
	require.Equal(t, int64(1000), parsed.Amount)
	require.True(t, parsed.CumulativeRefund)
	require.Equal(t, int64(42), parsed.InvoiceID, "the PaymentIntent's metadata is the charge's")

	again, err := e.client.V1Refunds.Create(ctx, p)
	require.NoError(t, err)
	require.Equal(t, re.ID, again.ID, "the same key answers the same refund")
	e.noHook(t)

	_, err = e.client.V1Refunds.Create(ctx, &stripego.RefundCreateParams{Charge: stripego.String(chargeID), Amount: stripego.Int64(5000)})
	var se *stripego.Error
	require.True(t, errors.As(err, &se))
	require.Equal(t, stripego.ErrorCode("amount_too_large"), se.Code)

	rest, err := e.client.V1Refunds.Create(ctx, &stripego.RefundCreateParams{Charge: stripego.String(chargeID)})
	require.NoError(t, err)
	require.Equal(t, int64(1699), rest.Amount, "no amount: what is left")
	ev, _ = e.hook(t)
	require.NoError(t, json.Unmarshal(ev.Data.Raw, &ch))
	require.Equal(t, int64(2699), ch.AmountRefunded)
	require.True(t, ch.Refunded)

	_, err = e.client.V1Refunds.Create(ctx, &stripego.RefundCreateParams{PaymentIntent: stripego.String(pi)})
	require.True(t, errors.As(err, &se))
	require.Equal(t, stripego.ErrorCodeChargeAlreadyRefunded, se.Code)
	_, err = e.client.V1Refunds.Create(ctx, &stripego.RefundCreateParams{PaymentIntent: stripego.String("pi_nope")})
	require.True(t, errors.As(err, &se))
	require.Equal(t, 404, se.HTTPStatusCode)
	require.Equal(t, "payment_intent", se.Param)
	_, err = e.client.V1Refunds.Create(ctx, &stripego.RefundCreateParams{})
	require.True(t, errors.As(err, &se))
	require.Equal(t, stripego.ErrorCode("parameter_missing"), se.Code)

	got, err := e.client.V1Refunds.Retrieve(ctx, re.ID, nil)
	require.NoError(t, err)
	require.Equal(t, int64(1000), got.Amount)
}

// An endpoint that is down at the moment of payment gets the event when it is back.
func TestWebhookRetried(t *testing.T) {
	var fail = make(chan struct{}, 1)
	fail <- struct{}{}
	hooks := make(chan []byte, 4)
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		select {
		case <-fail:
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			hooks <- body
		}
	}))
	defer endpoint.Close()
	sb := stripe.New(stripe.Config{SecretKey: key, WebhookURL: endpoint.URL, WebhookSecret: whsec})
	srv := httptest.NewServer(sb)
	defer func() { srv.Close(); sb.Close() }()
	cs, err := clientFor(srv.URL, key).V1CheckoutSessions.Create(context.Background(), checkoutParams("9"))
	require.NoError(t, err)
	resp := browser(t, srv.URL+"/c/pay/"+cs.ID+"/pay")
	require.Equal(t, http.StatusSeeOther, resp.StatusCode, "the browser goes on though the endpoint failed")
	select {
	case body := <-hooks:
		require.Contains(t, string(body), cs.ID)
	case <-time.After(5 * time.Second):
		t.Fatal("the event was not sent again")
	}
	require.Eventually(t, func() bool { return len(sb.Deliveries()) == 2 }, 5*time.Second, 10*time.Millisecond)
	d := sb.Deliveries()
	require.Equal(t, 503, d[0].Status)
	require.Equal(t, 200, d[1].Status)
}

// Sign is Stripe's scheme: stripe-go's own signature for the same payload, time and secret.
func TestSign(t *testing.T) {
	at := time.Unix(1700000000, 0)
	payload := []byte(`{"id":"evt_1"}`)
	want := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: whsec, Timestamp: at})
	require.Equal(t, want.Header, stripe.Sign(payload, whsec, at))
}
