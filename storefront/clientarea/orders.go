package clientarea

import (
	"fmt"
	"net/http"

	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/storefront/page"
)

// My Orders: the client's own orders (package ordering reads them with the client in the
// query).

type ordersView struct {
	Orders []ordering.ClientOrder
	Pager  pager
}

// ordersPage serves GET /client/orders: the client's orders, newest first, a page of them,
// each with its invoice.
func (a *Area) ordersPage(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.Require(w, r)
	if !ok {
		return
	}
	ctx, cancel := page.Context(r)
	defer cancel()
	p := listPage(r)
	rows, more, err := a.svc.ClientOrders(ctx, u.Client.ID, p)
	if a.failed(w, r, err) {
		return
	}
	a.show(w, r, u, http.StatusOK, "orders", "My Orders", navOrders, ordersView{Orders: rows, Pager: pagerFor("/client/orders", p, more)})
}

// orderPage serves GET /client/orders/{id}: one of the client's orders, its services and
// domains and its invoice. Another client's order is a 404, as an unknown id is.
func (a *Area) orderPage(w http.ResponseWriter, r *http.Request) {
	u, ok := a.sessions.Require(w, r)
	if !ok {
		return
	}
	ctx, cancel := page.Context(r)
	defer cancel()
	o, err := a.svc.ClientOrder(ctx, u.Client.ID, page.PathID(r))
	if a.failed(w, r, err) {
		return
	}
	a.show(w, r, u, http.StatusOK, "order", fmt.Sprintf("Order #%d", o.Number), navOrders, o)
}
