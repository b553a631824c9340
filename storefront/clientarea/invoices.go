package clientarea

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/invoicedoc"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/storefront/session"
)

// My Invoices, an invoice's page and its print view, and Pay Now: the client's own invoices
// (package billing reads them with the client in the query).

type invoicesView struct {
	Invoices []billing.ClientInvoice
	Pager    pager
}

// invoicesPage serves GET /client/invoices: the client's invoices, newest first, a page of
// them, with Pay Now on those that take a payment.
func (a *Area) invoicesPage(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.Require(w, r)
	if !ok {
		return
	}
	ctx, cancel := page.Context(r)
	defer cancel()
	p := listPage(r)
	rows, more, err := a.svc.ClientInvoices(ctx, u.Client.ID, "", p)
	if a.failed(w, r, err) {
		return
	}
	a.show(w, r, u, http.StatusOK, "invoices", "My Invoices", navInvoices,
		invoicesView{Invoices: rows, Pager: pagerFor("/client/invoices", p, more)})
}

type invoiceView struct {
	Invoice billing.InvoiceDetail
	Order   ordering.OrderRow
	// Review says the order was stopped for review (the fraud check): the customer is told so
	// in neutral words, and gets no payment page.
	Review bool
	// PayNow says the invoice takes an online payment now.
	PayNow bool
	// Awaiting says the customer is back from the payment page (?paid=1) and the invoice is
	// still Unpaid: the payment's news has not landed yet, and the page looks again by itself.
	Awaiting bool
	// BankTransfer is the bank transfer instructions (a setting), shown while an invoice to be
	// paid by bank transfer is Unpaid.
	BankTransfer string
}

// Balance is what the invoice still asks for.
func (v invoiceView) Balance() int64 { return v.Invoice.Invoice.Balance() }

// invoicePage serves GET /client/invoices/{id}: the client's own invoice, its lines, total,
// status and transactions, with Pay Now while it is Unpaid. Another client's invoice, like one
// that does not exist, is no page (404): nobody learns which ids exist.
func (a *Area) invoicePage(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.Require(w, r)
	if !ok {
		return
	}
	v, err := a.invoice(r, u, page.PathID(r))
	if a.failed(w, r, err) {
		return
	}
	v.Awaiting = v.PayNow && r.URL.Query().Get("paid") == "1"
	if v.PayNow && v.Order.PaymentMethod == billing.BankTransfer {
		if v.BankTransfer, err = a.svc.BankTransferInstructions(r.Context()); a.failed(w, r, err) {
			return
		}
	}
	a.show(w, r, u, http.StatusOK, "invoice", "Invoice #"+v.Invoice.Invoice.Num(), navInvoices, v)
}

// invoice reads invoice id if it is the client's: the query names the client
// (billing.ClientInvoice), so another client's invoice is NotFound as an unknown one is.
func (a *Area) invoice(r *http.Request, u session.Who, id int64) (v invoiceView, err error) {
	ctx, cancel := page.Context(r)
	defer cancel()
	if v.Invoice, err = a.svc.ClientInvoice(ctx, u.Client.ID, id); err != nil {
		return v, err
	}
	rows, err := a.svc.OrderRows(ctx, []int64{v.Invoice.Invoice.OrderID})
	if err != nil {
		return v, err
	}
	if len(rows) == 1 {
		v.Order = rows[0]
	}
	v.Review = billing.UnderReview(v.Order.Status, v.Order.WaitingFor)
	v.PayNow = v.Invoice.Invoice.Status == order.InvoiceUnpaid && !v.Review
	return v, nil
}

// invoicePrint serves GET /client/invoices/{id}/print: the invoice as a clean page to print or
// save as PDF (the company, the client's billing address, the number and dates, lines, totals,
// transactions and status), with a print stylesheet and no navigation. Another client's
// invoice is a 404, as an unknown id is.
func (a *Area) invoicePrint(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.Require(w, r)
	if !ok {
		return
	}
	v, err := a.invoice(r, u, page.PathID(r))
	if a.failed(w, r, err) {
		return
	}
	a.show(w, r, u, http.StatusOK, "invoice-print", "Invoice #"+v.Invoice.Invoice.Num(), navInvoices, v)
}

// invoicePDF serves GET /client/invoices/{id}/pdf: the client's own invoice as a PDF, the
// document the console and the invoice emails give (package invoicedoc). The read names the
// client (ClientInvoiceDocument), so another client's invoice is a 404, as an unknown id is.
func (a *Area) invoicePDF(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.Require(w, r)
	if !ok {
		return
	}
	ctx, cancel := page.Context(r)
	defer cancel()
	d, err := a.svc.ClientInvoiceDocument(ctx, u.Client.ID, page.PathID(r))
	if a.failed(w, r, err) {
		return
	}
	var buf bytes.Buffer
	if err := invoicedoc.PDF(&buf, d); a.failed(w, r, err) {
		return
	}
	invoicedoc.ServePDF(w, d, buf.Bytes())
}

// payNow serves Pay Now: the service opens the online payment of the client's own unpaid
// invoice and answers where to send the browser. The answer is a page that goes there (a
// meta refresh and a link), not a redirect: the CSP's form-action 'self' would stop a form's
// redirect to the payment provider's site, and the CSP lets no script do it.
func (a *Area) payNow(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.Require(w, r)
	if !ok {
		return
	}
	id := page.PathID(r)
	if _, err := a.invoice(r, u, id); a.failed(w, r, err) {
		return
	}
	back := a.absolute(r, billing.InvoicePath(id))
	to, err := a.svc.PayNow(r.Context(), u.Client.ID, id, back+"?paid=1", back)
	if err == nil {
		if target, perr := url.Parse(to); perr != nil || (target.Scheme != "https" && target.Scheme != "http") {
			err = fmt.Errorf("pay now answered an unusable address %q", to)
		}
	}
	if err != nil {
		_, msg, ok := page.Refusal(err)
		if !ok {
			a.pages.ServerError(w, r, err)
			return
		}
		a.pages.SetFlash(w, r, page.FlashError, msg)
		page.Redirect(w, r, billing.InvoicePath(id))
		return
	}
	a.pages.Render(w, r, http.StatusOK, "pay", &page.View{Title: "Continue to payment", Nav: "client", Client: u.Client, Data: to})
}

// absolute is path on hostflow's public address (HOSTFLOW_PUBLIC_URL), where the payment page
// sends the customer back. Without one (a local stack), the address the request came to.
func (a *Area) absolute(r *http.Request, path string) string {
	if base := strings.TrimRight(a.publicURL, "/"); base != "" {
		return base + path
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}
