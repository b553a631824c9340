package gateway

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/hostflow/hostflow/money"
)

// StripeName is the Stripe gateway's name in transactions and events.
const StripeName = "stripe"

// stripeObject holds the fields hostflow reads from the objects of the events it handles.
// They are the same in every Stripe API version, which is why ParseStripe accepts events
// rendered in any version the endpoint is set to.
type stripeObject struct {
	ID             string            `json:"id"`
	Object         string            `json:"object"`
	Amount         int64             `json:"amount"`
	AmountReceived int64             `json:"amount_received"`
	AmountTotal    int64             `json:"amount_total"`
	AmountRefunded int64             `json:"amount_refunded"`
	Currency       string            `json:"currency"`
	PaymentStatus  string            `json:"payment_status"`
	PaymentIntent  json.RawMessage   `json:"payment_intent"` // an id, or the expanded object
	Metadata       map[string]string `json:"metadata"`
}

// ParseStripe verifies a Stripe webhook (Stripe-Signature header, five minutes' tolerance)
// and reads it. Events hostflow does not act on come back with Kind empty and Ignored set.
func ParseStripe(body []byte, header, secret string) (Event, error) {
	e, err := webhook.ConstructEventWithOptions(body, header, secret,
		webhook.ConstructEventOptions{Tolerance: Tolerance, IgnoreAPIVersionMismatch: true})
	switch {
	case errors.Is(err, webhook.ErrNotSigned), errors.Is(err, webhook.ErrInvalidHeader),
		errors.Is(err, webhook.ErrNoValidSignature), errors.Is(err, webhook.ErrTooOld):
		return Event{}, &SignatureError{Reason: err.Error()}
	case err != nil:
		return Event{}, inputError("body", "not a Stripe event: %v", err)
	}
	ev := Event{Gateway: StripeName, ID: e.ID, Type: string(e.Type)}
	if ev.ID == "" || e.Data == nil {
		return Event{}, inputError("body", "a Stripe event needs an id and data.object")
	}
	var obj stripeObject
	if err := json.Unmarshal(e.Data.Raw, &obj); err != nil {
		return Event{}, inputError("data.object", "%v", err)
	}
	ev.Currency = strings.ToUpper(obj.Currency)
	pi := paymentIntentID(obj.PaymentIntent)

	switch ev.Type {
	case "checkout.session.completed", "checkout.session.async_payment_succeeded":
		if obj.PaymentStatus != "paid" {
			ev.Ignored = "checkout session payment_status is " + obj.PaymentStatus
			return ev, nil
		}
		// The PaymentIntent's id, when there is one, so that payment_intent.succeeded for the
		// same payment is recognised as the same transaction.
		ev.Kind, ev.TransactionID, ev.Amount = Payment, obj.ID, obj.AmountTotal
		if pi != "" {
			ev.TransactionID = pi
		}
	case "payment_intent.succeeded":
		ev.Kind, ev.TransactionID, ev.Amount = Payment, obj.ID, obj.AmountReceived
	case "charge.refunded":
		if pi == "" {
			pi = obj.ID
		}
		ev.Kind, ev.ParentID, ev.Amount, ev.CumulativeRefund = Refund, pi, obj.AmountRefunded, true
		ev.TransactionID = pi + ":refunded:" + strconv.FormatInt(obj.AmountRefunded, 10)
	default:
		ev.Ignored = "event type not handled"
		return ev, nil
	}

	if raw, ok := obj.Metadata["invoice_id"]; ok {
		id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		if err != nil || id <= 0 {
			return Event{}, inputError("data.object.metadata.invoice_id", "%q is not an invoice id", raw)
		}
		ev.InvoiceID = id
	} else if ev.Kind == Payment {
		ev.Kind, ev.Ignored = "", "no metadata.invoice_id: not a hostflow payment"
		return ev, nil
	}
	if ev.Amount <= 0 {
		return Event{}, inputError("data.object", "the event carries no amount")
	}
	if !money.ValidCurrency(ev.Currency) {
		return Event{}, inputError("data.object.currency", "%q is not an ISO 4217 currency in use", obj.Currency)
	}
	if ev.Amount, err = stripeToMinor(ev.Amount, ev.Currency); err != nil {
		return Event{}, inputError("data.object", "%v", err)
	}
	return ev, nil
}

// stripeDecimals lists the currencies whose amounts Stripe's API does not write with two
// decimals (https://docs.stripe.com/currencies). Every other currency is two-decimal in the
// API, including ISK and UGX, which ISO 4217 gives no minor unit: Stripe keeps them two-decimal
// for backwards compatibility, in multiples of 100 (500 is 5 ISK). HUF and TWD are two-decimal
// in charges as in ISO 4217 (Stripe's whole-unit rule for them is about payouts).
var stripeDecimals = map[string]int{
	// Zero-decimal: the amount is in whole units.
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "JPY": 0, "KMF": 0, "KRW": 0, "MGA": 0,
	"PYG": 0, "RWF": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	// Three-decimal: thousandths, always with a last digit of 0.
	"BHD": 3, "JOD": 3, "KWD": 3, "OMR": 3, "TND": 3,
}

// stripeToMinor converts an amount in Stripe's units for currency (an uppercase ISO code) into
// ISO 4217 minor units, hostflow's. An amount finer than the ISO minor unit (1 ISK written as
// 150) is refused rather than rounded.
func stripeToMinor(amount int64, currency string) (int64, error) {
	stripe, ok := stripeDecimals[currency]
	if !ok {
		stripe = 2
	}
	iso := money.Exponent(currency)
	for ; stripe > iso; stripe-- {
		if amount%10 != 0 {
			return 0, fmt.Errorf("a %s amount of %d is finer than the currency's minor unit", currency, amount)
		}
		amount /= 10
	}
	for ; stripe < iso; stripe++ {
		if amount > math.MaxInt64/10 || amount < math.MinInt64/10 {
			return 0, fmt.Errorf("a %s amount of %d is too large", currency, amount)
		}
		amount *= 10
	}
	return amount, nil
}

// paymentIntentID reads payment_intent, which is a string id or, when expanded, an object.
func paymentIntentID(raw json.RawMessage) string {
	var id string
	if json.Unmarshal(raw, &id) == nil {
		return id
	}
	var obj struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(raw, &obj)
	return obj.ID
}
