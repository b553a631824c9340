package console

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
)

func TestEventsNeedASession(t *testing.T) {
	rec := serve(mounted(), httptest.NewRequest("GET", "/admin/events?order=7", nil))
	require.Equal(t, http.StatusSeeOther, rec.Code)
}

func TestLivePagesLoadLiveJS(t *testing.T) {
	d := sampleDetail()
	admin := &access.Admin{Email: "ops@example.com", Name: "Ops"}
	body := renderPage(t, "order", &page.View{Title: "Order", Admin: admin, Live: liveURL(7), Data: orderView{OrderDetail: d, Buttons: buttons(d)}})
	require.Contains(t, body, `<main id="main" data-events="/admin/events?order=7">`)
	require.Contains(t, body, `<script src="/admin/static/live.js" defer></script>`)
	for _, id := range []string{"order-title", "part-actions", "part-summary", "part-items", "part-invoice", "part-events"} {
		require.Contains(t, body, `id="`+id+`" data-live`)
	}
	require.Contains(t, body, `href="/admin/clients/3"`, "the order's client links to their page")
	rec := serve(mounted(), httptest.NewRequest("GET", "/admin/static/live.js", nil))
	require.Equal(t, 200, rec.Code)
	require.Contains(t, rec.Body.String(), "EventSource")
}

func TestClientTemplates(t *testing.T) {
	admin := &access.Admin{Email: "ops@example.com", Name: "Ops"}
	ada := clients.Client{ID: 3, FirstName: "Ada", LastName: "Lovelace", CompanyName: "Engines <Ltd>", Email: "ada@example.com",
		Status: "Active", Currency: "USD", CreatedAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}
	body := renderPage(t, "clients", &page.View{Title: "Clients", Nav: "clients", Admin: admin, Data: clientListView{Query: "ada",
		Statuses: clientStatuses, Clients: []clients.Client{ada}, More: true, From: 1, To: 1, Next: "?page=2&q=ada"}})
	for _, want := range []string{`name="q" type="search" value="ada"`, `href="/admin/clients/3">Ada Lovelace</a>`, "Engines &lt;Ltd&gt;",
		"ada@example.com", "Clients 1 to 1 of more matching “ada”", `href="/admin/clients?page=2&amp;q=ada" rel="next"`,
		`href="/admin/clients" aria-current="page"`} {
		require.Contains(t, body, want)
	}
	row := sampleDetail().Order.OrderRow
	row.Status = order.Active
	body = renderPage(t, "client", &page.View{Title: "Client Ada Lovelace", Nav: "clients", Admin: admin, Live: liveURL(0),
		Data: clientView{Client: ada, Orders: []ordering.OrderRow{row}}})
	for _, want := range []string{"Ada Lovelace (Engines &lt;Ltd&gt;)", `href="/admin/orders/new?client_id=3">Add New Order</a>`,
		`href="/admin/orders/7">1234567890</a>`, "26.97 USD", `data-events="/admin/events"`} {
		require.Contains(t, body, want)
	}
	require.True(t, strings.Count(body, `<tr id="order-`) == 1)
}
