package gateway

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v82"

	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/permanent"
)

// StripeConfig is the Stripe account hostflow takes payments with.
type StripeConfig struct {
	SecretKey string // HOSTFLOW_STRIPE_SECRET_KEY: sk_… or a restricted rk_… key
	// APIURL (HOSTFLOW_STRIPE_API_URL) is where Stripe's API is; empty is Stripe's own,
	// https://api.stripe.com. The sandbox's stand-in is set here for `make run` and tests.
	APIURL string
}

// String shows the configuration without its key, so that printing a Config never leaks it.
func (c StripeConfig) String() string {
	url := c.APIURL
	if url == "" {
		url = stripe.APIURL
	}
	return "Stripe at " + url + " (key hidden)"
}

// GoString hides the key from %#v as String does from %v.
func (c StripeConfig) GoString() string { return c.String() }

// Stripe is hostflow's client of Stripe's API, through stripe-go.
type Stripe struct{ client *stripe.Client }

// NewStripe returns a client for the account. stripe-go's own logger is silenced: its errors
// come back to the caller, who reports them, and nothing of the request reaches a log.
func NewStripe(cfg StripeConfig) *Stripe {
	bc := &stripe.BackendConfig{LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull},
		HTTPClient: &http.Client{Timeout: 30 * time.Second}}
	if cfg.APIURL != "" {
		bc.URL = stripe.String(cfg.APIURL)
	}
	return &Stripe{client: stripe.NewClient(cfg.SecretKey, stripe.WithBackends(stripe.NewBackendsWithConfig(bc)))}
}

// Checkout is what a Checkout Session charges: one line, the invoice's balance.
type Checkout struct {
	InvoiceID     int64
	Description   string // the line the customer sees: "Invoice #12"
	Amount        int64  // ISO 4217 minor units of Currency
	Currency      string // ISO 4217 code
	CustomerEmail string // prefilled on the payment page; empty lets the customer type it
	// SuccessURL may hold {CHECKOUT_SESSION_ID}, which Stripe replaces with the session's id.
	SuccessURL, CancelURL string
	ClientReferenceID     string
	// IdempotencyKey makes a repeated request (a retry, a double click) answer the session
	// the first one opened, for as long as Stripe keeps keys (24 hours).
	IdempotencyKey string
}

// CheckoutSession is an open Checkout Session: the browser is sent to URL.
type CheckoutSession struct {
	ID        string
	URL       string
	ExpiresAt time.Time
}

// CreateCheckoutSession opens a Checkout Session in payment mode. The invoice's id is in the
// session's metadata, which checkout.session.completed carries back to ParseStripe, and in the
// PaymentIntent's, so that the payment's own events and its charge name the invoice too.
// What Stripe refuses (a bad parameter, a key reused for other parameters, a key it does not
// accept) comes back permanent; an outage or a rate limit does not.
func (s *Stripe) CreateCheckoutSession(ctx context.Context, c Checkout) (CheckoutSession, error) {
	amount, err := minorToStripe(c.Amount, strings.ToUpper(c.Currency))
	if err != nil {
		return CheckoutSession{}, permanent.Wrap(fmt.Errorf("invoice %d: %w", c.InvoiceID, err))
	}
	invoice := strconv.FormatInt(c.InvoiceID, 10)
	meta := map[string]string{"invoice_id": invoice}
	params := &stripe.CheckoutSessionCreateParams{
		Mode: stripe.String(string(stripe.CheckoutSessionModePayment)),
		LineItems: []*stripe.CheckoutSessionCreateLineItemParams{{
			Quantity: stripe.Int64(1),
			PriceData: &stripe.CheckoutSessionCreateLineItemPriceDataParams{
				Currency:    stripe.String(strings.ToLower(c.Currency)),
				UnitAmount:  stripe.Int64(amount),
				ProductData: &stripe.CheckoutSessionCreateLineItemPriceDataProductDataParams{Name: stripe.String(c.Description)},
			},
		}},
		Metadata:          meta,
		PaymentIntentData: &stripe.CheckoutSessionCreatePaymentIntentDataParams{Metadata: meta, Description: stripe.String(c.Description)},
		SuccessURL:        stripe.String(c.SuccessURL),
	}
	if c.CancelURL != "" {
		params.CancelURL = stripe.String(c.CancelURL)
	}
	if c.ClientReferenceID != "" {
		params.ClientReferenceID = stripe.String(c.ClientReferenceID)
	}
	if c.CustomerEmail != "" {
		params.CustomerEmail = stripe.String(c.CustomerEmail)
	}
	if c.IdempotencyKey != "" {
		params.SetIdempotencyKey(c.IdempotencyKey)
	}
	cs, err := s.client.V1CheckoutSessions.Create(ctx, params)
	if err != nil {
		return CheckoutSession{}, stripeError(fmt.Sprintf("create a Checkout Session for invoice %d", c.InvoiceID), err)
	}
	return CheckoutSession{ID: cs.ID, URL: cs.URL, ExpiresAt: time.Unix(cs.ExpiresAt, 0)}, nil
}

// stripeError words Stripe's refusal for the admin (its JSON form is what stripe-go's Error
// prints) and marks permanent what asking again will not change.
func stripeError(doing string, err error) error {
	var se *stripe.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("stripe: %s: %w", doing, err)
	}
	detail := []string{"HTTP " + strconv.Itoa(se.HTTPStatusCode), string(se.Type)}
	if se.Code != "" {
		detail = append(detail, string(se.Code))
	}
	if se.Param != "" {
		detail = append(detail, "param "+se.Param)
	}
	if se.RequestID != "" {
		detail = append(detail, se.RequestID)
	}
	wrapped := &stripeRefusal{msg: fmt.Sprintf("stripe: %s: %s (%s)", doing, se.Msg, strings.Join(detail, ", ")), err: se}
	switch {
	case se.HTTPStatusCode == http.StatusTooManyRequests || se.HTTPStatusCode >= 500 || se.Type == stripe.ErrorTypeAPI,
		se.Code == "idempotency_key_in_use": // the same request still running: ask again later
		return wrapped
	case se.HTTPStatusCode >= 400:
		// 400, 401 (the key), 402, 403 (the key's permissions), 404, 409 (an idempotency
		// conflict): Stripe answers the same to the same request.
		return permanent.Wrap(wrapped)
	}
	return wrapped
}

// stripeRefusal is Stripe's error in words, keeping stripe-go's *stripe.Error for errors.As.
type stripeRefusal struct {
	msg string
	err *stripe.Error
}

func (e *stripeRefusal) Error() string { return e.msg }
func (e *stripeRefusal) Unwrap() error { return e.err }

// minorToStripe converts an amount in ISO 4217 minor units into Stripe's units for currency
// (an uppercase ISO code), the inverse of stripeToMinor. An amount Stripe cannot express (1.50
// MGA, which Stripe writes in whole ariary; 5.125 KWD, which Stripe takes only in tens of
// fils) is refused rather than rounded: the customer would pay another sum than the invoice's.
func minorToStripe(amount int64, currency string) (int64, error) {
	if !money.ValidCurrency(currency) {
		return 0, fmt.Errorf("%q is not an ISO 4217 currency in use", currency)
	}
	if amount <= 0 {
		return 0, fmt.Errorf("a payment of %d %s: nothing to charge", amount, currency)
	}
	stripeExp, ok := stripeDecimals[currency]
	if !ok {
		stripeExp = 2
	}
	out := amount
	for iso := money.Exponent(currency); iso > stripeExp; iso-- {
		if out%10 != 0 {
			return 0, fmt.Errorf("%d minor units of %s is finer than Stripe's %d decimals for it", amount, currency, stripeExp)
		}
		out /= 10
	}
	for iso := money.Exponent(currency); iso < stripeExp; iso++ {
		if out > (1<<62)/10 {
			return 0, fmt.Errorf("a %s amount of %d is too large", currency, amount)
		}
		out *= 10
	}
	if stripeExp == 3 && out%10 != 0 {
		return 0, fmt.Errorf("%d minor units of %s is not a multiple of 10, which Stripe requires of three-decimal currencies", amount, currency)
	}
	return out, nil
}
