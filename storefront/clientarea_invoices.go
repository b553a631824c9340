package storefront

import (
	"fmt"
	"net/http"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/ordering"
)

// My Invoices, an invoice's print view, and My Orders: the client's own (packages billing and
// ordering read them with the client in the query). The invoice's own page and Pay Now are
// client.go's.

type invoicesView struct {
	Invoices []billing.ClientInvoice
	Pager    pager
}

// invoicesPage serves GET /client/invoices: the client's invoices, newest first, a page of
// them, with Pay Now on those that take a payment.
func (s *Store) invoicesPage(w http.ResponseWriter, r *http.Request) {
	u, ok := s.sessions.Require(w, r)
	if !ok {
		return
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	p := listPage(r)
	rows, more, err := s.svc.ClientInvoices(ctx, u.Client.ID, "", p)
	if s.failed(w, r, err) {
		return
	}
	s.show(w, r, u, http.StatusOK, "invoices", "My Invoices", navInvoices,
		invoicesView{Invoices: rows, Pager: pagerFor("/client/invoices", p, more)})
}

// invoicePrint serves GET /client/invoices/{id}/print: the invoice as a clean page to print or
// save as PDF (the company, the client's billing address, the number and dates, lines, totals,
// transactions and status), with a print stylesheet and no navigation. Another client's
// invoice is a 404, as an unknown id is.
func (s *Store) invoicePrint(w http.ResponseWriter, r *http.Request) {
	u, ok := s.sessions.Require(w, r)
	if !ok {
		return
	}
	v, err := s.invoice(r, u, pathID(r))
	if s.failed(w, r, err) {
		return
	}
	s.show(w, r, u, http.StatusOK, "invoice-print", fmt.Sprintf("Invoice #%d", v.Invoice.Invoice.ID), navInvoices, v)
}

type ordersView struct {
	Orders []ordering.ClientOrder
	Pager  pager
}

// ordersPage serves GET /client/orders: the client's orders, newest first, a page of them,
// each with its invoice.
func (s *Store) ordersPage(w http.ResponseWriter, r *http.Request) {
	u, ok := s.sessions.Require(w, r)
	if !ok {
		return
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	p := listPage(r)
	rows, more, err := s.svc.ClientOrders(ctx, u.Client.ID, p)
	if s.failed(w, r, err) {
		return
	}
	s.show(w, r, u, http.StatusOK, "orders", "My Orders", navOrders, ordersView{Orders: rows, Pager: pagerFor("/client/orders", p, more)})
}

// orderPage serves GET /client/orders/{id}: one of the client's orders, its services and
// domains and its invoice. Another client's order is a 404, as an unknown id is.
func (s *Store) orderPage(w http.ResponseWriter, r *http.Request) {
	u, ok := s.sessions.Require(w, r)
	if !ok {
		return
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	o, err := s.svc.ClientOrder(ctx, u.Client.ID, pathID(r))
	if s.failed(w, r, err) {
		return
	}
	s.show(w, r, u, http.StatusOK, "order", fmt.Sprintf("Order #%d", o.Number), navOrders, o)
}
