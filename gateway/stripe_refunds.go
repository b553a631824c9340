package gateway

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/stripe/stripe-go/v82"

	"github.com/hostflow/hostflow/permanent"
)

// RefundRequest is a refund of a Stripe payment.
type RefundRequest struct {
	// Payment is the payment's transaction id as hostflow recorded it: a PaymentIntent (pi_…)
	// or a charge (ch_…, py_…).
	Payment   string
	Amount    int64 // ISO 4217 minor units of Currency
	Currency  string
	InvoiceID int64
	RefundID  int64 // hostflow's id of the refund, in its metadata
	// IdempotencyKey makes a repeated request (a retried activity, a worker killed after
	// Stripe answered) answer the refund the first one made, never a second.
	IdempotencyKey string
}

// StripeRefund is Stripe's answer to a refund.
type StripeRefund struct {
	ID     string // re_…
	Status string
}

// Refund gives back amount of a payment through Stripe (POST /v1/refunds). A refund Stripe
// refuses (more than is left, a charge already refunded, a payment it does not know) or
// reports failed comes back permanent, in Stripe's words; an outage or a rate limit does not.
func (s *Stripe) Refund(ctx context.Context, r RefundRequest) (StripeRefund, error) {
	amount, err := minorToStripe(r.Amount, strings.ToUpper(r.Currency))
	if err != nil {
		return StripeRefund{}, permanent.Wrap(fmt.Errorf("refund of %s: %w", r.Payment, err))
	}
	params := &stripe.RefundCreateParams{Amount: stripe.Int64(amount), Metadata: map[string]string{
		"invoice_id": strconv.FormatInt(r.InvoiceID, 10), "refund_id": strconv.FormatInt(r.RefundID, 10)}}
	switch {
	case strings.HasPrefix(r.Payment, "pi_"):
		params.PaymentIntent = stripe.String(r.Payment)
	case strings.HasPrefix(r.Payment, "ch_"), strings.HasPrefix(r.Payment, "py_"):
		params.Charge = stripe.String(r.Payment)
	default:
		return StripeRefund{}, permanent.Wrap(fmt.Errorf("refund of %s: not a Stripe PaymentIntent or charge id", r.Payment))
	}
	if r.IdempotencyKey != "" {
		params.SetIdempotencyKey(r.IdempotencyKey)
	}
	re, err := s.client.V1Refunds.Create(ctx, params)
	if err != nil {
		return StripeRefund{}, stripeError("refund "+r.Payment, err)
	}
	if re.Status == stripe.RefundStatusFailed || re.Status == stripe.RefundStatusCanceled {
		reason := string(re.FailureReason)
		if reason == "" {
			reason = "no reason given"
		}
		return StripeRefund{}, permanent.Wrap(fmt.Errorf("stripe: refund %s of %s is %s: %s", re.ID, r.Payment, re.Status, reason))
	}
	return StripeRefund{ID: re.ID, Status: string(re.Status)}, nil
}
