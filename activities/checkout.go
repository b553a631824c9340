package activities

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
)

// Reasons CreateCheckoutSession refuses with, permanently.
const (
	ReasonStripeNotConfigured = "Stripe is not configured: set HOSTFLOW_STRIPE_SECRET_KEY"
	ReasonInvoiceNotPayable   = "The invoice cannot be paid online"
)

// CheckoutInput asks for a Stripe Checkout Session for an order's invoice. The amount and the
// currency are not in it: they are read from the invoice, so that no caller decides a price.
type CheckoutInput struct {
	OrderID   int64 // the invoice must be this order's: a workflow opens sessions for its own
	InvoiceID int64
	// Attempt numbers the customer's tries to pay this invoice. The same attempt opens the
	// same session (a double click, a retried activity); the caller takes the next number
	// when a fresh session is wanted, e.g. after the last one expired.
	Attempt int
	// SuccessURL (it may hold {CHECKOUT_SESSION_ID}) and CancelURL are where Stripe sends the
	// browser back: the invoice's page in the client area.
	SuccessURL, CancelURL string
}

// CheckoutSession is the session opened: the browser is sent to URL.
type CheckoutSession struct {
	ID        string
	URL       string
	Amount    int64 // minor units of Currency: the invoice's balance when the session opened
	Currency  string
	ExpiresAt time.Time
}

// CreateCheckoutSession opens a Stripe Checkout Session for what is left to pay on an invoice.
// The Idempotency-Key is derived from the installation, the invoice, the attempt and the
// amount, so a repeat of the same attempt gets the same session from Stripe and a payment
// that arrived in between gets a session for the new balance, never a second charge of the
// old one. An invoice that is paid, cancelled or another order's is refused for good, as is
// whatever Stripe refuses; Stripe down is retried.
func (a *Activities) CreateCheckoutSession(ctx context.Context, in CheckoutInput) (CheckoutSession, error) {
	if a.Stripe == nil {
		return CheckoutSession{}, moduleError(permanent.Wrap(fmt.Errorf("checkout for invoice %d: %s", in.InvoiceID, ReasonStripeNotConfigured)))
	}
	for _, u := range []struct{ name, value string }{{"success URL", in.SuccessURL}, {"cancel URL", in.CancelURL}} {
		if p, err := url.Parse(u.value); u.value != "" && (err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "") {
			return CheckoutSession{}, moduleError(permanent.Wrap(fmt.Errorf("checkout for invoice %d: the %s %q is not an absolute http(s) URL", in.InvoiceID, u.name, u.value)))
		}
	}
	if in.SuccessURL == "" {
		return CheckoutSession{}, moduleError(permanent.Wrap(fmt.Errorf("checkout for invoice %d: no success URL", in.InvoiceID)))
	}
	inv, err := a.q().CheckoutInvoice(ctx, in.InvoiceID)
	if err != nil {
		return CheckoutSession{}, moduleError(fmt.Errorf("checkout: read invoice %d: %w", in.InvoiceID, err))
	}
	due := inv.Total - inv.Paid
	switch {
	case inv.OrderID != in.OrderID:
		return CheckoutSession{}, moduleError(permanent.Wrap(fmt.Errorf("checkout: invoice %d is not order %d's", in.InvoiceID, in.OrderID)))
	// The rule billing applies to a payment: an Unpaid invoice, or a Refunded one while its
	// order is open, takes money; a Cancelled one, or one of a closed order, does not.
	case inv.Status == order.InvoiceCancelled, inv.Status == order.InvoiceRefunded && (inv.OrderStatus == order.Cancelled || inv.OrderStatus == order.Fraud):
		return CheckoutSession{}, moduleError(permanent.Wrap(fmt.Errorf("%s: invoice %d is %s and its order %s", ReasonInvoiceNotPayable, in.InvoiceID, inv.Status, inv.OrderStatus)))
	case due <= 0 || inv.Status == order.InvoicePaid:
		return CheckoutSession{}, moduleError(permanent.Wrap(fmt.Errorf("%s: invoice %d is %s", order.ReasonNothingToPay, in.InvoiceID, inv.Status)))
	}
	invoice := strconv.FormatInt(inv.ID, 10)
	cs, err := a.Stripe.CreateCheckoutSession(ctx, gateway.Checkout{
		InvoiceID: inv.ID, Description: "Invoice #" + invoice, Amount: due, Currency: inv.Currency,
		CustomerEmail: inv.Email, SuccessURL: in.SuccessURL, CancelURL: in.CancelURL, ClientReferenceID: "invoice-" + invoice,
		IdempotencyKey: fmt.Sprintf("hostflow-%s-invoice-%d-checkout-%d-%d-%s-%s", inv.Installation, inv.ID, in.Attempt, due, inv.Currency,
			urlsKey(in.SuccessURL, in.CancelURL)),
	})
	if err != nil {
		return CheckoutSession{}, moduleError(err)
	}
	return CheckoutSession{ID: cs.ID, URL: cs.URL, Amount: due, Currency: inv.Currency, ExpiresAt: cs.ExpiresAt}, nil
}

// urlsKey is a short digest of a session's return addresses for its idempotency key: Stripe
// refuses a key sent again with other parameters, and the same attempt may be asked with other
// addresses (an upgrade that changed them, a customer who came in by another host name). Those
// get a session of their own; the same request gets the same session.
func urlsKey(success, cancel string) string {
	sum := sha256.Sum256([]byte(success + "\x00" + cancel))
	return hex.EncodeToString(sum[:6])
}
