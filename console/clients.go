package console

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/ordering"
)

// clientPageSize is how many clients a page of the clients list shows.
const clientPageSize = 50

// clientOrders is how many of a client's orders their page shows, newest first; the rest are
// in the orders list filtered by the client.
const clientOrders = 50

type clientListView struct {
	Query   string
	Status  string
	Clients []clients.Client
	Total   int64
	From    int32 // the first and last rows' numbers, from 1
	To      int32
	// Statuses are the status filter's choices.
	Statuses []string
	Prev     string
	Next     string // the next page's query, "" on the last page
}

// clientStatuses are WHMCS's client statuses, the list's filter.
var clientStatuses = []string{"Active", "Inactive", "Closed"}

// clientList serves /admin/clients: WHMCS's View/Search Clients. The search finds clients
// whose email, first, last or full name or company starts with q, as WHMCS's GetClients does.
func (c *Console) clientList(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := pageContext(r)
	defer cancel()
	q := r.URL.Query()
	v := clientListView{Query: strings.TrimSpace(q.Get("q")), Status: q.Get("status"), Statuses: clientStatuses}
	if v.Status != "" && !slices.Contains(clientStatuses, v.Status) {
		v.Status = ""
	}
	n, _ := strconv.Atoi(q.Get("page"))
	n = max(n, 1)
	off := int32(min(n-1, 10000) * clientPageSize)
	clients, total, err := c.svc.SearchClients(ctx, v.Query, v.Status, off, clientPageSize)
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	v.Clients, v.Total, v.From, v.To = clients, total, off+1, off+int32(len(clients))
	link := func(p int) string {
		u := url.Values{}
		if v.Query != "" {
			u.Set("q", v.Query)
		}
		if v.Status != "" {
			u.Set("status", v.Status)
		}
		if p > 1 {
			u.Set("page", strconv.Itoa(p))
		}
		if len(u) == 0 {
			return ""
		}
		return "?" + u.Encode()
	}
	if n > 1 {
		v.Prev = link(n - 1)
		if v.Prev == "" {
			v.Prev = "?"
		}
	}
	if int64(off)+int64(len(clients)) < total {
		v.Next = link(n + 1)
	}
	c.pages.Render(w, r, http.StatusOK, "clients", &page.View{Title: "Clients", Nav: "clients", Data: v})
}

type clientView struct {
	Client clients.Client
	Orders []ordering.OrderRow
	// More is true when the client has more orders than the page shows.
	More bool
	// Emails are the emails sent to the client (emails.go).
	Emails emailLogView
}

// clientPage serves /admin/clients/{id}: the client's details and their orders, newest first.
func (c *Console) clientPage(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		c.pages.Error(w, r, http.StatusNotFound, "No such client: "+chi.URLParam(r, "id"))
		return
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	cl, err := c.svc.Client(ctx, id, "")
	if err != nil {
		if msg := page.Refusal(err); msg != "" {
			c.pages.Error(w, r, http.StatusNotFound, msg)
		} else {
			c.pages.ServerError(w, r, err)
		}
		return
	}
	orders, err := c.svc.ListOrders(ctx, ordering.OrderFilter{ClientID: id, Limit: clientOrders + 1})
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	v := clientView{Client: cl, Orders: orders}
	if len(orders) > clientOrders {
		v.Orders, v.More = orders[:clientOrders], true
	}
	if v.Emails, err = c.clientEmails(ctx, id); err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	title := strings.TrimSpace(cl.FirstName + " " + cl.LastName)
	c.pages.Render(w, r, http.StatusOK, "client", &page.View{Title: "Client " + title, Nav: "clients", Live: liveURL(0), Data: v})
}
