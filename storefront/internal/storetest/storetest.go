// Package storetest is what the storefront's tests share (storefront's and
// storefront/clientarea's): serving a request, the headers every answer must carry, a page
// rendered with data, and a database with two clients, each with an order, for the pages that
// read it (scripts/with-postgres). It builds no handler itself: each test mounts the
// storefront over the fixture's service, so that storefront's own tests can use it too.
package storetest

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
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/testenv"
	"github.com/hostflow/hostflow/web"
)

// Serve answers req with h.
func Serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// RequireSecurityHeaders is the console's check: scripts and styles from hostflow only, no
// inline script or style, no framing, forms posted to hostflow only.
func RequireSecurityHeaders(t *testing.T, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	require.NotEmpty(t, csp)
	directives := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		directives[name] = value
	}
	require.Equal(t, "'none'", directives["default-src"])
	require.Equal(t, "'self'", directives["script-src"], "scripts from the storefront only: no inline script, no eval")
	require.Equal(t, "'self'", directives["style-src"], "no inline style")
	require.Equal(t, "'none'", directives["frame-ancestors"])
	require.Equal(t, "'self'", directives["form-action"])
	require.NotContains(t, csp, "unsafe-inline")
	require.NotContains(t, csp, "unsafe-eval")
	require.Equal(t, "same-origin", h.Get("Referrer-Policy"))
	require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"))
	require.Equal(t, "DENY", h.Get("X-Frame-Options"))
}

// Render is one page rendered with data, as a handler would.
func Render(t *testing.T, name string, v *page.View) string {
	t.Helper()
	p := page.New(page.Config{Company: "Example Hosting", Log: zap.NewNop()})
	rec := httptest.NewRecorder()
	p.Render(rec, httptest.NewRequest("GET", "/", nil), http.StatusOK, name, v)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	return rec.Body.String()
}

// Mailer records the client emails asked for, in place of their workflows.
type Mailer struct {
	mu   sync.Mutex
	sent []clients.Mail
}

// SendClientMail records mail.
func (m *Mailer) SendClientMail(_ context.Context, mail clients.Mail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, mail)
	return nil
}

// Mails are the emails asked for so far.
func (m *Mailer) Mails() []clients.Mail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]clients.Mail(nil), m.sent...)
}

// Password is every fixture client's password.
const Password = "correct horse battery"

// Area is a storefront over a database (without Temporal: every page and refusal its tests
// reach answers before a workflow would be asked) with two clients, each with an order of a
// hosting service on a server and a domain registration.
type Area struct {
	t       *testing.T
	H       http.Handler
	Svc     *service.Service
	Q       *db.Queries
	Mail    *Mailer
	Owner   clients.Client  // Ada, ada@example.com: an Active service and domain
	Other   clients.Client  // Eve, eve@example.com
	Own     records.Created // the owner's order's ids
	Theirs  records.Created // the other client's
	OwnerID int64           // the owner's order id
	// Place writes another order of c's, with id and a service and registration of domain.
	Place func(id int64, c clients.Client, domain string) records.Created
}

// NewArea makes the database and mounts the storefront over its service with mount.
func NewArea(t *testing.T, mount func(*service.Service) http.Handler) *Area {
	t.Helper()
	ctx := context.Background()
	pool, _ := testenv.Database(t)
	box, err := secrets.FromBase64(secrets.NewKey())
	require.NoError(t, err)
	svc := service.New(service.Config{Pool: pool, Secrets: box, Log: zap.NewNop()})
	m := &Mailer{}
	svc.Clients = clients.New(pool).WithAccounts(clients.Accounts{Guard: svc.Access, Mail: m})
	a := &Area{t: t, Svc: svc, Q: db.New(pool), Mail: m, H: mount(svc)}
	newClient := func(first, email string) clients.Client {
		c, err := svc.CreateClient(ctx, clients.NewClient{FirstName: first, LastName: "Tester", Email: email, Address1: "1 Main St",
			City: "London", State: "Greater London", Postcode: "N1 1AA", Country: "GB", Phone: "+44 20 7946 0000", Currency: "USD",
			Password: Password, Complete: true})
		require.NoError(t, err)
		return c
	}
	a.Owner, a.Other = newClient("Ada", "ada@example.com"), newClient("Eve", "eve@example.com")
	p, err := a.Q.CreateProduct(ctx, db.CreateProductParams{Name: "Starter", Type: order.HostingAccount, Module: "none", AutoSetup: "accept"})
	require.NoError(t, err)
	server, err := a.Q.CreateServer(ctx, db.CreateServerParams{Name: "web1", Module: "none", Hostname: "web1.host.example", Active: true})
	require.NoError(t, err)
	recs := records.Records{Pool: pool, Secrets: box}
	a.Place = func(id int64, c clients.Client, domain string) records.Created {
		created, err := recs.CreateOrder(ctx, order.NewOrder{ID: id, Number: order.RandomNumber(), ClientID: c.ID, PaymentMethod: "banktransfer",
			Currency: "USD", Amount: 2699, Actor: order.Client(c.ID),
			Services: []order.NewService{{ProductID: p.ID, ProductName: "Starter", Domain: domain, BillingCycle: order.Monthly, SetupFee: 500, Amount: 999}},
			Domains: []order.NewDomain{{Domain: domain, Type: order.DomainRegister, Period: 1, Amount: 1200,
				Nameservers: []string{"ns1.host.example", "ns2.host.example"}}}})
		require.NoError(t, err)
		require.NoError(t, a.Q.SetServiceAccount(ctx, db.SetServiceAccountParams{ID: created.ServiceIDs[0], ServerID: &server.ID, Username: "adasite"}))
		return created
	}
	a.OwnerID = 41
	a.Own, a.Theirs = a.Place(41, a.Owner, "ada-site.com"), a.Place(42, a.Other, "eve-site.com")
	require.NoError(t, a.Q.SetServiceStatus(ctx, db.SetServiceStatusParams{ID: a.Own.ServiceIDs[0], Status: order.Active}))
	require.NoError(t, a.Q.SetDomainStatus(ctx, db.SetDomainStatusParams{ID: a.Own.DomainIDs[0], Status: order.Active, Registrar: "none"}))
	return a
}

// Email records an email as activities' Mail.Deliver does, to client (0: to staff) about
// orderID (0: none), marked sent when sent says so, and answers its id.
func (a *Area) Email(client, orderID int64, to, subject, body string, sent bool) int64 {
	a.t.Helper()
	ctx := context.Background()
	var clientID *int64
	if client != 0 {
		clientID = &client
	}
	key := fmt.Sprintf("test:%d:%s", client, subject)
	require.NoError(a.t, a.Q.InsertEmail(ctx, db.InsertEmailParams{Key: key, OrderID: orderID, ClientID: clientID, Template: "invoice-created",
		Recipient: to, Subject: subject, Body: body, MessageID: "<" + key + "@host.example>"}))
	if sent {
		require.NoError(a.t, a.Q.MarkEmailSent(ctx, key))
	}
	e, err := a.Q.GetEmail(ctx, key)
	require.NoError(a.t, err)
	return e.ID
}

// SignIn is the session cookie of a client signed in with email.
func (a *Area) SignIn(email string) *http.Cookie {
	a.t.Helper()
	tok, _, err := a.Svc.ClientSignIn(context.Background(), "127.0.0.1", email, Password)
	require.NoError(a.t, err)
	return &http.Cookie{Name: web.ClientSessionCookie, Value: tok}
}

// Do sends a request as the client of cookie (nil: a visitor); form, when not nil, is posted.
func (a *Area) Do(cookie *http.Cookie, method, path string, form url.Values) *httptest.ResponseRecorder {
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
	return Serve(a.H, req)
}

// Get is a page as the client of cookie sees it, with the headers every answer carries.
func (a *Area) Get(cookie *http.Cookie, path string) (int, string) {
	a.t.Helper()
	rec := a.Do(cookie, "GET", path, nil)
	RequireSecurityHeaders(a.t, rec.Header())
	return rec.Code, rec.Body.String()
}
