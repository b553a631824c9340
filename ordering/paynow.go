package ordering

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// ReasonInvoiceNotFound answers an invoice the client does not have: another client's is not
// found either, so that nobody learns which invoices exist.
const ReasonInvoiceNotFound = "Invoice not found"

// PayNow opens an online payment for a client's invoice (the client area's Pay Now) and returns
// the page to send the browser to. The session is opened by the invoice's order workflow (an
// activity: a call to the gateway never runs in a request); the payment page sends the
// customer back to successURL once they have paid and to cancelURL if they turn back (both
// the invoice's page, the first marked so that it waits for the payment's news). An invoice with nothing left to pay is a
// Conflict with order.ReasonNothingToPay, which the page shows as paid.
func (s *Ordering) PayNow(ctx context.Context, clientID, invoiceID int64, successURL, cancelURL string) (string, error) {
	inv, err := s.q().GetInvoice(ctx, invoiceID)
	if err != nil && !dbtx.IsNoRows(err) {
		return "", fault.Wrap(err, "read invoice %d", invoiceID)
	}
	if err != nil || inv.ClientID != clientID {
		return "", fault.Absent(ReasonInvoiceNotFound)
	}
	wid, err := s.q().OrderWorkflowID(ctx, inv.OrderID)
	if err != nil {
		return "", fault.OrAbsent(err, ReasonInvoiceNotFound)
	}
	var cs ordermsg.CheckoutSession
	err = s.update(ctx, wid, ordermsg.UpdateCheckout, "", ordermsg.CheckoutRequest{SuccessURL: successURL, CancelURL: cancelURL}, &cs)
	if err != nil {
		err = s.temporalError(err, fmt.Sprintf("pay invoice %d", invoiceID))
		var f *fault.Error
		if errors.As(err, &f) && strings.HasPrefix(f.Message, order.ReasonNothingToPay) {
			return "", &fault.Error{Kind: fault.Conflict, Message: order.ReasonNothingToPay}
		}
		return "", err
	}
	return cs.URL, nil
}
