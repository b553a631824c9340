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
)

// csp reads a Content-Security-Policy into its directives.
func csp(policy string) map[string]string {
	out := map[string]string{}
	for _, d := range strings.Split(policy, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		out[name] = value
	}
	return out
}

// The email page keeps the console's CSP (no inline script or style) and only lets in frames
// from the console; the HTML part's own document is sandboxed, runs no script and loads
// nothing from anywhere.
func TestEmailPolicies(t *testing.T) {
	h := http.Header{}
	h.Set("Content-Security-Policy", emailPageCSP)
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	requireSecurityHeaders(t, h)
	require.Equal(t, "'self'", csp(emailPageCSP)["frame-src"])

	d := csp(emailHTMLCSP)
	require.Contains(t, d, "sandbox")
	require.Empty(t, d["sandbox"], "no allow-scripts, allow-same-origin or any other")
	require.Equal(t, "'none'", d["default-src"], "no script-src: none runs")
	require.NotContains(t, d, "script-src")
	require.Equal(t, "data:", d["img-src"], "no remote image: no tracking pixel")
	require.Equal(t, "'self'", d["frame-ancestors"])
}

// The email routes are the signed-in console's.
func TestEmailPagesNeedASession(t *testing.T) {
	h := mounted()
	for _, c := range []struct{ method, path string }{
		{"GET", "/admin/emails/5"}, {"GET", "/admin/emails/5/html"},
	} {
		rec := serve(h, httptest.NewRequest(c.method, c.path, nil))
		require.Equal(t, http.StatusSeeOther, rec.Code, c.path)
		require.Contains(t, rec.Header().Get("Location"), "/admin/login")
	}
	req := httptest.NewRequest("POST", "/admin/emails/5/resend", strings.NewReader("request_id=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	rec := serve(h, req)
	require.Equal(t, http.StatusSeeOther, rec.Code, "nothing is resent without a session")
	require.Contains(t, rec.Header().Get("Location"), "/admin/login")
}

func TestEmailTemplates(t *testing.T) {
	admin := &access.Admin{Email: "ops@example.com", Name: "Ops"}
	at := time.Date(2026, 3, 4, 5, 6, 0, 0, time.UTC)
	e := clients.LoggedEmail{ID: 12, Template: "hosting-welcome", Recipient: "ada@example.com", Subject: "New Account <Information>",
		Date: at, ClientID: 3, OrderID: 7, OrderNumber: 1234567890, ClientName: "Ada Lovelace",
		Text: "Password: (not kept)\n<script>alert(1)</script>", HTML: "<p>Hi</p><script>alert(1)</script>"}
	body := renderPage(t, "email", &page.View{Title: "Email", Admin: admin, Data: emailView{LoggedEmail: e}})
	for _, want := range []string{"New Account &lt;Information&gt;", "2026-03-04 05:06 UTC", "ada@example.com (Ada Lovelace)",
		"Hosting Account Welcome Email", `href="/admin/orders/7">#1234567890</a>`, `href="/admin/clients/3">Ada Lovelace</a>`,
		`action="/admin/emails/12/resend"`, `name="request_id" value="console-`, "&lt;script&gt;alert(1)&lt;/script&gt;",
		`<iframe class="email-html" src="/admin/emails/12/html" sandbox=""`} {
		require.Contains(t, body, want)
	}
	require.NotContains(t, body, "<script>alert", "the text is escaped; the HTML is only in the frame")
	require.NotContains(t, body, "<p>Hi</p>")

	// A text-only email of staff, resent by an admin, of an order deleted since.
	e = clients.LoggedEmail{ID: 13, Template: "new-order-notification", Recipient: "orders@host.example", Subject: "New Order",
		Date: at, OrderID: 8, ResendOf: 12, ResentBy: order.Admin("ops@example.com"), Text: "x"}
	body = renderPage(t, "email", &page.View{Title: "Email", Admin: admin, Data: emailView{LoggedEmail: e,
		Admins: map[string]string{"ops@example.com": "Ops"}}})
	for _, want := range []string{"orders@host.example (staff)", "order 8, deleted since", `by Ops, a copy of <a href="/admin/emails/12">email 12</a>`} {
		require.Contains(t, body, want)
	}
	require.NotContains(t, body, "<iframe")
	require.NotContains(t, body, "/admin/clients/")

	// The order page and the client's page list the log, newest first as given, each linking its page.
	d := sampleDetail()
	log := emailLogView{Emails: []clients.LoggedEmail{
		{ID: 14, Template: "invoice-created", Recipient: "ada@example.com", Subject: "Customer Invoice #9", Date: at, ClientID: 3, ResendOf: 10},
		{ID: 11, Template: "new-order-notification", Recipient: "orders@host.example", Subject: "New Order #1234567890", Date: at}}}
	body = renderPage(t, "order", &page.View{Title: "Order", Admin: admin, Data: orderView{OrderDetail: d, Emails: log}})
	for _, want := range []string{`<h2 id="emails-h">Emails</h2>`, "2 emails sent", `href="/admin/emails/14">Customer Invoice #9</a>`,
		"Invoice Created <small class=\"muted\">(resent)</small>", "orders@host.example <small class=\"muted\">(staff)</small>"} {
		require.Contains(t, body, want)
	}
	require.Less(t, strings.Index(body, "/admin/emails/14"), strings.Index(body, "/admin/emails/11"))
	body = renderPage(t, "client", &page.View{Title: "Client", Admin: admin, Data: clientView{Tab: "emails", Emails: emailLogView{}}})
	require.Contains(t, body, "No email sent yet.")
	body = renderPage(t, "client", &page.View{Title: "Client", Admin: admin, Data: clientView{Tab: "emails", Emails: emailLogView{Emails: log.Emails[:1], More: true}}})
	require.Contains(t, body, "The newest 1 emails")
}
