package storefront

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/storefront/session"
)

// What the client area's pages share: the signed-in client's page, its list pages, and the
// answer for an id that is not the client's. The nouns' pages are clientarea_*.go.

// Client-area sections: page.View's Nav of each, which the layout's client-area navigation
// marks as the current one.
const (
	navHome     = "home"
	navServices = "services"
	navDomains  = "domains"
	navInvoices = "invoices"
	navOrders   = "orders"
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
func (s *Store) show(w http.ResponseWriter, r *http.Request, u session.Who, status int, name, title, nav string, data any) {
	s.pages.Render(w, r, status, name, &page.View{Title: title, Nav: nav, Client: u.Client, Data: data})
}

// failed answers a core read that failed: a thing that is not the client's (NotFound, for
// another client's id exactly as for an unknown one) is a 404 saying so; anything else is the
// server's error. False means err was nil and nothing was answered.
func (s *Store) failed(w http.ResponseWriter, r *http.Request, err error) bool {
	if err == nil {
		return false
	}
	var f *fault.Error
	if errors.As(err, &f) && f.Kind == fault.NotFound {
		s.pages.Error(w, r, http.StatusNotFound, f.Message)
		return true
	}
	s.pages.ServerError(w, r, err)
	return true
}
