package storefront

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/testenv"
	"github.com/hostflow/hostflow/web"
)

// The client area against a real database (scripts/with-postgres), without Temporal: every
// page and refusal here answers before a workflow would be asked. The browser walk with the
// workflows is integration/TestClientArea….

// mailer records the client emails asked for, in place of their workflows.
type mailer struct {
	mu   sync.Mutex
	sent []clients.Mail
}

func (m *mailer) SendClientMail(_ context.Context, mail clients.Mail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, mail)
	return nil
}

func (m *mailer) mails() []clients.Mail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]clients.Mail(nil), m.sent...)
}

const testPassword = "correct horse battery"

// area is a storefront over a database with two clients, each with an order of a hosting
// service on a server and a domain registration.
type area struct {
	t       *testing.T
	h       http.Handler
	svc     *service.Service
	q       *db.Queries
	mail    *mailer
	owner   clients.Client
	other   clients.Client
	own     records.Created // the owner's order's ids
	theirs  records.Created // the other client's
	ownerID int64           // the owner's order id
	place   func(id int64, c clients.Client, domain string) records.Created
}

func newArea(t *testing.T) *area {
	t.Helper()
	ctx := context.Background()
	pool, _ := testenv.Database(t)
	box, err := secrets.FromBase64(secrets.NewKey())
	require.NoError(t, err)
	svc := service.New(service.Config{Pool: pool, Secrets: box, Log: zap.NewNop()})
	m := &mailer{}
	svc.Clients = clients.New(pool).WithAccounts(clients.Accounts{Guard: svc.Access, Mail: m})
	a := &area{t: t, svc: svc, q: db.New(pool), mail: m, h: New(svc, zap.NewNop(), Options{Company: "Example Hosting", Dev: true})}
	newClient := func(first, email string) clients.Client {
		c, err := svc.CreateClient(ctx, clients.NewClient{FirstName: first, LastName: "Tester", Email: email, Address1: "1 Main St",
			City: "London", State: "Greater London", Postcode: "N1 1AA", Country: "GB", Phone: "+44 20 7946 0000", Currency: "USD",
			Password: testPassword, Complete: true})
		require.NoError(t, err)
		return c
	}
	a.owner, a.other = newClient("Ada", "ada@example.com"), newClient("Eve", "eve@example.com")
	p, err := a.q.CreateProduct(ctx, db.CreateProductParams{Name: "Starter", Type: order.HostingAccount, Module: "none", AutoSetup: "accept"})
	require.NoError(t, err)
	server, err := a.q.CreateServer(ctx, db.CreateServerParams{Name: "web1", Module: "none", Hostname: "web1.host.example", Active: true})
	require.NoError(t, err)
	recs := records.Records{Pool: pool, Secrets: box}
	place := func(id int64, c clients.Client, domain string) records.Created {
		created, err := recs.CreateOrder(ctx, order.NewOrder{ID: id, Number: order.RandomNumber(), ClientID: c.ID, PaymentMethod: "banktransfer",
			Currency: "USD", Amount: 2699, Actor: order.Client(c.ID),
			Services: []order.NewService{{ProductID: p.ID, ProductName: "Starter", Domain: domain, BillingCycle: order.Monthly, SetupFee: 500, Amount: 999}},
			Domains: []order.NewDomain{{Domain: domain, Type: order.DomainRegister, Period: 1, Amount: 1200,
				Nameservers: []string{"ns1.host.example", "ns2.host.example"}}}})
		require.NoError(t, err)
		require.NoError(t, a.q.SetServiceAccount(ctx, db.SetServiceAccountParams{ID: created.ServiceIDs[0], ServerID: &server.ID, Username: "adasite"}))
		return created
	}
	a.ownerID, a.place = 41, place
	a.own, a.theirs = place(41, a.owner, "ada-site.com"), place(42, a.other, "eve-site.com")
	require.NoError(t, a.q.SetServiceStatus(ctx, db.SetServiceStatusParams{ID: a.own.ServiceIDs[0], Status: order.Active}))
	require.NoError(t, a.q.SetDomainStatus(ctx, db.SetDomainStatusParams{ID: a.own.DomainIDs[0], Status: order.Active, Registrar: "none"}))
	return a
}

// signIn is the session cookie of a client signed in with email.
func (a *area) signIn(email string) *http.Cookie {
	a.t.Helper()
	tok, _, err := a.svc.ClientSignIn(context.Background(), "127.0.0.1", email, testPassword)
	require.NoError(a.t, err)
	return &http.Cookie{Name: web.ClientSessionCookie, Value: tok}
}

// do sends a request as the client of cookie (nil: a visitor); form, when not nil, is posted.
func (a *area) do(cookie *http.Cookie, method, path string, form url.Values) *httptest.ResponseRecorder {
	a.t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	return serve(a.h, req)
}

func (a *area) get(cookie *http.Cookie, path string) (int, string) {
	a.t.Helper()
	rec := a.do(cookie, "GET", path, nil)
	requireSecurityHeaders(a.t, rec.Header())
	return rec.Code, rec.Body.String()
}

// Each page of the client area renders for its owner, with their own things only.
func TestClientAreaPagesRenderForTheirOwner(t *testing.T) {
	a := newArea(t)
	ck := a.signIn("ada@example.com")
	sid, did, iid := a.own.ServiceIDs[0], a.own.DomainIDs[0], a.own.InvoiceID
	for _, c := range []struct {
		path string
		want []string
	}{
		{"/client", []string{"Welcome back, Ada", `id="stat-services">1<`, `id="stat-domains">1<`, `id="stat-invoices">1<`, "Starter", "ada-site.com",
			fmt.Sprintf(`href="/client/invoices/%d#pay">Pay Now`, iid), "balance due of <strong>$26.99 USD</strong>",
			fmt.Sprintf("Order #%d", a.own.OrderNumber), `href="/client/services">View all`, `aria-current="page">Home`}},
		{"/client/services", []string{"My Services", "Starter", "ada-site.com", "web1.host.example", "<code>adasite</code>", "Monthly", "$9.99 USD",
			"status-active", `aria-current="page">Services`}},
		{fmt.Sprintf("/client/services/%d", sid), []string{"Service details", "web1.host.example", "adasite", "$9.99 USD", "$5.00 USD",
			"Bank Transfer", fmt.Sprintf("#%d", a.own.OrderNumber)}},
		{"/client/domains", []string{"My Domains", "ada-site.com", "ns1.host.example", "ns2.host.example", "Registration date", "Auto renew"}},
		{fmt.Sprintf("/client/domains/%d", did), []string{"Change Nameservers", `name="ns1" value="ns1.host.example"`,
			`name="ns2" value="ns2.host.example"`, `name="ns5" value=""`, fmt.Sprintf(`action="/client/domains/%d/nameservers"`, did)}},
		{"/client/invoices", []string{"My Invoices", fmt.Sprintf("#%d", iid), "$26.99 USD", "status-unpaid", "Pay Now", `aria-current="page">Invoices`}},
		{fmt.Sprintf("/client/invoices/%d", iid), []string{fmt.Sprintf("Invoice #%d", iid), "Pay Now", "Printable version"}},
		{fmt.Sprintf("/client/invoices/%d/print", iid), []string{fmt.Sprintf("Invoice #%d", iid), `id="print-company">Example Hosting`,
			"1 Main St", "United Kingdom", "Starter", "$26.99 USD", "No payments yet.", "/store/static/print.css"}},
		{"/client/orders", []string{"My Orders", fmt.Sprintf("#%d", a.own.OrderNumber), "$26.99 USD", fmt.Sprintf("Invoice #%d", iid)}},
		{fmt.Sprintf("/client/orders/%d", a.ownerID), []string{fmt.Sprintf("Order #%d", a.own.OrderNumber), "Starter", "ada-site.com",
			fmt.Sprintf(`href="/client/invoices/%d"`, iid)}},
		{"/client/details", []string{"My Details", `name="firstname" value="Ada"`, `<option value="GB" selected>United Kingdom</option>`,
			"Change Password", `name="current_password"`}},
	} {
		code, body := a.get(ck, c.path)
		require.Equal(t, http.StatusOK, code, "%s: %s", c.path, body)
		for _, w := range c.want {
			require.Contains(t, body, w, c.path)
		}
		require.NotContains(t, body, "eve-site.com", "%s shows another client's things", c.path)
	}
	// The print view is a page of its own: no store navigation, no client-area navigation.
	_, body := a.get(ck, fmt.Sprintf("/client/invoices/%d/print", iid))
	require.NotContains(t, body, `class="client-nav"`)
	require.NotContains(t, body, `<header class="site">`)
	require.NotContains(t, body, "store.css")
}

// Another client's service, domain, invoice (and its print view) or order is no page for this
// client: the same 404 as an unknown id, and a post to it changes nothing.
func TestAnotherClientsThingsAreNotFound(t *testing.T) {
	a := newArea(t)
	ck := a.signIn("eve@example.com")
	for _, c := range []struct{ theirs, unknown, msg string }{
		{fmt.Sprintf("/client/services/%d", a.own.ServiceIDs[0]), "/client/services/999999", "There is no such service in your account."},
		{fmt.Sprintf("/client/domains/%d", a.own.DomainIDs[0]), "/client/domains/999999", "There is no such domain in your account."},
		{fmt.Sprintf("/client/invoices/%d", a.own.InvoiceID), "/client/invoices/999999", "There is no such invoice in your account."},
		{fmt.Sprintf("/client/invoices/%d/print", a.own.InvoiceID), "/client/invoices/999999/print", "There is no such invoice in your account."},
		{fmt.Sprintf("/client/orders/%d", a.ownerID), "/client/orders/999999", "There is no such order in your account."},
		{"/client/services/x", "/client/services/0", "There is no such service in your account."},
	} {
		code, theirs := a.get(ck, c.theirs)
		require.Equal(t, http.StatusNotFound, code, c.theirs)
		require.Contains(t, theirs, c.msg)
		code, unknown := a.get(ck, c.unknown)
		require.Equal(t, http.StatusNotFound, code, c.unknown)
		require.Equal(t, unknown, theirs, "another client's id answers exactly as an unknown one")
	}
	rec := a.do(ck, "POST", fmt.Sprintf("/client/domains/%d/nameservers", a.own.DomainIDs[0]),
		url.Values{"ns1": {"ns1.evil.example"}, "ns2": {"ns2.evil.example"}})
	require.Equal(t, http.StatusNotFound, rec.Code)
	d, err := a.svc.ClientDomain(context.Background(), a.owner.ID, a.own.DomainIDs[0])
	require.NoError(t, err)
	require.Equal(t, []string{"ns1.host.example", "ns2.host.example"}, d.Nameservers)
	rec = a.do(ck, "POST", fmt.Sprintf("/client/invoices/%d/pay", a.own.InvoiceID), url.Values{})
	require.Equal(t, http.StatusNotFound, rec.Code)

	// Her own lists hold her things only.
	for _, path := range []string{"/client", "/client/services", "/client/domains", "/client/invoices", "/client/orders"} {
		_, body := a.get(ck, path)
		require.NotContains(t, body, "ada-site.com", path)
		require.NotContains(t, body, fmt.Sprintf("#%d<", a.own.InvoiceID), path)
	}
}

// A visitor who is not signed in is sent to sign in, and back to the page after.
func TestClientAreaAsksAVisitorToSignIn(t *testing.T) {
	a := newArea(t)
	for _, path := range []string{"/client", "/client/services", "/client/services/1", "/client/domains", "/client/domains/1",
		"/client/invoices", "/client/invoices/1", "/client/invoices/1/print", "/client/orders", "/client/orders/1", "/client/details"} {
		rec := a.do(nil, "GET", path, nil)
		require.Equal(t, http.StatusSeeOther, rec.Code, path)
		require.Equal(t, "/client/login?next="+url.QueryEscape(path), rec.Header().Get("Location"), path)
	}
	for _, path := range []string{"/client/details", "/client/details/password", "/client/domains/1/nameservers"} {
		rec := a.do(nil, "POST", path, url.Values{"firstname": {"X"}})
		require.Equal(t, http.StatusSeeOther, rec.Code, path)
		require.True(t, strings.HasPrefix(rec.Header().Get("Location"), "/client/login?next="), path)
	}
	// The password reset pages are for visitors.
	code, body := a.get(nil, "/client/password-reset")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "Reset your password")
	code, body = a.get(nil, "/client/login")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `href="/client/password-reset" id="forgot-password">Forgot password?`)
}

// My Details: a refusal is shown on its field with everything as typed; saved, the details
// are the client's.
func TestDetailsEditKeepsWhatWasTyped(t *testing.T) {
	a := newArea(t)
	ck := a.signIn("ada@example.com")
	form := url.Values{"firstname": {"Augusta"}, "lastname": {"King"}, "companyname": {"Analytical Engines"}, "email": {"ada@example.com"},
		"address1": {"12 St James's Square"}, "address2": {"Flat 2"}, "city": {""}, "state": {"London"}, "postcode": {"SW1Y 4JH"},
		"country": {"GB"}, "phonenumber": {"+44 20 7946 0001"}}
	rec := a.do(ck, "POST", "/client/details", form)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	body := rec.Body.String()
	require.Contains(t, body, `id="city-error" role="alert">You did not enter your city`)
	for _, typed := range []string{`value="Augusta"`, `value="King"`, `value="Analytical Engines"`, `value="12 St James&#39;s Square"`,
		`value="Flat 2"`, `value="SW1Y 4JH"`, `<option value="GB" selected>`, `value="&#43;44 20 7946 0001"`} {
		require.Contains(t, body, typed)
	}

	form.Set("city", "London")
	form.Set("email", "not-an-email")
	rec = a.do(ck, "POST", "/client/details", form)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, rec.Body.String(), `id="email-error" role="alert">The email address you entered was not valid`)
	require.Contains(t, rec.Body.String(), `value="not-an-email"`)

	form.Set("email", "eve@example.com")
	rec = a.do(ck, "POST", "/client/details", form)
	require.Equal(t, http.StatusConflict, rec.Code)
	require.Contains(t, rec.Body.String(), `id="email-error" role="alert">A user already exists with that email address`)

	form.Set("email", "augusta@example.com")
	rec = a.do(ck, "POST", "/client/details", form)
	require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
	require.Equal(t, "/client/details", rec.Header().Get("Location"))
	c, err := a.svc.Client(context.Background(), a.owner.ID, "")
	require.NoError(t, err)
	require.Equal(t, "Augusta", c.FirstName)
	require.Equal(t, "augusta@example.com", c.Email)
	require.Equal(t, "Flat 2", c.Address2)
	require.Equal(t, "USD", c.Currency, "the currency is not the client's to change")
}

// Change Password: a wrong current password and a confirmation that differs are refused on
// their fields; the right one changes it, keeps this session and ends the others.
func TestChangePassword(t *testing.T) {
	a := newArea(t)
	ck, elsewhere := a.signIn("ada@example.com"), a.signIn("ada@example.com")
	const next = "a much longer passphrase"
	rec := a.do(ck, "POST", "/client/details/password", url.Values{"current_password": {"wrong password here"},
		"new_password": {next}, "confirm_password": {next}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, rec.Body.String(), `id="current_password-error" role="alert">is not your current password`)
	require.NotContains(t, rec.Body.String(), next, "a password is never sent back")

	rec = a.do(ck, "POST", "/client/details/password", url.Values{"current_password": {testPassword},
		"new_password": {next}, "confirm_password": {next + "!"}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, rec.Body.String(), `id="confirm_password-error" role="alert">`+ReasonPasswordsDiffer)

	rec = a.do(ck, "POST", "/client/details/password", url.Values{"current_password": {testPassword},
		"new_password": {"short"}, "confirm_password": {"short"}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, rec.Body.String(), `id="new_password-error" role="alert">must be at least 10 characters`)

	rec = a.do(ck, "POST", "/client/details/password", url.Values{"current_password": {testPassword},
		"new_password": {next}, "confirm_password": {next}})
	require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
	code, _ := a.get(ck, "/client/details")
	require.Equal(t, http.StatusOK, code, "this session stays")
	require.Equal(t, http.StatusSeeOther, a.do(elsewhere, "GET", "/client/details", nil).Code, "the other session ended")
	_, _, err := a.svc.ClientSignIn(context.Background(), "127.0.0.1", "ada@example.com", next)
	require.NoError(t, err)
}

// A reset request answers the same whether or not an account has the email: nobody learns
// which emails have accounts. A malformed email is said so.
func TestPasswordResetRequestAnswersAlike(t *testing.T) {
	a := newArea(t)
	known := a.do(nil, "POST", "/client/password-reset", url.Values{"email": {"ada@example.com"}})
	unknown := a.do(nil, "POST", "/client/password-reset", url.Values{"email": {"nobody@example.com"}})
	for _, rec := range []*httptest.ResponseRecorder{known, unknown} {
		require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
		require.Equal(t, "/client/password-reset", rec.Header().Get("Location"))
	}
	require.Equal(t, known.Body.String(), unknown.Body.String())
	require.Equal(t, known.Result().Cookies()[0].Value, unknown.Result().Cookies()[0].Value, "the same message")
	require.Contains(t, known.Result().Cookies()[0].Value, url.QueryEscape("If an account exists for that address"))
	emails := map[string]bool{}
	for _, m := range a.mail.mails() {
		if m.Template == clients.MailPasswordReset {
			emails[m.Email] = true
		}
	}
	require.Equal(t, map[string]bool{"ada@example.com": true, "nobody@example.com": true}, emails,
		"both asked for an email: the email's workflow finds no account for the unknown one")

	// The flash shows the message on the page the redirect lands on.
	req := httptest.NewRequest("GET", "/client/password-reset", nil)
	req.AddCookie(known.Result().Cookies()[0])
	require.Contains(t, serve(a.h, req).Body.String(), "If an account exists for that address, we sent an email")

	rec := a.do(nil, "POST", "/client/password-reset", url.Values{"email": {"not an email"}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, rec.Body.String(), "The email address you entered was not valid")
	require.Contains(t, rec.Body.String(), `value="not an email"`)
}

// The reset link's page: a bad or used token is refused and offers a new request; a good one
// takes a new password once.
func TestPasswordResetLink(t *testing.T) {
	a := newArea(t)
	ctx := context.Background()
	for _, path := range []string{"/client/reset?token=bogus", "/client/reset"} {
		code, body := a.get(nil, path)
		require.Equal(t, http.StatusUnprocessableEntity, code, path)
		require.Contains(t, body, clients.ReasonResetInvalid)
		require.Contains(t, body, `href="/client/password-reset" id="new-reset"`)
		require.NotContains(t, body, `name="password"`)
	}
	rec := a.do(nil, "POST", "/client/reset", url.Values{"token": {"bogus"}, "password": {"a new passphrase"}, "confirm_password": {"a new passphrase"}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, rec.Body.String(), clients.ReasonResetInvalid)

	// The link the Password Reset email carries: clients.ResetPath with ?token=.
	tok, _, ok, err := a.svc.IssuePasswordReset(ctx, "client-password-reset:test", "ada@example.com")
	require.NoError(t, err)
	require.True(t, ok)
	link := clients.ResetPath + "?token=" + url.QueryEscape(tok)
	code, body := a.get(nil, link)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, fmt.Sprintf(`name="token" value="%s"`, tok))
	rec = a.do(nil, "POST", "/client/reset", url.Values{"token": {tok}, "password": {"a new passphrase"}, "confirm_password": {"another"}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, rec.Body.String(), ReasonPasswordsDiffer)
	rec = a.do(nil, "POST", "/client/reset", url.Values{"token": {tok}, "password": {"short"}, "confirm_password": {"short"}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, rec.Body.String(), "must be at least 10 characters")
	require.Contains(t, rec.Body.String(), fmt.Sprintf(`name="token" value="%s"`, tok), "a weak password keeps the link")
	rec = a.do(nil, "POST", "/client/reset", url.Values{"token": {tok}, "password": {"a new passphrase"}, "confirm_password": {"a new passphrase"}})
	require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
	require.Equal(t, clients.SignInPath, rec.Header().Get("Location"))
	_, _, err = a.svc.ClientSignIn(ctx, "127.0.0.1", "ada@example.com", "a new passphrase")
	require.NoError(t, err)
	code, body = a.get(nil, link)
	require.Equal(t, http.StatusUnprocessableEntity, code, "the link works once")
	require.Contains(t, body, clients.ReasonResetInvalid)
}

// Change Nameservers refuses bad input on the field at fault, keeping what was typed, and a
// domain that is not Active; the registrar is never asked from the request.
func TestChangeNameserversRefusals(t *testing.T) {
	a := newArea(t)
	ck := a.signIn("ada@example.com")
	path := fmt.Sprintf("/client/domains/%d/nameservers", a.own.DomainIDs[0])
	rec := a.do(ck, "POST", path, url.Values{"ns1": {"ns1.good.example"}, "ns2": {""}, "ns3": {"not a host!"}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	body := rec.Body.String()
	require.Contains(t, body, `id="ns3-error" role="alert">&#34;not a host!&#34; is not a hostname`)
	require.Contains(t, body, `name="ns1" value="ns1.good.example"`)
	require.Contains(t, body, `name="ns3" value="not a host!"`)

	rec = a.do(ck, "POST", path, url.Values{"ns1": {"ns1.good.example"}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, rec.Body.String(), `id="nameservers-error">at least 2 nameservers required`)

	// A domain not Active has no Change Nameservers, and a post for it is refused.
	require.NoError(t, a.q.SetDomainStatus(context.Background(), db.SetDomainStatusParams{ID: a.own.DomainIDs[0],
		Status: order.PendingRegistration, Registrar: "none"}))
	rec = a.do(ck, "POST", path, url.Values{"ns1": {"ns1.good.example"}, "ns2": {"ns2.good.example"}})
	require.Equal(t, http.StatusConflict, rec.Code)
	require.Contains(t, rec.Body.String(), "This domain is not currently active. Domains cannot be managed unless active.")
	_, body = a.get(ck, fmt.Sprintf("/client/domains/%d", a.own.DomainIDs[0]))
	require.NotContains(t, body, `id="nameservers-form"`)
	require.Contains(t, body, `id="not-manageable"`)
}

// The lists come a page of 25 at a time, newest first, with Previous and Next.
func TestClientListsArePaged(t *testing.T) {
	a := newArea(t)
	for i := range 26 {
		a.place(int64(100+i), a.owner, fmt.Sprintf("paged-%02d.com", i))
	}
	ck := a.signIn("ada@example.com")
	for _, path := range []string{"/client/services", "/client/domains", "/client/invoices", "/client/orders"} {
		_, first := a.get(ck, path)
		require.Equal(t, 25, strings.Count(first, "<tr id="), path)
		require.Contains(t, first, fmt.Sprintf(`href="%s?page=2" rel="next"`, path))
		require.NotContains(t, first, `rel="prev"`)
		_, second := a.get(ck, path+"?page=2")
		require.Equal(t, 2, strings.Count(second, "<tr id="), path, "27 in all")
		require.Contains(t, second, fmt.Sprintf(`href="%s" rel="prev"`, path))
		require.NotContains(t, second, `rel="next"`)
		_, past := a.get(ck, path+"?page=9")
		require.Contains(t, past, "There are no more", path)
	}
	_, first := a.get(ck, "/client/services")
	require.Contains(t, first, "paged-25.com", "the newest first")
	require.NotContains(t, first, "ada-site.com", "the oldest on the last page")
}

func TestPagerAndPages(t *testing.T) {
	require.Equal(t, pager{Number: 1, Next: "/client/orders?page=2"}, pagerFor("/client/orders", dbtx.Page{Number: 1}, true))
	require.Equal(t, pager{Number: 2, Prev: "/client/orders"}, pagerFor("/client/orders", dbtx.Page{Number: 2}, false))
	require.Equal(t, pager{Number: 3, Prev: "/client/orders?page=2", Next: "/client/orders?page=4"},
		pagerFor("/client/orders", dbtx.Page{Number: 3}, true))
	for q, want := range map[string]int{"": 1, "page=0": 1, "page=-3": 1, "page=x": 1, "page=7": 7, "page=99999999999": dbtx.MaxPageNumber} {
		require.Equal(t, want, listPage(httptest.NewRequest("GET", "/client/orders?"+q, nil)).Number, q)
	}
	lim, off := dbtx.Page{Number: 3}.Query()
	require.Equal(t, int32(26), lim, "one more than the page, to learn whether another follows")
	require.Equal(t, int32(50), off)
	rows, more := dbtx.Cut(dbtx.Page{Number: 1, Size: 2}, []int{1, 2, 3})
	require.Equal(t, []int{1, 2}, rows)
	require.True(t, more)
	rows, more = dbtx.Cut(dbtx.Page{Number: 1, Size: 2}, []int{1, 2})
	require.Len(t, rows, 2)
	require.False(t, more)
}

func TestNameserverField(t *testing.T) {
	typed := [5]string{"a.example", "", "bad host", "", ""}
	require.Equal(t, "ns1", nameserverField("nameservers[0]", typed))
	require.Equal(t, "ns3", nameserverField("nameservers[1]", typed), "counted over the fields typed in")
	require.Equal(t, "nameservers", nameserverField("nameservers", typed))
	require.Equal(t, "nameservers", nameserverField("nameservers[7]", typed))
}
