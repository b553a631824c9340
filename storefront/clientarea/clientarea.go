// Package clientarea is the storefront's client area once a client is signed in (/client): the
// home page, My Services, My Domains with Change Nameservers, My Invoices with an invoice's
// page, its print view and Pay Now, My Orders, Email History and My Details with Change
// Password. Every page asks a visitor to sign in first (storefront/session), and reads the
// client's own things through package service with the client in the query (items, billing,
// ordering, clients), so that another client's id is not found exactly as an unknown one is.
// Package storefront builds the Area over the pages and sessions it made and mounts its routes
// beside its own; the pages a visitor uses to get in (sign-in, registration, password reset)
// are storefront's. How a page is written is storefront/page's.
package clientarea

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/storefront/session"
)

// Deps are what the client area shares with the rest of the storefront, which makes each once.
type Deps struct {
	Service  *service.Service
	Log      *zap.Logger
	Pages    *page.Pages
	Sessions *session.Manager
	// PublicURL is hostflow's public address (HOSTFLOW_PUBLIC_URL): the payment page sends the
	// customer back to it.
	PublicURL string
}

// Area serves the client area's pages.
type Area struct {
	svc       *service.Service
	log       *zap.Logger
	pages     *page.Pages
	sessions  *session.Manager
	publicURL string
}

// New returns the client area over d.
func New(d Deps) *Area {
	if d.Log == nil {
		d.Log = zap.NewNop()
	}
	return &Area{svc: d.Service, log: d.Log, pages: d.Pages, sessions: d.Sessions, publicURL: d.PublicURL}
}

// Routes adds the client area's pages to mux, the storefront's.
func (a *Area) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /client", a.home)
	mux.HandleFunc("GET /client/services", a.servicesPage)
	mux.HandleFunc("GET /client/services/{id}", a.servicePage)
	mux.HandleFunc("GET /client/domains", a.domainsPage)
	mux.HandleFunc("GET /client/domains/{id}", a.domainPage)
	mux.HandleFunc("POST /client/domains/{id}/nameservers", a.setNameservers)
	mux.HandleFunc("GET /client/invoices", a.invoicesPage)
	mux.HandleFunc("GET /client/invoices/{id}", a.invoicePage)
	mux.HandleFunc("GET /client/invoices/{id}/print", a.invoicePrint)
	mux.HandleFunc("GET /client/invoices/{id}/pdf", a.invoicePDF)
	mux.HandleFunc("POST /client/invoices/{id}/pay", a.payNow)
	mux.HandleFunc("GET /client/orders", a.ordersPage)
	mux.HandleFunc("GET /client/orders/{id}", a.orderPage)
	mux.HandleFunc("GET /client/emails", a.emailsPage)
	mux.HandleFunc("GET /client/emails/{id}", a.emailPage)
	mux.HandleFunc("GET /client/details", a.detailsPage)
	mux.HandleFunc("POST /client/details", a.saveDetails)
	mux.HandleFunc("POST /client/details/password", a.changePassword)
}

// Client-area sections: page.View's Nav of each, which the layout's client-area navigation
// marks as the current one.
const (
	navHome     = "home"
	navServices = "services"
	navDomains  = "domains"
	navInvoices = "invoices"
	navOrders   = "orders"
	navEmails   = "emails"
	navDetails  = "details"
)

// pager is a list page's place: its number and the links to the pages beside it ("" for none).
type pager struct {
	Number     int
	Prev, Next string
}

// listPage reads a list's page from ?page= (the first for anything else).
func listPage(r *http.Request) dbtx.Page {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		n = 1
	}
	return dbtx.Page{Number: min(n, dbtx.MaxPageNumber)}
}

// pagerFor is the pager of page p of the list at path; more says a page follows.
func pagerFor(path string, p dbtx.Page, more bool) pager {
	pg := pager{Number: p.Number}
	if p.Number > 1 {
		pg.Prev = path
		if p.Number > 2 {
			pg.Prev = fmt.Sprintf("%s?page=%d", path, p.Number-1)
		}
	}
	if more && p.Number < dbtx.MaxPageNumber {
		pg.Next = fmt.Sprintf("%s?page=%d", path, p.Number+1)
	}
	return pg
}

// show renders a client-area page for the signed-in client.
func (a *Area) show(w http.ResponseWriter, r *http.Request, u session.Who, status int, name, title, nav string, data any) {
	a.pages.Render(w, r, status, name, &page.View{Title: title, Nav: nav, Client: u.Client, Data: data})
}

// failed answers a core read that failed: a thing that is not the client's (NotFound, for
// another client's id exactly as for an unknown one) is a 404 saying so; anything else is the
// server's error. False means err was nil and nothing was answered.
func (a *Area) failed(w http.ResponseWriter, r *http.Request, err error) bool {
	if err == nil {
		return false
	}
	var f *fault.Error
	if errors.As(err, &f) && f.Kind == fault.NotFound {
		a.pages.Error(w, r, http.StatusNotFound, f.Message)
		return true
	}
	a.pages.ServerError(w, r, err)
	return true
}
