package gateway

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/stripe/stripe-go/v82/webhook"
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
	return ev, nil
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
