package console

import (
	"bytes"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/invoicedoc"
)

// The invoice's own page (WHMCS's admin invoice view) and its PDF: the same document the
// client's PDF and the invoice emails' attachment are made from (package invoicedoc).

// invoiceRoutes mounts the invoice page and its PDF.
func (c *Console) invoiceRoutes(r chi.Router) {
	r.Get("/invoices/{id}", c.invoicePage)
	r.Get("/invoices/{id}/pdf", c.invoicePDF)
}

// invoiceView is the invoice page's data.
type invoiceView struct {
	invoicedoc.Document
}

// IsPayment says a transaction is a payment, which the page offers to refund.
func (invoiceView) IsPayment(kind string) bool { return kind == gateway.Payment }

// invoicePage serves /admin/invoices/{id}: the invoice's number and status, client, dates,
// lines with tax, totals, transactions (each payment with its Refund link) and balance.
func (c *Console) invoicePage(w http.ResponseWriter, r *http.Request) {
	d, ok := c.loadInvoice(w, r)
	if !ok {
		return
	}
	c.pages.Render(w, r, http.StatusOK, "invoice", &page.View{Title: d.Title(), Nav: "orders", Data: invoiceView{Document: d}})
}

// invoicePDF serves /admin/invoices/{id}/pdf: the invoice as a PDF, to open in the browser or
// save (its name is Invoice-<number>.pdf).
func (c *Console) invoicePDF(w http.ResponseWriter, r *http.Request) {
	d, ok := c.loadInvoice(w, r)
	if !ok {
		return
	}
	// Into a buffer first: a failure is a clean error page, not half a PDF.
	var buf bytes.Buffer
	if err := invoicedoc.PDF(&buf, d); err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	invoicedoc.ServePDF(w, d, buf.Bytes())
}

// loadInvoice reads the invoice in the path as its document; a malformed or unknown id is a
// 404 page, and ok is false.
func (c *Console) loadInvoice(w http.ResponseWriter, r *http.Request) (invoicedoc.Document, bool) {
	id, ok := c.pathID(w, r, "invoice")
	if !ok {
		return invoicedoc.Document{}, false
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	d, err := c.svc.InvoiceDocument(ctx, id)
	if err != nil {
		c.notFoundOr(w, r, err)
		return d, false
	}
	return d, true
}
