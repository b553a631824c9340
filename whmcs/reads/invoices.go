package reads

import (
	"context"
	"slices"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
)

// The reads behind GetInvoices, GetInvoice's payment method and GetTransactions.

// InvoiceOverdue is GetInvoices' status for an Unpaid invoice past its due date.
const InvoiceOverdue order.InvoiceStatus = "Overdue"

// countedInvoices is the name list_counts (migration 00018) counts invoices under: a total read
// under another name would be 0.
const countedInvoices = "invoices"

// InvoiceSort orders GetInvoices: By is id, date, duedate, total or status.
type InvoiceSort struct {
	By        string
	Ascending bool
}

// ListedInvoice is an invoice as GetInvoices lists it: with its client's name and its order's
// payment method.
type ListedInvoice struct {
	billing.Invoice
	FirstName, LastName, CompanyName string
	PaymentMethod                    string
}

// SortedInvoices lists invoices of a client and status (Overdue too), sorted.
func SortedInvoices(ctx context.Context, pool db.DBTX, clientID int64, status order.InvoiceStatus, sort InvoiceSort, pg Page) ([]ListedInvoice, int64, error) {
	if sort.By != "" && !slices.Contains([]string{"id", "date", "duedate", "total", "status"}, sort.By) {
		return nil, 0, fault.Invalidf("orderby", "must be id, date, duedate, total or status")
	}
	if sort.By == "date" {
		// An invoice is dated when it is written, so its id is in date order: the page comes
		// from the primary key, not from sorting every invoice.
		sort.By = "id"
	}
	q := db.New(pool)
	rows, err := q.WHMCSSortInvoices(ctx, db.WHMCSSortInvoicesParams{ClientID: clientID, Status: string(status), OrderBy: sort.By,
		Ascending: sort.Ascending, Off: pg.Offset, Lim: pg.Limit})
	if err != nil {
		return nil, 0, fault.Wrap(err, "page invoices")
	}
	var n int64
	if clientID == 0 && status != InvoiceOverdue {
		n, err = q.ListTotal(ctx, db.ListTotalParams{Tbl: countedInvoices, Status: string(status)})
	} else {
		n, err = q.WHMCSCountInvoices(ctx, db.WHMCSCountInvoicesParams{ClientID: clientID, Status: string(status)})
	}
	return dbtx.Views(rows, func(r db.WHMCSSortInvoicesRow) ListedInvoice {
		return ListedInvoice{Invoice: billing.Invoice{ID: r.ID, OrderID: r.OrderID, ClientID: r.ClientID, Status: r.Status,
			Currency: r.Currency, Total: r.Total, Paid: r.Paid, CreatedAt: r.CreatedAt.Time, DueAt: r.DueAt.Time, PaidAt: r.PaidAt.Time,
			Tax: billing.InvoiceTaxOf(r.Subtotal, r.Tax, r.Tax2, r.TaxRate, r.TaxRate2, r.TaxName, r.TaxName2, r.ReverseCharge), Number: r.InvoiceNum},
			FirstName: r.FirstName, LastName: r.LastName, CompanyName: r.CompanyName, PaymentMethod: r.PaymentMethod}
	}), n, fault.Wrap(err, "count invoices")
}

// InvoicePaymentMethod is the payment method of an invoice's order.
func InvoicePaymentMethod(ctx context.Context, pool db.DBTX, invoiceID int64) (string, error) {
	m, err := db.New(pool).WHMCSInvoicePaymentMethod(ctx, invoiceID)
	return m, fault.OrAbsent(err, "Invoice ID Not Found")
}

// ClientTransaction is a transaction with the client its invoice bills (0 for none).
type ClientTransaction struct {
	billing.Transaction
	InvoiceID int64
	ClientID  int64
}

// TransactionFilter selects transactions by invoice, client or gateway transaction id.
type TransactionFilter struct {
	InvoiceID, ClientID int64
	TransactionID       string
}

// Transactions lists transactions, oldest first.
func Transactions(ctx context.Context, pool db.DBTX, f TransactionFilter) ([]ClientTransaction, error) {
	rows, err := db.New(pool).WHMCSTransactions(ctx, db.WHMCSTransactionsParams{InvoiceID: f.InvoiceID, ClientID: f.ClientID,
		TransactionID: f.TransactionID})
	return dbtx.Views(rows, func(t db.WHMCSTransactionsRow) ClientTransaction {
		var inv int64
		if t.InvoiceID != nil {
			inv = *t.InvoiceID
		}
		return ClientTransaction{Transaction: billing.Transaction{ID: t.ID, Type: t.Type, Gateway: t.Gateway, TransactionID: t.TransactionID,
			ParentID: t.ParentID, Amount: t.Amount, Currency: t.Currency, Date: t.PaidAt.Time}, InvoiceID: inv, ClientID: t.ClientID}
	}), fault.Wrap(err, "list transactions")
}
