package api

import (
	"bytes"
	"net/http"
	"time"

	"github.com/hostflow/hostflow/invoicedoc"
	"github.com/hostflow/hostflow/money"
)

// invoiceDocJSON is GET /api/v1/invoices/{id}: the invoice as its document shows it (the
// order's invoice fields, with its number, dates, order, client, credit and balance).
type invoiceDocJSON struct {
	invoiceJSON
	// Number is the invoice's number: its sequential paid number once given, else its id.
	Number        string         `json:"number"`
	OrderID       int64          `json:"order_id"`
	OrderNumber   string         `json:"order_number"`
	ClientID      int64          `json:"client_id"`
	Client        invoicedToJSON `json:"client"`
	PaymentMethod string         `json:"payment_method"`
	Date          time.Time      `json:"date"`
	DueDate       time.Time      `json:"due_date"`
	DatePaid      *time.Time     `json:"date_paid"`
	// Credit is the client credit applied to it (part of paid).
	Credit string `json:"credit"`
}

// invoicedToJSON is who an invoice is to.
type invoicedToJSON struct {
	Name    string   `json:"name"`
	Company string   `json:"company,omitempty"`
	Email   string   `json:"email"`
	Address []string `json:"address"`
	TaxID   string   `json:"tax_id,omitempty"`
}

// getInvoice serves GET /api/v1/invoices/{id}.
func (h *Handler) getInvoice(w http.ResponseWriter, r *http.Request) {
	d, ok := h.invoiceDocument(w, r)
	if !ok {
		return
	}
	inv, cur := d.Invoice.Invoice, d.Invoice.Invoice.Currency
	out := invoiceDocJSON{invoiceJSON: *invoiceView(d.Invoice), Number: inv.Num(), OrderID: inv.OrderID, OrderNumber: itoa(d.OrderNumber),
		ClientID: inv.ClientID, PaymentMethod: d.PaymentMethod, Date: inv.CreatedAt, DueDate: inv.DueAt, Credit: money.Format(d.Credit, cur),
		Client: invoicedToJSON{Name: d.Client.Name, Company: d.Client.Company, Email: d.Client.Email, Address: d.Client.Address, TaxID: d.Client.TaxID}}
	if out.Client.Address == nil {
		out.Client.Address = []string{}
	}
	if !inv.PaidAt.IsZero() {
		out.DatePaid = &inv.PaidAt
	}
	writeJSON(w, http.StatusOK, out)
}

// getInvoicePDF serves GET /api/v1/invoices/{id}/pdf: the invoice's PDF (application/pdf).
func (h *Handler) getInvoicePDF(w http.ResponseWriter, r *http.Request) {
	d, ok := h.invoiceDocument(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := invoicedoc.PDF(&buf, d); err != nil {
		h.serverError(w, r, err)
		return
	}
	invoicedoc.ServePDF(w, d, buf.Bytes())
}

// invoiceDocument reads the invoice in the path: a malformed id is a 400, an unknown one a
// 404 ("Invoice ID Not Found").
func (h *Handler) invoiceDocument(w http.ResponseWriter, r *http.Request) (invoicedoc.Document, bool) {
	id, ok := pathID(w, r, "id")
	if !ok {
		return invoicedoc.Document{}, false
	}
	d, err := h.svc.InvoiceDocument(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return d, false
	}
	return d, true
}
