package ordering

import (
	"context"
	"fmt"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// Refund gives back a payment of an invoice as r.Method says: through its gateway as a step
// of the order's workflow (the admin waits for the gateway's answer), recorded as given back
// by hand, or added to the client's credit balance. requestID, when given, makes a retried
// request the same refund.
func (s *Ordering) Refund(ctx context.Context, invoiceID int64, r billing.Refund, requestID string) (billing.PaymentResult, error) {
	if err := r.Check(); err != nil {
		return billing.PaymentResult{}, err
	}
	switch r.Method {
	case billing.RefundManual:
		return s.billing.RefundManually(ctx, invoiceID, r)
	case billing.RefundCredit:
		return s.billing.RefundToCredit(ctx, invoiceID, r.TransactionID, r.Amount, r.Actor)
	}
	orderID, err := s.billing.CheckGatewayRefund(ctx, invoiceID, r)
	if err != nil {
		return billing.PaymentResult{}, err
	}
	wid, err := s.q().OrderWorkflowID(ctx, orderID)
	if err != nil {
		return billing.PaymentResult{}, fault.OrAbsent(err, order.ReasonNotFound)
	}
	var res ordermsg.Refunded
	req := ordermsg.RefundRequest{InvoiceID: invoiceID, TransactionID: r.TransactionID, Amount: r.Amount, Actor: r.Actor}
	if err := s.update(ctx, wid, ordermsg.UpdateRefund, requestID, req, &res); err != nil {
		return billing.PaymentResult{}, s.temporalError(err, fmt.Sprintf("refund payment %s of invoice %d", r.TransactionID, invoiceID))
	}
	return billing.PaymentResult{InvoiceID: invoiceID, OrderID: orderID, TransactionID: res.TransactionID, Amount: res.Amount,
		Currency: res.Currency, Status: res.InvoiceStatus, Balance: res.Balance, Duplicate: res.Duplicate}, nil
}
