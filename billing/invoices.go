package billing

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/order"
)

// Invoice is an order's invoice.
type Invoice struct {
	ID        int64
	OrderID   int64
	ClientID  int64
	Status    order.InvoiceStatus
	Currency  string
	Total     int64
	Paid      int64 // what its transactions add up to: payments less refunds
	CreatedAt time.Time
	DueAt     time.Time
	PaidAt    time.Time // zero while unpaid
	// Tax is the tax it was written with: Total is Tax.Subtotal + Tax.Tax1 + Tax.Tax2.
	Tax InvoiceTax
	// Credit is what the client's credit balance paid of it (ApplyCredit's payments, part of
	// Paid); read with its transactions (InvoiceLines), 0 in lists.
	Credit int64
	// Number is its sequential paid invoice number (invoicenumbers.go), "" until it is given.
	Number string
}

// Num is the number the invoice is shown by: its paid invoice number once it has one, else
// its id, as before numbering.
func (i Invoice) Num() string {
	if i.Number != "" {
		return i.Number
	}
	return strconv.FormatInt(i.ID, 10)
}

func invoiceFrom(i db.Invoice, paid int64) Invoice {
	return Invoice{ID: i.ID, OrderID: i.OrderID, ClientID: i.ClientID, Status: i.Status, Currency: i.Currency, Total: i.Total,
		Paid: paid, CreatedAt: i.CreatedAt.Time, DueAt: i.DueAt.Time, PaidAt: i.PaidAt.Time,
		Tax: InvoiceTaxOf(i.Subtotal, i.Tax, i.Tax2, i.TaxRate, i.TaxRate2, i.TaxName, i.TaxName2, i.ReverseCharge), Number: i.InvoiceNum}
}

// InvoiceLine is one line of an invoice.
type InvoiceLine struct {
	ID          int64
	Type        string // what it bills: Hosting, Setup, DomainRegister or DomainTransfer
	RelID       int64  // the service or domain it bills
	Description string
	Amount      int64
	// Taxed says tax was charged on the line (WHMCS's items.item[].taxed).
	Taxed bool
}

// Transaction is money received (or, negative, refunded) against an invoice.
type Transaction struct {
	ID            int64
	Type          string // gateway.Payment or gateway.Refund
	Gateway       string
	TransactionID string
	// ParentID is the payment a refund gives back ("" for a payment, and for a refund
	// recorded without naming one).
	ParentID string
	Amount   int64
	Currency string
	Date     time.Time
}

// Description is WHMCS's words for a transaction: "Invoice Payment", or the refund of which
// payment.
func (t Transaction) Description() string {
	switch {
	case t.Type == gateway.Payment:
		return "Invoice Payment"
	case t.ParentID != "":
		return "Refund of Transaction ID " + t.ParentID
	}
	return "Refund"
}

// InvoiceDetail is an invoice with its lines and transactions.
type InvoiceDetail struct {
	Invoice      Invoice
	Items        []InvoiceLine
	Transactions []Transaction
}

// InvoicePath is an invoice's page in the client area, where the customer sees and pays it:
// the path the emails, the WHMCS API and the store's pages link to.
func InvoicePath(id int64) string { return fmt.Sprintf("/client/invoices/%d", id) }

// Invoice reads one invoice.
func (s *Billing) Invoice(ctx context.Context, id int64) (InvoiceDetail, error) {
	q := s.q()
	inv, err := q.GetInvoice(ctx, id)
	if err != nil {
		return InvoiceDetail{}, fault.OrAbsent(err, "Invoice ID Not Found")
	}
	return InvoiceLines(ctx, q, inv)
}

// InvoiceLines reads an invoice's items and transactions.
func InvoiceLines(ctx context.Context, q *db.Queries, inv db.Invoice) (InvoiceDetail, error) {
	items, err := q.ListInvoiceItems(ctx, inv.ID)
	if err != nil {
		return InvoiceDetail{}, fault.Wrap(err, "list invoice items")
	}
	txns, err := q.ListTransactions(ctx, &inv.ID)
	if err != nil {
		return InvoiceDetail{}, fault.Wrap(err, "list transactions")
	}
	d := InvoiceDetail{Items: make([]InvoiceLine, len(items)), Transactions: make([]Transaction, len(txns))}
	for i, it := range items {
		d.Items[i] = InvoiceLine{ID: it.ID, Type: it.Type, RelID: it.RelID, Description: it.Description, Amount: it.Amount, Taxed: it.Taxed}
	}
	var paid, credit int64
	for i, t := range txns {
		paid += t.Amount
		if t.Gateway == CreditGateway && t.Type == gateway.Payment {
			credit += t.Amount
		}
		d.Transactions[i] = Transaction{ID: t.ID, Type: t.Type, Gateway: t.Gateway, TransactionID: t.TransactionID, ParentID: t.ParentID,
			Amount: t.Amount, Currency: t.Currency, Date: t.PaidAt.Time}
	}
	d.Invoice = invoiceFrom(inv, paid)
	d.Invoice.Credit = credit
	return d, nil
}

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
func (s *Billing) UpdateInvoice(ctx context.Context, id int64, u InvoiceUpdate) error {
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		inv, err := q.LockInvoice(ctx, id)
		if err != nil {
			return fault.OrAbsent(err, "Invoice ID Not Found")
		}
		if u.Status != "" && u.Status != inv.Status {
			return &fault.Error{Kind: fault.Conflict, Field: "status", Message: statusChangeRefusal(inv.Status, u.Status)}
		}
		if u.DueDate.IsZero() {
			return nil
		}
		return q.SetInvoiceDueDate(ctx, db.SetInvoiceDueDateParams{ID: id, DueAt: dbtx.Timestamptz(u.DueDate)})
	})
	return fault.Wrap(err, "update invoice %d", id)
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
func (s *Billing) InvoiceOfClient(ctx context.Context, invoiceID, clientID int64) error {
	inv, err := s.Invoice(ctx, invoiceID)
	if err != nil {
		return err
	}
	if inv.Invoice.ClientID != clientID {
		return fault.Invalidf("client_id", "Client ID Not Found")
	}
	return nil
}
