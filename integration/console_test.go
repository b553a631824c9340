package integration

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/order"
)

// chromiumPath is Debian's chromium, which `make test` installs when it is missing.
const chromiumPath = "/usr/bin/chromium"

// browser is one headless Chromium for a test, with what its pages reported: JavaScript
// exceptions and errors, and the status of every answer it received.
type browser struct {
	t    *testing.T
	ctx  context.Context
	mu   sync.Mutex
	errs []string
	// status is the last HTTP status per URL the browser loaded.
	status map[string]int64
}

func newBrowser(t *testing.T) *browser {
	path := os.Getenv("HOSTFLOW_CHROMIUM")
	if path == "" {
		path = chromiumPath
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no Chromium at %s (make test installs Debian's chromium; or set HOSTFLOW_CHROMIUM): %v", path, err)
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 1000)}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 10*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	b := &browser{t: t, ctx: ctx, status: map[string]int64{}}
	err := chromedp.Listen(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg := ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
			b.errs = append(b.errs, "exception: "+msg)
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				b.errs = append(b.errs, fmt.Sprintf("console.%s: %d arguments", ev.Type, len(ev.Args)))
			}
		case *cdplog.EventEntryAdded:
			// Answers with an error status the test expects are checked by their status instead;
			// anything else (a CSP violation, a script error, a missing asset) is a fault.
			if ev.Entry.Level == cdplog.EntryLevelError && ev.Entry.Source != cdplog.EntrySourceNetwork {
				b.errs = append(b.errs, fmt.Sprintf("%s: %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		case *network.EventResponseReceived:
			b.status[ev.Response.URL] = ev.Response.Status
			if ev.Type != network.ResourceTypeDocument && ev.Response.Status >= 400 {
				b.errs = append(b.errs, fmt.Sprintf("%s %s: %d", ev.Type, ev.Response.URL, ev.Response.Status))
			}
		}
	})
	require.NoError(t, err)
	return b
}

func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	require.NoError(b.t, chromedp.Do(b.ctx, actions...))
}

// submit clicks sel and waits for the page the click loads.
func (b *browser) submit(sel string) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.body.setAttribute("data-stale", "1"), true`))
	require.NoError(b.t, err)
	b.do(chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible),
		chromedp.WaitNotPresent(chromedp.CSS(`body[data-stale]`)),
		chromedp.WaitReady(chromedp.CSS(`body`)))
}

func (b *browser) open(url string) {
	b.t.Helper()
	b.do(chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS(`body`)))
}

// findTimeout bounds the wait for an element to read: a page without it fails the test at
// once, naming the selector, rather than at the test binary's timeout.
const findTimeout = 15 * time.Second

func (b *browser) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, findTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	require.NoError(b.t, err, sel)
	return strings.TrimSpace(s)
}

func (b *browser) value(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, findTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	require.NoError(b.t, err, sel)
	return s
}

func (b *browser) count(sel string) int {
	b.t.Helper()
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
	require.NoError(b.t, err, sel)
	return n
}

func (b *browser) location() string {
	b.t.Helper()
	u, err := chromedp.Run(b.ctx, chromedp.Location())
	require.NoError(b.t, err)
	return u
}

func (b *browser) noErrors() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	require.Empty(b.t, b.errs, "the pages reported errors")
}

func (b *browser) statusOf(url string) int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.status[url]
}

// consoleOrders places orders through the REST API for the console to work on.
func consoleOrders(s *stack, n int) (ids, numbers []int64, services []int64) {
	clientID, productID := s.catalogue("accept")
	for i := range n {
		placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, fmt.Sprintf("console%d.com", i)), 201)
		ids = append(ids, int64(placed["order_id"].(float64)))
		numbers = append(numbers, int64(placed["order_number"].(float64)))
		services = append(services, int64(placed["service_ids"].([]any)[0].(float64)))
	}
	return ids, numbers, services
}

func (s *stack) orderStatus(id int64) order.Status {
	s.t.Helper()
	d, err := s.svc.GetOrder(context.Background(), id)
	require.NoError(s.t, err)
	return d.Order.Status
}

func TestConsoleWalksOrders(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	ctx := context.Background()
	const email, password = "ops@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(ctx, email, "Ops", password)
	require.NoError(t, err)
	ids, numbers, services := consoleOrders(s, 5)
	servers, err := s.svc.ListServers(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, servers)
	base := s.api.URL + "/admin"
	b := newBrowser(t)

	// Signed out, the console sends the admin to sign in; a wrong password shows the form again.
	b.open(base + "/orders?status=Pending")
	require.Contains(t, b.location(), "/admin/login?next=")
	b.do(chromedp.SendKeys(chromedp.CSS(`#email`), email), chromedp.SendKeys(chromedp.CSS(`#password`), "wrong password"))
	b.submit(`form button[type=submit]`)
	require.Equal(t, access.ReasonSignInFailed, b.text(`#login-error`))
	require.Equal(t, 1, b.count(`#password`))
	b.do(chromedp.SetValue(chromedp.CSS(`#password`), password))
	b.submit(`form button[type=submit]`)
	// Back where the admin was going: List Pending Orders, every order in it.
	require.Equal(t, "List Pending Orders", b.text(`h1`))
	for _, id := range ids {
		require.Equal(t, 1, b.count(fmt.Sprintf(`#order-%d`, id)), "order %d listed", id)
	}

	// The dashboard counts them.
	b.open(base + "/")
	require.Equal(t, "5", b.text(`#count-pending`))

	// Search by order number.
	b.open(base + "/orders")
	b.do(chromedp.SendKeys(chromedp.CSS(`#q`), fmt.Sprint(numbers[0])))
	b.submit(`.search button`)
	require.Equal(t, 1, b.count(`table.orders tbody tr[id^=order-]`))
	require.Equal(t, 1, b.count(fmt.Sprintf(`#order-%d`, ids[0])))

	// Open it, and Accept Order with its options: a server, a username, Run Module Create.
	b.submit(fmt.Sprintf(`#order-%d th a`, ids[0]))
	require.Contains(t, b.text(`h1`), fmt.Sprintf("Order #%d", numbers[0]))
	b.submit(`a.button.primary`)
	require.Contains(t, b.text(`h1`), "Accept Order")
	svc := fmt.Sprintf("svc-%d-", services[0])
	b.do(chromedp.SetValue(chromedp.CSS("#"+svc+"server"), fmt.Sprint(servers[0].ID)),
		chromedp.SendKeys(chromedp.CSS("#"+svc+"username"), "adaweb"))
	b.submit(`form.accept button[type=submit]`)
	require.Equal(t, "Order accepted; it is Active.", b.text(`p.flash`))
	require.Contains(t, b.text(fmt.Sprintf(`#service-%d`, services[0])), "Active")
	require.Contains(t, b.text(fmt.Sprintf(`#service-%d`, services[0])), "adaweb")
	s.panel.mu.Lock()
	require.True(t, s.panel.accounts["adaweb"], "the account was created with the admin's username")
	s.panel.mu.Unlock()

	// Admin notes, on the audit trail with the admin's name.
	b.do(chromedp.SetValue(chromedp.CSS(`#notes`), "VIP client"))
	b.submit(`#notes-h ~ form button`)
	require.Equal(t, "Admin notes saved.", b.text(`p.flash`))
	require.Equal(t, "VIP client", b.value(`#notes`))
	d, err := s.svc.GetOrder(ctx, ids[0])
	require.NoError(t, err)
	actors := map[order.Actor]bool{}
	for _, e := range d.Events {
		actors[e.Actor] = true
	}
	require.True(t, actors[order.Admin(email)], "the console's actions are the admin's: %v", d.Events)

	// An order that is Active offers no Accept or Cancel.
	require.Zero(t, b.count(`a[href$="/accept"]`))
	require.Zero(t, b.count(`a[href$="/cancel"]`))

	// Cancel Order asks first, saying what happens, then cancels.
	b.open(fmt.Sprintf("%s/orders/%d", base, ids[1]))
	b.submit(`a[href$="/cancel"]`)
	require.Contains(t, b.text(`.warning`), "will be set to Cancelled")
	require.Equal(t, order.Pending, s.orderStatus(ids[1]), "nothing happens before the confirmation")
	b.submit(`form.confirm button[type=submit]`)
	require.Contains(t, b.text(`p.flash`), "the order is Cancelled")
	require.Equal(t, order.Cancelled, s.orderStatus(ids[1]))

	// Set as Fraud (confirmed), then Set Back to Pending.
	b.open(fmt.Sprintf("%s/orders/%d", base, ids[2]))
	b.submit(`a[href$="/fraud"]`)
	b.submit(`form.confirm button[type=submit]`)
	require.Contains(t, b.text(`p.flash`), "the order is Fraud")
	require.Equal(t, order.Fraud, s.orderStatus(ids[2]))
	b.submit(`form[action$="/set-pending"] button`)
	require.Contains(t, b.text(`p.flash`), "the order is Pending")
	require.Equal(t, order.Pending, s.orderStatus(ids[2]))

	// A refusal is a message on the page, not an error page: Delete a Pending order by hand.
	b.open(fmt.Sprintf("%s/orders/%d/delete", base, ids[2]))
	require.Equal(t, order.ReasonDeleteNotClosed, b.text(`p.flash`))

	// Delete Order, confirmed, on the cancelled order.
	b.open(fmt.Sprintf("%s/orders/%d", base, ids[1]))
	b.submit(`a[href$="/delete"]`)
	require.Contains(t, b.text(`.warning`), "removed for good")
	b.submit(`form.confirm button[type=submit]`)
	require.Equal(t, fmt.Sprintf("Order #%d deleted.", numbers[1]), b.text(`p.flash`), "named by its number")
	_, err = s.svc.GetOrder(ctx, ids[1])
	require.Error(t, err)

	// Bulk: tick two pending orders and Accept Order; a result per row.
	b.open(base + "/orders?status=Pending")
	b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#tick-%d`, ids[3]))), chromedp.Click(chromedp.CSS(fmt.Sprintf(`#tick-%d`, ids[4]))))
	b.submit(`button[name=action][value=accept]`)
	require.Equal(t, "accepted", b.text(fmt.Sprintf(`#result-%d td`, ids[3])))
	require.Equal(t, "accepted", b.text(fmt.Sprintf(`#result-%d td`, ids[4])))
	require.Equal(t, order.Active, s.orderStatus(ids[3]))
	require.Equal(t, order.Active, s.orderStatus(ids[4]))

	// Bulk Cancel asks first, and only for what it can cancel: an Active order among the
	// ticked is skipped with WHMCS's reason, before anything is asked or done.
	b.open(base + "/orders")
	b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#tick-%d`, ids[2]))), chromedp.Click(chromedp.CSS(fmt.Sprintf(`#tick-%d`, ids[3]))))
	b.submit(`button[name=action][value=cancel]`)
	require.Contains(t, b.text(`.warning`), "will be Cancelled")
	require.NotContains(t, b.text(`#bulk-confirm`), fmt.Sprint(numbers[3]))
	require.Contains(t, b.text(`#bulk-skipped`), fmt.Sprintf("Order #%d: %s", numbers[3], order.ReasonNotPending))
	b.submit(`button.danger`)
	require.Equal(t, "cancelled", b.text(fmt.Sprintf(`#result-%d td`, ids[2])))
	require.Equal(t, order.Active, s.orderStatus(ids[3]))

	// Bulk Delete of an Active order offers nothing to confirm: it says why, and deletes none.
	b.open(base + "/orders")
	b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#tick-%d`, ids[3]))))
	b.submit(`button[name=action][value=delete]`)
	require.Contains(t, b.text(`p.flash-error`), "None of the ticked orders can be deleted")
	require.Contains(t, b.text(`#bulk-skipped`), order.ReasonDeleteNotClosed)
	require.Zero(t, b.count(`button.danger`))
	require.Equal(t, order.Active, s.orderStatus(ids[3]))

	// A filtered list says so; a list with no orders offers no bulk buttons.
	b.open(base + "/orders?q=no-such-order-anywhere&payment_method=banktransfer")
	require.Contains(t, b.text(`#active-filters`), "Showing only orders matching “no-such-order-anywhere”, paid by Bank Transfer.")
	require.Zero(t, b.count(`.bulk-actions button`))

	// A forged post from another site changes nothing and gets 403.
	evil := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!DOCTYPE html><html><body><form method="post" action="%s/orders/%d/fraud">`+
			`<input type="hidden" name="confirm" value="yes"><button id="forge">Win a prize</button></form></body></html>`, base, ids[4])
	}))
	l, err := net.Listen("tcp", "localhost:0")
	require.NoError(t, err)
	evil.Listener = l
	evil.Start()
	t.Cleanup(evil.Close)
	b.open("http://localhost:" + strings.TrimPrefix(l.Addr().String(), "127.0.0.1:"))
	b.submit(`#forge`)
	require.Contains(t, b.text(`main`), "Cross-site request refused")
	require.Equal(t, int64(http.StatusForbidden), b.statusOf(fmt.Sprintf("%s/orders/%d/fraud", base, ids[4])))
	require.Equal(t, order.Active, s.orderStatus(ids[4]))

	// Sign out: the session is gone.
	b.open(base + "/")
	require.Equal(t, "Ops ("+email+")", b.text(`.signout span`))
	b.submit(`form.signout button`)
	require.Equal(t, "You are signed out.", b.text(`p.flash`))
	b.open(base + "/orders")
	require.Contains(t, b.location(), "/admin/login")

	b.noErrors()
}

// signIn signs the browser in as an admin and lands on the dashboard.
func (b *browser) signIn(base, email, password string) {
	b.t.Helper()
	b.open(base + "/login")
	b.do(chromedp.SendKeys(chromedp.CSS(`#email`), email), chromedp.SendKeys(chromedp.CSS(`#password`), password))
	b.submit(`form button[type=submit]`)
	require.Equal(b.t, "Dashboard", b.text(`h1`))
}

// live waits until the open page follows its events stream, and marks the page: a reload
// would lose the mark.
func (b *browser) live() {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.documentElement.dataset.live === "open"`,
		chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(b.t, err, "the page never opened its events stream")
	b.noReload()
}

// changes waits, at most a few seconds, for the open page to show what predicate looks for,
// without a reload.
func (b *browser) changes(predicate, what string) {
	b.t.Helper()
	start := time.Now()
	_, err := chromedp.Run(b.ctx, chromedp.Poll[bool](predicate, chromedp.WithPollingTimeout(5*time.Second)))
	require.NoError(b.t, err, "the open page never showed %s", what)
	reloaded, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.notReloaded !== true`))
	require.NoError(b.t, err)
	require.False(b.t, reloaded, "the page was reloaded to show %s", what)
	b.t.Logf("%s shown %s after the change", what, time.Since(start).Round(time.Millisecond))
}

func TestConsoleLiveUpdatesAndClients(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	const email, password = "live@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(context.Background(), email, "Live", password)
	require.NoError(t, err)
	clientID, productID := s.catalogue("accept")
	var ids, invoices []int64
	for i := range 2 {
		placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, fmt.Sprintf("live%d.com", i)), 201)
		ids = append(ids, int64(placed["order_id"].(float64)))
		invoices = append(invoices, int64(placed["invoice_id"].(float64)))
	}
	base := s.api.URL + "/admin"
	b := newBrowser(t)
	b.signIn(base, email, password)

	// An open order page shows its invoice paid through the REST API, without a reload.
	b.open(fmt.Sprintf("%s/orders/%d", base, ids[0]))
	require.Equal(t, "Unpaid", b.text(`#payment-status`))
	b.live()
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", invoices[0]),
		map[string]any{"transaction_id": "live-page", "gateway": "banktransfer"}, 201)
	b.changes(`document.querySelector("#payment-status").textContent.trim() === "Paid"`, "the payment on the order page")
	require.Contains(t, b.text(`#part-invoice`), "live-page", "the transaction is listed too")

	// The orders list shows another order's payment the same way.
	b.open(base + "/orders")
	b.live()
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", invoices[1]),
		map[string]any{"transaction_id": "live-list", "gateway": "banktransfer"}, 201)
	b.changes(fmt.Sprintf(`document.querySelector("#order-%d .status-paid") !== null`, ids[1]), "the payment on the orders list")

	// Clients: search by the start of the email, open the client, their orders and Add New Order.
	c, err := s.svc.Client(context.Background(), int64(clientID), "")
	require.NoError(t, err)
	b.open(base + "/clients")
	require.Equal(t, "Clients", b.text(`h1`))
	b.do(chromedp.SendKeys(chromedp.CSS(`#q`), c.Email[:len(c.Email)-4]))
	b.submit(`.search button`)
	require.Equal(t, 1, b.count(`table.clients tbody tr[id^=client-]`))
	require.Contains(t, b.text(fmt.Sprintf(`#client-%d`, c.ID)), c.Email)
	b.submit(fmt.Sprintf(`#client-%d th a`, c.ID))
	require.Contains(t, b.text(`h1`), "Ada Lovelace")
	for _, id := range ids {
		require.Equal(t, 1, b.count(fmt.Sprintf(`#order-%d`, id)), "order %d on the client's page", id)
	}
	require.Equal(t, 1, b.count(fmt.Sprintf(`a[href="/admin/orders/new?client_id=%d"]`, c.ID)), "Add New Order for this client")
	b.open(base + "/clients?q=no-such-client")
	require.Equal(t, "No clients match.", b.text(`table.clients tbody td`))

	// The order page links to its client.
	b.open(fmt.Sprintf("%s/orders/%d", base, ids[0]))
	b.submit(fmt.Sprintf(`a[href="/admin/clients/%d"]`, c.ID))
	require.Contains(t, b.text(`h1`), "Ada Lovelace")

	b.noErrors()
}
