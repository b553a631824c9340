package whmcs

import (
	"context"
	"slices"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
)

// The reads behind GetInvoices, GetInvoice's payment method and GetTransactions (see reads.go).

// invoiceOverdue is GetInvoices' status for an Unpaid invoice past its due date.
const invoiceOverdue order.InvoiceStatus = "Overdue"

// countedInvoices is the name list_counts (migration 00018) counts invoices under: a total read
// under another name would be 0.
const countedInvoices = "invoices"

// invoiceSort orders GetInvoices: by is id, date, duedate, total or status.
type invoiceSort struct {
	by        string
	ascending bool
}

// listedInvoice is an invoice as GetInvoices lists it: with its client's name and its order's
// payment method.
type listedInvoice struct {
	billing.Invoice
	FirstName, LastName, CompanyName string
	PaymentMethod                    string
}

// sortedInvoices lists invoices of a client and status (Overdue too), sorted.
func (h *Handler) sortedInvoices(ctx context.Context, clientID int64, status order.InvoiceStatus, sort invoiceSort, pg page) ([]listedInvoice, int64, error) {
	if sort.by != "" && !slices.Contains([]string{"id", "date", "duedate", "total", "status"}, sort.by) {
		return nil, 0, fault.Invalidf("orderby", "must be id, date, duedate, total or status")
	}
	if sort.by == "date" {
		// An invoice is dated when it is written, so its id is in date order: the page comes
		// from the primary key, not from sorting every invoice.
		sort.by = "id"
	}
	q := h.q()
	rows, err := q.WHMCSSortInvoices(ctx, db.WHMCSSortInvoicesParams{ClientID: clientID, Status: string(status), OrderBy: sort.by,
		Ascending: sort.ascending, Off: pg.Offset, Lim: pg.Limit})
	if err != nil {
		return nil, 0, fault.Wrap(err, "page invoices")
	}
	var n int64
	if clientID == 0 && status != invoiceOverdue {
		n, err = q.ListTotal(ctx, db.ListTotalParams{Tbl: countedInvoices, Status: string(status)})
	} else {
		n, err = q.WHMCSCountInvoices(ctx, db.WHMCSCountInvoicesParams{ClientID: clientID, Status: string(status)})
	}
	return dbtx.Views(rows, func(r db.WHMCSSortInvoicesRow) listedInvoice {
		return listedInvoice{Invoice: billing.Invoice{ID: r.ID, OrderID: r.OrderID, ClientID: r.ClientID, Status: r.Status,
			Currency: r.Currency, Total: r.Total, Paid: r.Paid, CreatedAt: r.CreatedAt.Time, DueAt: r.DueAt.Time, PaidAt: r.PaidAt.Time},
			FirstName: r.FirstName, LastName: r.LastName, CompanyName: r.CompanyName, PaymentMethod: r.PaymentMethod}
	}), n, fault.Wrap(err, "count invoices")
}

// invoicePaymentMethod is the payment method of an invoice's order.
func (h *Handler) invoicePaymentMethod(ctx context.Context, invoiceID int64) (string, error) {
	m, err := h.q().WHMCSInvoicePaymentMethod(ctx, invoiceID)
	return m, fault.OrAbsent(err, "Invoice ID Not Found")
}

// clientTransaction is a transaction with the client its invoice bills (0 for none).
type clientTransaction struct {
	billing.Transaction
	InvoiceID int64
	ClientID  int64
}

// transactionFilter selects transactions by invoice, client or gateway transaction id.
type transactionFilter struct {
	InvoiceID, ClientID int64
	TransactionID       string
}

// transactions lists transactions, oldest first.
func (h *Handler) transactions(ctx context.Context, f transactionFilter) ([]clientTransaction, error) {
	rows, err := h.q().WHMCSTransactions(ctx, db.WHMCSTransactionsParams{InvoiceID: f.InvoiceID, ClientID: f.ClientID,
		TransactionID: f.TransactionID})
	return dbtx.Views(rows, func(t db.WHMCSTransactionsRow) clientTransaction {
		var inv int64
		if t.InvoiceID != nil {
			inv = *t.InvoiceID
		}
		return clientTransaction{Transaction: billing.Transaction{ID: t.ID, Type: t.Type, Gateway: t.Gateway, TransactionID: t.TransactionID,
			Amount: t.Amount, Currency: t.Currency, Date: t.PaidAt.Time}, InvoiceID: inv, ClientID: t.ClientID}
	}), fault.Wrap(err, "list transactions")
}
