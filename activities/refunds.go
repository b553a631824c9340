package activities

import (
	"context"
	"errors"
	"fmt"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/crashpoint"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// RefundInput asks for a refund of a payment of the order's invoice through its gateway.
type RefundInput struct {
	OrderID int64
	ordermsg.RefundRequest
	// Key names the request: the same key reserves the same refund.
	Key string
}

// ReserveRefund writes the refund to be sent (billing.ReserveGatewayRefund): from then on its
// amount is no longer refundable by anyone else. What billing refuses (more than is left, a
// payment the gateway cannot refund) is final, in its words.
func (a *Activities) ReserveRefund(ctx context.Context, in RefundInput) (int64, error) {
	r, err := a.Billing.ReserveGatewayRefund(ctx, billing.GatewayRefund{OrderID: in.OrderID, InvoiceID: in.InvoiceID,
		TransactionID: in.TransactionID, Amount: in.Amount, Key: in.Key, Actor: in.Actor})
	if err != nil {
		return 0, refusal(err)
	}
	return r.ID, nil
}

// SendRefund sends a reserved refund to its gateway and records the answer on the ledger. The
// Idempotency-Key is the refund's own id (with the installation's), so a retry, or a worker
// killed after Stripe answered and before the ledger was written, gets the same refund back
// from Stripe and records it once. What Stripe refuses fails the refund for good, and its
// amount is refundable again.
func (a *Activities) SendRefund(ctx context.Context, refundID int64) (ordermsg.Refunded, error) {
	r, err := a.Billing.GetPendingRefund(ctx, refundID)
	if err != nil {
		return ordermsg.Refunded{}, refusal(err)
	}
	switch r.Status {
	case billing.RefundSucceeded: // recorded before: RecordGatewayRefund answers it, with the invoice as it is
		res, err := a.Billing.RecordGatewayRefund(ctx, r.ID, r.RefundID)
		if err != nil {
			return ordermsg.Refunded{}, refusal(err)
		}
		return refunded(r, res), nil
	case billing.RefundFailed:
		return ordermsg.Refunded{}, moduleError(permanent.Wrap(errors.New(r.Error)))
	}
	if r.Gateway != gateway.StripeName {
		return ordermsg.Refunded{}, a.failRefund(ctx, r, permanent.Wrap(fmt.Errorf("%s cannot refund through hostflow", r.Gateway)))
	}
	if a.Stripe == nil {
		return ordermsg.Refunded{}, a.failRefund(ctx, r, permanent.Wrap(fmt.Errorf("refund %d: %s", r.ID, ReasonStripeNotConfigured)))
	}
	defer heartbeat(ctx)() // a worker killed mid-refund is noticed in seconds, and the refund retried
	installation, err := a.installation(ctx)
	if err != nil {
		return ordermsg.Refunded{}, err
	}
	re, err := a.Stripe.Refund(ctx, gateway.RefundRequest{Payment: r.PaymentID, Amount: r.Amount, Currency: r.Currency,
		InvoiceID: r.InvoiceID, RefundID: r.ID, IdempotencyKey: fmt.Sprintf("hostflow-%s-refund-%d", installation, r.ID)})
	if permanent.Is(err) {
		return ordermsg.Refunded{}, a.failRefund(ctx, r, err)
	}
	if err != nil {
		return ordermsg.Refunded{}, err
	}
	crashpoint.Hit("refund-sent")
	res, err := a.Billing.RecordGatewayRefund(ctx, r.ID, re.ID)
	if err != nil {
		return ordermsg.Refunded{}, refusal(err)
	}
	return refunded(r, res), nil
}

// AbandonRefund gives up a refund its gateway never answered (SendRefund's retries ran out):
// its amount is refundable again. Had the gateway made it after all, its own report of it
// (charge.refunded) records it then.
func (a *Activities) AbandonRefund(ctx context.Context, refundID int64) error {
	return refusal(a.Billing.FailGatewayRefund(ctx, refundID, "the gateway did not answer"))
}

// failRefund records the gateway's refusal on the refund and answers it, permanent.
func (a *Activities) failRefund(ctx context.Context, r billing.PendingRefund, cause error) error {
	if err := a.Billing.FailGatewayRefund(ctx, r.ID, cause.Error()); err != nil {
		return err // retried: the refusal is met again, and recorded then
	}
	return moduleError(cause)
}

func refunded(r billing.PendingRefund, res billing.PaymentResult) ordermsg.Refunded {
	return ordermsg.Refunded{RefundID: r.ID, TransactionID: res.TransactionID, Payment: r.PaymentID, Amount: r.Amount,
		Currency: r.Currency, InvoiceStatus: res.Status, Balance: res.Balance, Duplicate: res.Duplicate}
}

// refusal makes a refusal of the core's (a fault.Error other than Unavailable) final: asking
// again gets the same answer.
func refusal(err error) error {
	var fe *fault.Error
	if errors.As(err, &fe) && fe.Kind != fault.Unavailable {
		return moduleError(permanent.Wrap(err))
	}
	return moduleError(err)
}

// RefundablePayments lists the payments of an invoice with what is left to refund of each.
func (a *Activities) RefundablePayments(ctx context.Context, invoiceID int64) ([]billing.RefundablePayment, error) {
	ps, err := a.Billing.RefundablePayments(ctx, invoiceID)
	return ps, refusal(err)
}
