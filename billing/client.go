package billing

import (
	"context"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
)

// A client's own invoices, as the client area shows them (My Invoices, an invoice, its print
// view). Every read names the client in its query (db/queries/client_invoices.sql): another
// client's invoice is not found, exactly as an unknown id is.

// ReasonNoSuchInvoice answers an invoice the client does not have.
const ReasonNoSuchInvoice = "There is no such invoice in your account."

// ClientInvoice is an invoice in the client's list.
type ClientInvoice struct {
	Invoice
	OrderNumber int64
	// Review says the invoice's order was stopped for review (the fraud check: Fraud, or
	// waiting for fraud-review): the customer is told so in neutral words and offered no
	// payment.
	Review bool
}

// Balance is what the invoice still asks for.
func (i Invoice) Balance() int64 { return max(i.Total-i.Paid, 0) }

// Payable says the client may pay the invoice online now: Unpaid, and its order not stopped
// for review.
func (i ClientInvoice) Payable() bool { return i.Status == order.InvoiceUnpaid && !i.Review }

// UnderReview says an order is stopped for review by the fraud check (Fraud, or waiting for
// fraud-review): its customer is told so in neutral words, and offered no payment.
func UnderReview(status order.Status, waiting order.WaitingFor) bool {
	return status == order.Fraud || waiting == order.WaitingFraudReview
}

// ClientInvoices is a page of the client's invoices, newest first: every status, or only
// status when it is not "".
func (s *Billing) ClientInvoices(ctx context.Context, clientID int64, status order.InvoiceStatus, p dbtx.Page) ([]ClientInvoice, bool, error) {
	lim, off := p.Query()
	rows, err := s.q().ClientInvoices(ctx, db.ClientInvoicesParams{ClientID: clientID, Status: string(status), Lim: lim, Off: off})
	if err != nil {
		return nil, false, fault.Wrap(err, "list client %d's invoices", clientID)
	}
	rows, more := dbtx.Cut(p, rows)
	return dbtx.Views(rows, func(r db.ClientInvoicesRow) ClientInvoice {
		inv := db.Invoice{ID: r.ID, OrderID: r.OrderID, ClientID: r.ClientID, Status: r.Status, Currency: r.Currency, Total: r.Total,
			CreatedAt: r.CreatedAt, DueAt: r.DueAt, PaidAt: r.PaidAt, InvoiceNum: r.InvoiceNum}
		return ClientInvoice{Invoice: invoiceFrom(inv, r.Paid), OrderNumber: r.OrderNumber, Review: UnderReview(r.OrderStatus, r.WaitingFor)}
	}), more, nil
}

// ClientInvoice reads one of the client's invoices with its lines and transactions; another
// client's, like an unknown id, is NotFound (ReasonNoSuchInvoice).
func (s *Billing) ClientInvoice(ctx context.Context, clientID, id int64) (InvoiceDetail, error) {
	q := s.q()
	inv, err := q.ClientInvoice(ctx, db.ClientInvoiceParams{ID: id, ClientID: clientID})
	if err != nil {
		return InvoiceDetail{}, fault.OrAbsent(err, ReasonNoSuchInvoice)
	}
	return InvoiceLines(ctx, q, inv)
}

// Due is what a client's Unpaid invoices in one currency still ask for.
type Due struct {
	Currency string
	Invoices int64
	Balance  int64
}

// ClientDue is what the client's Unpaid invoices still ask for, by currency.
func (s *Billing) ClientDue(ctx context.Context, clientID int64) ([]Due, error) {
	rows, err := s.q().ClientUnpaidTotals(ctx, clientID)
	return dbtx.Views(rows, func(r db.ClientUnpaidTotalsRow) Due {
		return Due{Currency: r.Currency, Invoices: r.N, Balance: r.Balance}
	}), fault.Wrap(err, "total client %d's unpaid invoices", clientID)
}
