package clientarea

import (
	"net/http"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/items"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/storefront/page"
)

// homePanel is how many rows each of the client area home's panels shows; View all opens the
// list.
const homePanel = 5

type homeView struct {
	Counts   items.ItemCounts
	Due      []billing.Due
	Services []items.ClientService // Active
	Domains  []items.ClientDomain  // Active
	Invoices []billing.ClientInvoice
	Orders   []ordering.ClientOrder
}

// Unpaid is how many Unpaid invoices the client has.
func (v homeView) Unpaid() (n int64) {
	for _, d := range v.Due {
		n += d.Invoices
	}
	return n
}

// home serves GET /client, the client area's home as WHMCS's: the client's Active services
// and domains, Unpaid invoices with what they ask for, and the latest orders, each a short
// panel with View all; a visitor goes to sign in.
func (a *Area) home(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.Require(w, r)
	if !ok {
		return
	}
	ctx, cancel := page.Context(r)
	defer cancel()
	id, first := u.Client.ID, dbtx.Page{Number: 1, Size: homePanel}
	var v homeView
	var err error
	if v.Counts, err = a.svc.ClientItemCounts(ctx, id); err == nil {
		v.Services, _, err = a.svc.ClientServices(ctx, id, order.Active, first)
	}
	if err == nil {
		v.Domains, _, err = a.svc.ClientDomains(ctx, id, order.Active, first)
	}
	if err == nil {
		v.Invoices, _, err = a.svc.ClientInvoices(ctx, id, order.InvoiceUnpaid, first)
	}
	if err == nil {
		v.Due, err = a.svc.ClientDue(ctx, id)
	}
	if err == nil {
		v.Orders, _, err = a.svc.ClientOrders(ctx, id, first)
	}
	if err != nil {
		a.pages.ServerError(w, r, err)
		return
	}
	a.show(w, r, u, http.StatusOK, "home", "Client Area", navHome, v)
}
