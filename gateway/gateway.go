// Package gateway verifies and reads payment gateways' callbacks, and opens Stripe Checkout
// Sessions, whose payments come back as those callbacks. It knows each gateway's signature
// scheme, event shapes and units of money and turns a callback into an Event; what an Event
// does to an invoice is package billing's business, and when to open a session the order
// workflow's.
package gateway

import (
	"errors"
	"fmt"
	"time"
)

// Tolerance is how old a signed callback may be: a replay of a captured request is refused
// after it. Stripe uses the same five minutes.
const Tolerance = 300 * time.Second

// Kinds of Event.
const (
	Payment = "payment"
	Refund  = "refund"
)

// Event is a verified callback, reduced to what hostflow acts on.
type Event struct {
	Gateway string
	ID      string // unique per gateway: a redelivery carries the same id
	Type    string // the gateway's own event type, for the log
	Kind    string // Payment or Refund; empty if the event does not concern hostflow
	Ignored string // why the event does not concern hostflow

	// InvoiceID is 0 on a refund that names only the payment it returns (ParentID).
	InvoiceID     int64
	TransactionID string
	ParentID      string
	Amount        int64 // minor units of Currency, always positive
	Currency      string
	// CumulativeRefund says Amount is the total refunded of ParentID so far, as Stripe reports
	// it, rather than this refund's own amount.
	CumulativeRefund bool
}

// SignatureError is a callback that is unsigned, badly signed or stale. It is refused with
// 400 and leaves no trace but a log line.
type SignatureError struct{ Reason string }

func (e *SignatureError) Error() string { return "signature: " + e.Reason }

// InputError is a signed callback whose content hostflow cannot use.
type InputError struct {
	Field   string
	Message string
}

func (e *InputError) Error() string { return e.Field + ": " + e.Message }

func inputError(field, format string, args ...any) error {
	return &InputError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// IsSignature reports whether err is a signature failure.
func IsSignature(err error) bool {
	var se *SignatureError
	return errors.As(err, &se)
}

// Where the gateways' callbacks arrive: Stripe's at its own path, the others' (signed as
// generic.go says) at GenericWebhookPrefix and their name.
const (
	StripeWebhookPath    = "/webhooks/stripe"
	GenericWebhookPrefix = "/webhooks/gateway/"
)

// WebhookPath is where a gateway's callbacks are to be sent, below hostflow's public URL.
func WebhookPath(name string) string {
	if name == StripeName {
		return StripeWebhookPath
	}
	return GenericWebhookPrefix + name
}

// Refunds reports whether a gateway gives money back through hostflow (a refund sent to its
// API). Stripe does; a generic gateway's callbacks only report money, so its refunds are
// recorded by hand.
func Refunds(name string) bool { return name == StripeName }
