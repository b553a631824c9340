package console

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/items"
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
	Total   int64 // the whole list's; a search is not counted
	More    bool  // a search found more than this page
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
	// The whole list's total is kept counted; a search's is not (a common name matches tens of
	// thousands of clients): its page reads one client more to know whether Next has any.
	var list []clients.Client
	var err error
	if v.Query == "" {
		list, v.Total, err = c.svc.SearchClients(ctx, "", v.Status, off, clientPageSize)
	} else if list, err = c.svc.FindClients(ctx, v.Query, v.Status, off, clientPageSize+1); len(list) > clientPageSize {
		list, v.More = list[:clientPageSize], true
	}
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	v.Clients, v.From, v.To = list, off+1, off+int32(len(list))
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
	if v.More || int64(v.To) < v.Total {
		v.Next = link(n + 1)
	}
	c.pages.Render(w, r, http.StatusOK, "clients", &page.View{Title: "Clients", Nav: "clients", Data: v})
}

// clientTabs are the client page's tabs, WHMCS's: the path segment after the client's id
// ("" for Summary) and the label.
var clientTabs = []struct{ Path, Label string }{
	{"", "Summary"}, {"services", "Products/Services"}, {"domains", "Domains"}, {"invoices", "Invoices"},
	{"orders", "Orders"}, {"emails", "Emails"}, {"notes", "Notes"}, {"log", "Log"},
}

// clientTabRows is how many rows a tab lists, newest first.
const clientTabRows = 100

type clientView struct {
	Client clients.Client
	// Tab is the tab shown (a clientTabs Path); Tabs the bar.
	Tab  string
	Tabs []struct{ Path, Label string }
	// Counts are the Summary's: Active services and domains.
	Counts   items.ItemCounts
	Orders   []ordering.OrderRow
	Services []items.ClientService
	Domains  []items.ClientDomain
	Invoices []billing.ClientInvoice
	// More is true when the tab has more rows than it shows.
	More bool
	// Emails are the emails sent to the client (emails.go).
	Emails emailLogView
	// Credit is the Summary's credit balances and Credit Log.
	Credit billing.ClientCredit
	// Notes are the Notes tab's, Log the Log tab's (clientnotes.go); Admins names the admins by
	// email for both.
	Notes  []clients.Note
	Log    clientLogView
	Admins map[string]string
}

// clientPage serves /admin/clients/{id} (Summary: the client's details, counts, notes, credit
// and newest orders) and its tabs /admin/clients/{id}/services, domains, invoices, orders, emails,
// notes and log.
func (c *Console) clientPage(w http.ResponseWriter, r *http.Request) {
	tab := chi.URLParam(r, "tab")
	if !slices.ContainsFunc(clientTabs, func(t struct{ Path, Label string }) bool { return t.Path == tab }) {
		c.pages.Error(w, r, http.StatusNotFound, "No such page: "+r.URL.Path)
		return
	}
	cl, ok := c.loadClient(w, r)
	if !ok {
		return
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	id := cl.ID
	v := clientView{Client: cl, Tab: tab, Tabs: clientTabs}
	var err error
	page1 := dbtx.Page{Number: 1, Size: clientTabRows}
	switch tab {
	case "":
		if v.Counts, err = c.svc.ClientItemCounts(ctx, id); err == nil {
			v.Orders, err = c.svc.ListOrders(ctx, ordering.OrderFilter{ClientID: id, Limit: clientOrders + 1})
		}
		if err == nil {
			v.Credit, err = c.svc.ClientCredit(ctx, id)
		}
		if len(v.Orders) > clientOrders {
			v.Orders, v.More = v.Orders[:clientOrders], true
		}
	case "orders":
		v.Orders, err = c.svc.ListOrders(ctx, ordering.OrderFilter{ClientID: id, Limit: clientTabRows + 1})
		if len(v.Orders) > clientTabRows {
			v.Orders, v.More = v.Orders[:clientTabRows], true
		}
	case "services":
		v.Services, v.More, err = c.svc.ClientServices(ctx, id, "", page1)
	case "domains":
		v.Domains, v.More, err = c.svc.ClientDomains(ctx, id, "", page1)
	case "invoices":
		v.Invoices, v.More, err = c.svc.ClientInvoices(ctx, id, "", page1)
	case "emails":
		v.Emails, err = c.clientEmails(ctx, id)
	case "notes":
		v.Notes, err = c.svc.ClientNotes(ctx, id)
	case "log":
		v.Log, err = c.clientLog(r, id)
	}
	if err == nil && (tab == "notes" || tab == "log") {
		v.Admins, err = c.svc.AdminNames(ctx)
	}
	if err != nil {
		c.pages.ServerError(w, r, err)
		return
	}
	title := strings.TrimSpace(cl.FirstName + " " + cl.LastName)
	c.pages.Render(w, r, http.StatusOK, "client", &page.View{Title: "Client " + title, Nav: "clients", Live: liveURL(0), Data: v})
}

// loadClient reads the client named in the path, or answers 404.
func (c *Console) loadClient(w http.ResponseWriter, r *http.Request) (clients.Client, bool) {
	id, ok := c.pathID(w, r, "client")
	if !ok {
		return clients.Client{}, false
	}
	ctx, cancel := pageContext(r)
	defer cancel()
	cl, err := c.svc.Client(ctx, id, "")
	if err != nil {
		c.notFoundOr(w, r, err)
		return cl, false
	}
	return cl, true
}
