package service

import (
	"context"
	"fmt"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/order"
)

// InvoiceUpdate is what may change of an invoice by hand (WHMCS's UpdateInvoice): its due date.
// Its status follows its ledger and its order, so Status is accepted only as the invoice's
// current one; "" and a zero DueDate keep what is there.
type InvoiceUpdate struct {
	Status  order.InvoiceStatus
	DueDate time.Time
}

// UpdateInvoice changes an invoice's due date. A change of status is refused with the way to
// get it: a payment pays an invoice, the order's cancel cancels it, Set Back to Pending reopens
// it.
func (s *Service) UpdateInvoice(ctx context.Context, id int64, u InvoiceUpdate) error {
	err := s.inTx(ctx, func(q *db.Queries) error {
		inv, err := q.LockInvoice(ctx, id)
		if err != nil {
			return orNotFound(err, "Invoice ID Not Found")
		}
		if u.Status != "" && u.Status != inv.Status {
			return &Error{Kind: Conflict, Field: "status", Message: statusChangeRefusal(inv.Status, u.Status)}
		}
		if u.DueDate.IsZero() {
			return nil
		}
		return q.SetInvoiceDueDate(ctx, db.SetInvoiceDueDateParams{ID: id, DueAt: timestamptz(u.DueDate)})
	})
	return wrap(err, fmt.Sprintf("update invoice %d", id))
}

// statusChangeRefusal says why an invoice's status is not set by hand, and what sets it.
func statusChangeRefusal(from, to order.InvoiceStatus) string {
	refusal := fmt.Sprintf("The invoice is %s: its status follows its payments and its order", from)
	switch {
	case to == order.InvoicePaid:
		return refusal + "; record its payment to make it Paid (AddInvoicePayment or AddTransaction)"
	case to == order.InvoiceCancelled:
		return refusal + "; cancel its order to cancel it (CancelOrder)"
	case to == order.InvoiceUnpaid && from == order.InvoiceCancelled:
		return refusal + "; set its order back to Pending to reopen it (PendingOrder)"
	case to == order.InvoiceRefunded:
		return refusal + "; it is Refunded once its gateway refunds the payment"
	}
	return refusal
}

// InvoiceOfClient refuses, in WHMCS's words, an invoice that is not the client's: a payment
// recorded for a client goes only to that client's invoice.
func (s *Service) InvoiceOfClient(ctx context.Context, invoiceID, clientID int64) error {
	inv, err := s.Invoice(ctx, invoiceID)
	if err != nil {
		return err
	}
	if inv.Invoice.ClientID != clientID {
		return invalid("client_id", "Client ID Not Found")
	}
	return nil
}
