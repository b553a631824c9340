package console

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/fraud"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// mounted is the console as the starter serves it, without a service: these tests reach only
// what answers before the service is asked.
func mounted() http.Handler {
	r := chi.NewRouter()
	r.Mount(Base, New(nil, zap.NewNop(), Options{}))
	return r
}

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func requireSecurityHeaders(t *testing.T, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	require.NotEmpty(t, csp)
	directives := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		directives[name] = value
	}
	require.Equal(t, "'none'", directives["default-src"])
	require.Equal(t, "'self'", directives["script-src"], "scripts from the console only: no inline script, no eval")
	require.Equal(t, "'self'", directives["style-src"], "no inline style")
	require.Equal(t, "'none'", directives["frame-ancestors"])
	require.Equal(t, "'self'", directives["form-action"])
	require.NotContains(t, csp, "unsafe-inline")
	require.NotContains(t, csp, "unsafe-eval")
	require.Equal(t, "same-origin", h.Get("Referrer-Policy"))
	require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"))
	require.Equal(t, "DENY", h.Get("X-Frame-Options"))
}

func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	h := mounted()
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/admin/login", 200},
		{"GET", "/admin/static/console.css", 200},
		{"GET", "/admin/static/console.js", 200},
		{"GET", "/admin/static/", 404},
		{"GET", "/admin/", 303},
		{"GET", "/admin/orders?status=Pending", 303},
		{"GET", "/admin/no-such-page", 404},
		{"PUT", "/admin/login", 405},
	} {
		rec := serve(h, httptest.NewRequest(c.method, c.path, nil))
		require.Equal(t, c.status, rec.Code, "%s %s", c.method, c.path)
		requireSecurityHeaders(t, rec.Header())
	}
}

func TestSignedOutGoesToSignIn(t *testing.T) {
	rec := serve(mounted(), httptest.NewRequest("GET", "/admin/orders/7", nil))
	require.Equal(t, http.StatusSeeOther, rec.Code)
	require.Equal(t, "/admin/login?next=%2Fadmin%2Forders%2F7", rec.Header().Get("Location"))
	rec = serve(mounted(), httptest.NewRequest("POST", "/admin/orders/7/cancel", strings.NewReader("confirm=yes")))
	require.Equal(t, http.StatusSeeOther, rec.Code)
	require.Equal(t, "/admin/login", rec.Header().Get("Location"))
}

func TestCrossSitePostRefused(t *testing.T) {
	for _, hdr := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "same-site"},
		{"Origin": "https://evil.example"},
	} {
		for _, path := range []string{"/admin/login", "/admin/orders/7/cancel", "/admin/orders/bulk", "/admin/logout"} {
			req := httptest.NewRequest("POST", path, strings.NewReader("confirm=yes&email=a@b.c&password=x"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range hdr {
				req.Header.Set(k, v)
			}
			rec := serve(mounted(), req)
			require.Equal(t, http.StatusForbidden, rec.Code, "%s %v", path, hdr)
			require.Contains(t, rec.Body.String(), "Cross-site request refused")
			requireSecurityHeaders(t, rec.Header())
		}
	}
	// A form posted from the console itself passes the check (and then wants a session).
	req := httptest.NewRequest("POST", "/admin/orders/7/cancel", nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	require.Equal(t, http.StatusSeeOther, serve(mounted(), req).Code)
}

func sampleDetail() ordering.OrderDetail {
	score, ip, server := 12.5, 0.3, int64(4)
	placed := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	row := ordering.OrderRow{ID: 7, Number: 1234567890, ClientID: 3, FirstName: "Ada", LastName: "Lovelace", CompanyName: "Engines <Ltd>",
		Status: order.Pending, WaitingFor: order.WaitingProvisioningFailed, PaymentMethod: "banktransfer", Currency: "USD", Amount: 2697,
		Date: placed, InvoiceID: 9, PaymentStatus: order.InvoicePaid}
	return ordering.OrderDetail{
		Order: ordering.Order{OrderRow: row, WorkflowID: "order-abc-7", ClientIP: "203.0.113.7", PromoCode: "SPRING", Notes: "call first",
			FraudModule: "maxmind", FraudScore: &score, FraudOutput: []byte(`{"risk_score":12.5}`)},
		Email: "ada@example.com",
		Services: []ordering.ServiceItem{{ID: 11, OrderID: 7, Product: "Basic", Domain: "example.com", BillingCycle: "monthly", Amount: 999,
			SetupFee: 500, Status: order.Pending, ServerID: &server, Username: "example", LastError: "WHM said: no", Module: "cpanel"}},
		Domains: []ordering.DomainItem{{ID: 21, OrderID: 7, Domain: "example.com", Type: order.DomainRegister, Period: 1, Registrar: "namecheap",
			Amount: 1200, Status: order.Pending, Nameservers: []string{"ns1.example.net", "ns2.example.net"}}},
		Invoice: &billing.InvoiceDetail{Invoice: billing.Invoice{ID: 9, Status: order.InvoicePaid, Currency: "USD", Total: 2697, Paid: 2697},
			Items:        []billing.InvoiceLine{{Description: "Basic - example.com", Type: "Hosting", Amount: 999}},
			Transactions: []billing.Transaction{{Type: "Payment", Gateway: "stripe", TransactionID: "ch_1", Amount: 2697, Currency: "USD", Date: placed}}},
		Events:    []ordering.Event{{Date: placed, Actor: order.Admin("ops@example.com"), Action: "placed", To: "Pending"}},
		Fraud:     &fraud.Report{RiskScore: score, IPRisk: &ip, Disposition: "accept", Warnings: []string{"EMAIL_NEW"}, Response: []byte(`{}`)},
		Passwords: map[int64]string{11: "s3cret<pw>"},
		Unopened:  map[int64]string{},
	}
}

func renderPage(t *testing.T, name string, v *page.View) string {
	t.Helper()
	p := page.New(page.Config{Base: Base, Log: zap.NewNop()})
	rec := httptest.NewRecorder()
	p.Render(rec, httptest.NewRequest("GET", "/admin/x", nil), 200, name, v)
	require.Equal(t, 200, rec.Code, rec.Body.String())
	return rec.Body.String()
}

func TestOrderPageTemplate(t *testing.T) {
	d := sampleDetail()
	v := orderView{OrderDetail: d, Buttons: buttons(d), Servers: map[int64]catalog.Server{4: {ID: 4, Name: "web1", Module: "cpanel", Active: true}},
		TemporalUI: "http://127.0.0.1:8233/namespaces/default/workflows/order-abc-7", Admins: map[string]string{"ops@example.com": "Ops"},
		Methods: []string{"banktransfer", "stripe"}}
	admin := &access.Admin{Email: "ops@example.com", Name: "Ops"}
	body := renderPage(t, "order", &page.View{Title: "Order #1234567890", Admin: admin, Data: v})
	for _, want := range []string{"Order #1234567890", "Engines &lt;Ltd&gt;", "203.0.113.7", "SPRING", "Basic", "<td>Monthly</td>", "web1",
		"<details><summary>Show password</summary><code>s3cret&lt;pw&gt;</code></details>", "WHM said: no", "ns1.example.net, ns2.example.net",
		"Fraud Check Results", "<dt>IP risk</dt><dd>0.30</dd>", "EMAIL_NEW", "call first", "provisioning-failed", "ch_1", "26.97",
		`href="http://127.0.0.1:8233/namespaces/default/workflows/order-abc-7"`,
		"<td>Ops</td><td>Order placed</td>", "<dd>Bank Transfer</dd>", "<td>Registration</td>", "<td>Credit Card</td>",
		`href="/admin/orders/7/cancel"`, `href="/admin/orders/7/fraud"`,
		`action="/admin/orders/7/retry"`, `action="/admin/orders/7/skip"`, `action="/admin/orders/7/fraud-check-run"`,
		`<label for="notes">`} {
		require.Contains(t, body, want)
	}
	require.NotContains(t, body, "Cancels if unpaid", "asked only for an order waiting for payment")
	require.NotContains(t, body, `href="/admin/orders/7/accept"`, "a failed step is retried or skipped, not accepted again")
	at := time.Now().Add(73 * time.Hour).UTC()
	for _, tc := range []struct {
		unpaid unpaidCancel
		want   string
	}{
		{unpaidCancel{Asked: true, Known: true, At: &at}, `<time datetime="` + at.Format(time.RFC3339) + `">` + at.Format("2006-01-02 15:04 UTC") + `</time> (in 3 days)`},
		{unpaidCancel{Asked: true, Known: true}, "never: automatic cancellation of unpaid orders is off"},
		{unpaidCancel{Asked: true}, "unknown: the order's workflow did not answer"},
	} {
		v.Unpaid = tc.unpaid
		require.Contains(t, renderPage(t, "order", &page.View{Title: "Order", Admin: admin, Data: v}), tc.want)
	}
	v.Unpaid = unpaidCancel{}
	// The state decides the buttons: a Pending order offers no Set Back to Pending, nor Delete.
	require.NotContains(t, body, "Set Back to Pending")
	require.NotContains(t, body, "Delete Order")

	d.Order.Status, d.Order.WaitingFor = order.Cancelled, ""
	v = orderView{OrderDetail: d, Buttons: buttons(d), Servers: v.Servers}
	body = renderPage(t, "order", &page.View{Title: "Order", Admin: admin, Data: v})
	require.Contains(t, body, "Set Back to Pending")
	require.Contains(t, body, `href="/admin/orders/7/delete"`)
	require.NotContains(t, body, "Accept Order")
	require.NotContains(t, body, `/retry"`)
}

func TestOtherTemplates(t *testing.T) {
	d := sampleDetail()
	admin := &access.Admin{Email: "ops@example.com", Name: "Ops"}
	ov := orderView{OrderDetail: d, Servers: map[int64]catalog.Server{4: {ID: 4, Name: "web1", Module: "cpanel", Active: true}}}
	spec, _ := order.Lookup(order.ActionAccept)
	body := renderPage(t, "accept", &page.View{Title: "Accept", Admin: admin, Data: acceptView{orderView: ov, Spec: spec, Registrars: []string{"namecheap", "none"}}})
	for _, want := range []string{`name="services" value="11"`, `<label for="svc-11-server">Server</label>`, `<option value="4" selected>web1`,
		`<label for="svc-11-create">Run Module Create</label>`, `<label for="svc-11-welcome">Send Welcome Email</label>`,
		`name="domains" value="21"`, `<label for="dom-21-send">Send to Registrar</label>`, `<option selected>namecheap</option>`} {
		require.Contains(t, body, want)
	}
	require.Contains(t, body, `id="svc-11-create" name="svc-11-create" value="1" checked>`, "a cPanel product is set up by default")
	// A product never set up automatically is not, unless the admin ticks the box.
	ov.Services = append([]ordering.ServiceItem(nil), ov.Services...)
	ov.Services[0].AutoSetup = order.SetupNever
	body = renderPage(t, "accept", &page.View{Title: "Accept", Admin: admin, Data: acceptView{orderView: ov, Spec: spec}})
	require.Contains(t, body, `id="svc-11-create" name="svc-11-create" value="1">`)
	// An item set up already takes no options: Accept Order leaves it as it is.
	ov.Services[0].Status = order.Active
	body = renderPage(t, "accept", &page.View{Title: "Accept", Admin: admin, Data: acceptView{orderView: ov, Spec: spec}})
	require.Contains(t, body, "already: Accept Order leaves it as it is")
	require.NotContains(t, body, `name="services" value="11"`)
	require.Contains(t, body, `id="dom-21-send" name="dom-21-send" value="1" checked>`, "a Pending domain with a registrar is sent")
	spec, _ = order.Lookup(order.ActionCancel)
	d.Services[0].Status = order.Active
	body = renderPage(t, "confirm", &page.View{Title: "Cancel", Admin: admin, Data: confirmView{orderView: ov, Spec: spec, Accounts: d.Services}})
	require.Contains(t, body, "will be terminated on their servers")
	require.Contains(t, body, `name="confirm" value="yes"`)
	spec, _ = order.Lookup(order.ActionDelete)
	body = renderPage(t, "confirm", &page.View{Title: "Delete", Admin: admin, Data: confirmView{orderView: ov, Spec: spec}})
	require.Contains(t, body, "removed for good")
	require.Contains(t, body, "invoice #9")

	row := d.Order.OrderRow
	body = renderPage(t, "dashboard", &page.View{Title: "Dashboard", Admin: admin, Data: dashboardView{Total: 3,
		Statuses: []statusCount{{order.Pending, 2}, {order.Active, 1}},
		Waiting:  []ordering.WaitingCount{{WaitingFor: order.WaitingPayment, Count: 1, Oldest: &row}, {WaitingFor: order.WaitingFraudReview}}}})
	require.Contains(t, body, `href="/admin/orders?waiting_for=payment"`)
	require.Contains(t, body, `href="/admin/orders/7">#1234567890</a>`)
	require.Contains(t, body, `href="/admin/orders?status=Pending"`)

	body = renderPage(t, "orders", &page.View{Title: "List Pending Orders", Admin: admin, Data: listView{
		Query: map[string][]string{"status": {"Pending"}}, Options: options, Orders: []ordering.OrderRow{row},
		Tabs: []statusCount{{"", 3}, {order.Pending, 2}}, Next: "?cursor=7&status=Pending", Bulk: bulkButtons,
		Filters: []string{"status Pending"}}})
	for _, want := range []string{"Showing only orders status Pending.", "Bank Transfer",
		"Accept Order on Pending orders; Cancel Order on Pending orders; Delete Order on Cancelled and Fraud orders",
		`value="delete" class="danger">Delete Order</button>`, `<option selected>Pending</option>`, `name="ids" value="7"`, `aria-label="Select order 1234567890"`,
		`href="/admin/orders/7">1234567890</a>`, "26.97 USD", `rel="next"`, `name="q"`, `value="accept">Accept Order</button>`,
		`href="/admin/orders?status=Pending" aria-current="page"`} {
		require.Contains(t, body, want)
	}
	body = renderPage(t, "bulk", &page.View{Title: "Accept Order", Admin: admin, Data: bulkView{Spec: spec,
		Rows: []bulkRow{{ID: 7, Number: 1, OK: true, Text: "accepted"}, {ID: 8, Number: 2, Text: order.ReasonNotPending}}}})
	require.Contains(t, body, "refused: "+order.ReasonNotPending)
	cancel, _ := order.Lookup(order.ActionCancel)
	body = renderPage(t, "bulk", &page.View{Title: "Cancel Order", Admin: admin, Data: bulkView{Spec: cancel, Asking: true,
		Confirm: []ordering.OrderRow{row}, Skipped: []bulkRow{{ID: 9, Number: 3, Text: order.ReasonNotPending}}}})
	for _, want := range []string{`name="ids" value="7"`, "Order #1234567890 — Ada Lovelace", "will be Cancelled", `value="yes"`,
		"Order #3: " + order.ReasonNotPending, "Yes, Cancel Order (1 order)"} {
		require.Contains(t, body, want)
	}
	require.NotContains(t, body, `name="ids" value="9"`, "a skipped order is not sent on")
	del, _ := order.Lookup(order.ActionDelete)
	body = renderPage(t, "bulk", &page.View{Title: "Delete Order", Admin: admin, Data: bulkView{Spec: del, Asking: true,
		Skipped: []bulkRow{{ID: 9, Number: 3, Text: order.ReasonDeleteNotClosed}}}})
	require.Contains(t, body, "None of the ticked orders can be deleted: nothing was done.")
	require.NotContains(t, body, `value="yes"`)
}

func TestResultText(t *testing.T) {
	accept, _ := order.Lookup(order.ActionAccept)
	require.Equal(t, "Order accepted; it is Active.", resultText(accept, ordermsg.Result{Status: order.Active}))
	require.Equal(t, "Accept Order: the Module Create step failed for service example.com: Package 'basic' does not exist. "+
		"Put it right, then Retry Failed Step, or Skip Failed Step to go on without it.",
		resultText(accept, ordermsg.Result{Status: order.Pending, WaitingFor: order.WaitingProvisioningFailed,
			Failures: []ordermsg.Item{{Kind: order.OnService, Name: "example.com", FailedOp: ordermsg.OpCreate, Error: "Package 'basic' does not exist"}}}))
	fraudSpec, _ := order.Lookup(order.ActionFraud)
	require.Equal(t, "Set as Fraud: done; the order is Fraud.", resultText(fraudSpec, ordermsg.Result{Status: order.Fraud}))
}

func TestAcceptForm(t *testing.T) {
	a, err := acceptForm(map[string][]string{"services": {"11"}, "svc-11-server": {"4"}, "svc-11-username": {" ada "},
		"svc-11-password": {"pw"}, "svc-11-create": {"1"}, "domains": {"21"}, "dom-21-registrar": {"namecheap"}})
	require.NoError(t, err)
	require.Len(t, a.Services, 1)
	s := a.Services[0]
	require.Equal(t, int64(11), s.ID)
	require.Equal(t, int64(4), s.ServerID)
	require.Equal(t, "ada", s.Username)
	require.True(t, *s.RunModuleCreate)
	require.False(t, *s.SendWelcomeEmail, "an unticked box is a no")
	require.Equal(t, "namecheap", a.Domains[0].Registrar)
	require.False(t, *a.Domains[0].SendToRegistrar)
	_, err = acceptForm(map[string][]string{"services": {"x"}})
	require.Error(t, err)
}

func TestStaticAssetsEmbedded(t *testing.T) {
	rec := serve(mounted(), httptest.NewRequest("GET", "/admin/static/console.js", nil))
	require.True(t, bytes.Contains(rec.Body.Bytes(), []byte("progressive enhancement")))
	require.Contains(t, rec.Header().Get("Content-Type"), "javascript")
}

func TestActiveFilters(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", nil},
		{"cursor=9", nil},
		{"status=Pending", []string{"status Pending"}},
		{"q=ada&waiting_for=admin-review&payment_method=banktransfer&client_id=7",
			[]string{"matching “ada”", "waiting for acceptance", "client 7", "paid by Bank Transfer"}},
		{"from=2026-01-01&to=2026-02-01&payment_status=Unpaid", []string{"payment status Unpaid", "placed from 2026-01-01", "placed before 2026-02-01"}},
	} {
		q, err := url.ParseQuery(tc.query)
		require.NoError(t, err)
		require.Equal(t, tc.want, activeFilters(q), tc.query)
	}
}
