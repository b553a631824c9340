package console

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
)

// fakeChanges stands in for ordering.OrderChanges: the test sends ids, and learns when the
// stream's subscription ends.
type fakeChanges struct {
	ids   chan int64
	ended chan struct{}
}

func (f *fakeChanges) subscribe(ctx context.Context) <-chan int64 {
	out := make(chan int64)
	go func() {
		defer close(f.ended)
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case id := <-f.ids:
				select {
				case out <- id:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

// send hands the stream a changed order's id.
func (f *fakeChanges) send(t *testing.T, id int64) {
	t.Helper()
	select {
	case f.ids <- id:
	case <-f.ended:
		t.Fatal("the stream ended")
	case <-time.After(5 * time.Second):
		t.Fatal("the stream takes no changes")
	}
}

// streamLines opens the events stream at path on a real server and returns its lines.
// Its server has the starter's kind of timeouts, only much shorter.
func streamLines(t *testing.T, path string) (*fakeChanges, <-chan string, context.CancelFunc) {
	t.Helper()
	f := &fakeChanges{ids: make(chan int64), ended: make(chan struct{})}
	c := &Console{log: zap.NewNop(), base: Base, changes: f.subscribe}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(c.events))
	srv.Config.ReadTimeout, srv.Config.WriteTimeout = 300*time.Millisecond, 300*time.Millisecond
	srv.Start()
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+path, nil)
	require.NoError(t, err)
	res, err := srv.Client().Do(req)
	require.NoError(t, err)
	require.Equal(t, 200, res.StatusCode)
	require.Equal(t, "text/event-stream", res.Header.Get("Content-Type"))
	lines := make(chan string, 100)
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	return f, lines, cancel
}

func nextLine(t *testing.T, lines <-chan string) string {
	t.Helper()
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the stream ended")
			}
			if l != "" {
				return l
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no event")
		}
	}
}

func TestEventsStreamOneOrdersChanges(t *testing.T) {
	f, lines, cancel := streamLines(t, "/admin/events?order=7")
	require.Equal(t, "retry: 2000", nextLine(t, lines))
	require.Equal(t, ": live", nextLine(t, lines))
	f.send(t, 8) // another order: not this page's
	f.send(t, 7)
	require.Equal(t, "event: order", nextLine(t, lines))
	require.Equal(t, "data: 7", nextLine(t, lines))
	// The client going away ends the subscription.
	cancel()
	select {
	case <-f.ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the subscription outlived its client")
	}
}

func TestEventsStreamEveryOrderAndHeartbeat(t *testing.T) {
	defer func(h time.Duration) { heartbeat = h }(heartbeat)
	heartbeat = 50 * time.Millisecond
	f, lines, cancel := streamLines(t, "/admin/events")
	defer cancel()
	nextLine(t, lines)
	nextLine(t, lines)
	require.Equal(t, ": heartbeat", nextLine(t, lines))
	// Well past the server's read and write timeouts, the stream still carries events.
	time.Sleep(time.Second)
	f.send(t, 8)
	for l := nextLine(t, lines); l != "event: order"; l = nextLine(t, lines) {
		require.Equal(t, ": heartbeat", l)
	}
	require.Equal(t, "data: 8", nextLine(t, lines))
}

func TestEventsEndWhenTheServerShutsDown(t *testing.T) {
	f := &fakeChanges{ids: make(chan int64), ended: make(chan struct{})}
	c := &Console{log: zap.NewNop(), base: Base, changes: f.subscribe}
	srv := httptest.NewServer(http.HandlerFunc(c.events))
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL + "/admin/events")
	require.NoError(t, err)
	defer res.Body.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, srv.Config.Shutdown(ctx), "the open stream did not hold the shutdown up")
	<-f.ended
}

func TestEventsNeedASessionAndAnOrderID(t *testing.T) {
	rec := serve(mounted(), httptest.NewRequest("GET", "/admin/events?order=7", nil))
	require.Equal(t, http.StatusSeeOther, rec.Code)
	c := &Console{log: zap.NewNop(), base: Base}
	rec = serve(http.HandlerFunc(c.events), httptest.NewRequest("GET", "/admin/events?order=x", nil))
	require.Equal(t, http.StatusBadRequest, rec.Code)
}

func TestLivePagesLoadLiveJS(t *testing.T) {
	d := sampleDetail()
	admin := &access.Admin{Email: "ops@example.com", Name: "Ops"}
	body := renderPage(t, "order", &view{Title: "Order", Admin: admin, Live: liveURL(7), Data: orderView{OrderDetail: d, Buttons: buttons(d)}})
	require.Contains(t, body, `<main id="main" data-events="/admin/events?order=7">`)
	require.Contains(t, body, `<script src="/admin/static/live.js" defer></script>`)
	for _, id := range []string{"order-title", "part-actions", "part-summary", "part-items", "part-invoice", "part-events"} {
		require.Contains(t, body, `id="`+id+`" data-live`)
	}
	require.Contains(t, body, `href="/admin/clients/3"`, "the order's client links to their page")
	// A page that does not change under the admin loads no stream.
	body = renderPage(t, "login", &view{Title: "Sign in", Data: loginView{}})
	require.NotContains(t, body, "live.js")
	require.NotContains(t, body, "data-events")
	rec := serve(mounted(), httptest.NewRequest("GET", "/admin/static/live.js", nil))
	require.Equal(t, 200, rec.Code)
	require.Contains(t, rec.Body.String(), "EventSource")
}

func TestClientTemplates(t *testing.T) {
	admin := &access.Admin{Email: "ops@example.com", Name: "Ops"}
	ada := clients.Client{ID: 3, FirstName: "Ada", LastName: "Lovelace", CompanyName: "Engines <Ltd>", Email: "ada@example.com",
		Status: "Active", Currency: "USD", CreatedAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}
	body := renderPage(t, "clients", &view{Title: "Clients", Nav: "clients", Admin: admin, Data: clientListView{Query: "ada",
		Statuses: clientStatuses, Clients: []clients.Client{ada}, Total: 51, From: 1, To: 1, Next: "?page=2&q=ada"}})
	for _, want := range []string{`name="q" type="search" value="ada"`, `href="/admin/clients/3">Ada Lovelace</a>`, "Engines &lt;Ltd&gt;",
		"ada@example.com", "Clients 1 to 1 of 51", `href="/admin/clients?page=2&amp;q=ada" rel="next"`,
		`href="/admin/clients" aria-current="page"`} {
		require.Contains(t, body, want)
	}
	row := sampleDetail().Order.OrderRow
	row.Status = order.Active
	body = renderPage(t, "client", &view{Title: "Client Ada Lovelace", Nav: "clients", Admin: admin, Live: liveURL(0),
		Data: clientView{Client: ada, Orders: []ordering.OrderRow{row}}})
	for _, want := range []string{"Ada Lovelace (Engines &lt;Ltd&gt;)", `href="/admin/orders/new?client_id=3">Add New Order</a>`,
		`href="/admin/orders/7">1234567890</a>`, "26.97 USD", `data-events="/admin/events"`} {
		require.Contains(t, body, want)
	}
	require.True(t, strings.Count(body, `<tr id="order-`) == 1)
}
