package clientarea_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/service"
	"github.com/hostflow/hostflow/storefront"
	"github.com/hostflow/hostflow/storefront/internal/storetest"
	"github.com/hostflow/hostflow/storefront/page"
)

// The client area against a real database (scripts/with-postgres), without Temporal, mounted
// as the starter mounts it (storefront.New): every page and refusal here answers before a
// workflow would be asked. The browser walk with the workflows is integration/TestClientArea….

// newArea is the storefront over a database with two clients, each with an order
// (storetest.NewArea).
func newArea(t *testing.T) *storetest.Area {
	return storetest.NewArea(t, func(svc *service.Service) http.Handler {
		return storefront.New(svc, zap.NewNop(), storefront.Options{Company: "Example Hosting", Dev: true})
	})
}

// Each page of the client area renders for its owner, with their own things only.
func TestClientAreaPagesRenderForTheirOwner(t *testing.T) {
	a := newArea(t)
	ck := a.SignIn("ada@example.com")
	sid, did, iid := a.Own.ServiceIDs[0], a.Own.DomainIDs[0], a.Own.InvoiceID
	for _, c := range []struct {
		path string
		want []string
	}{
		{"/client", []string{"Welcome back, Ada", `id="stat-services">1<`, `id="stat-domains">1<`, `id="stat-invoices">1<`, "Starter", "ada-site.com",
			fmt.Sprintf(`href="/client/invoices/%d#pay">Pay Now`, iid), "balance due of <strong>$26.99 USD</strong>",
			fmt.Sprintf("Order #%d", a.Own.OrderNumber), `href="/client/services">View all`, `aria-current="page">Home`}},
		{"/client/services", []string{"My Services", "Starter", "ada-site.com", "web1.host.example", "<code>adasite</code>", "Monthly", "$9.99 USD",
			"status-active", `aria-current="page">Services`}},
		{fmt.Sprintf("/client/services/%d", sid), []string{"Service details", "web1.host.example", "adasite", "$9.99 USD", "$5.00 USD",
			"Bank Transfer", fmt.Sprintf("#%d", a.Own.OrderNumber)}},
		{"/client/domains", []string{"My Domains", "ada-site.com", "ns1.host.example", "ns2.host.example", "Registration date", "Auto renew"}},
		{fmt.Sprintf("/client/domains/%d", did), []string{"Change Nameservers", `name="ns1" value="ns1.host.example"`,
			`name="ns2" value="ns2.host.example"`, `name="ns5" value=""`, fmt.Sprintf(`action="/client/domains/%d/nameservers"`, did)}},
		{"/client/invoices", []string{"My Invoices", fmt.Sprintf("#%d", iid), "$26.99 USD", "status-unpaid", "Pay Now", `aria-current="page">Invoices`}},
		{fmt.Sprintf("/client/invoices/%d", iid), []string{fmt.Sprintf("Invoice #%d", iid), "Pay Now", "Printable version"}},
		{fmt.Sprintf("/client/invoices/%d/print", iid), []string{fmt.Sprintf("Invoice #%d", iid), `id="print-company">Example Hosting`,
			"1 Main St", "United Kingdom", "Starter", "$26.99 USD", "No payments yet.", "/store/static/print.css"}},
		{"/client/orders", []string{"My Orders", fmt.Sprintf("#%d", a.Own.OrderNumber), "$26.99 USD", fmt.Sprintf("Invoice #%d", iid)}},
		{fmt.Sprintf("/client/orders/%d", a.OwnerID), []string{fmt.Sprintf("Order #%d", a.Own.OrderNumber), "Starter", "ada-site.com",
			fmt.Sprintf(`href="/client/invoices/%d"`, iid)}},
		{"/client/details", []string{"My Details", `name="firstname" value="Ada"`, `<option value="GB" selected>United Kingdom</option>`,
			"Change Password", `name="current_password"`}},
	} {
		code, body := a.Get(ck, c.path)
		require.Equal(t, http.StatusOK, code, "%s: %s", c.path, body)
		for _, w := range c.want {
			require.Contains(t, body, w, c.path)
		}
		require.NotContains(t, body, "eve-site.com", "%s shows another client's things", c.path)
	}
	// The print view is a page of its own: no store navigation, no client-area navigation.
	_, body := a.Get(ck, fmt.Sprintf("/client/invoices/%d/print", iid))
	require.NotContains(t, body, `class="client-nav"`)
	require.NotContains(t, body, `<header class="site">`)
	require.NotContains(t, body, "store.css")
}

// Another client's service, domain, invoice (and its print view) or order is no page for this
// client: the same 404 as an unknown id, and a post to it changes nothing.
func TestAnotherClientsThingsAreNotFound(t *testing.T) {
	a := newArea(t)
	ck := a.SignIn("eve@example.com")
	for _, c := range []struct{ theirs, unknown, msg string }{
		{fmt.Sprintf("/client/services/%d", a.Own.ServiceIDs[0]), "/client/services/999999", "There is no such service in your account."},
		{fmt.Sprintf("/client/domains/%d", a.Own.DomainIDs[0]), "/client/domains/999999", "There is no such domain in your account."},
		{fmt.Sprintf("/client/invoices/%d", a.Own.InvoiceID), "/client/invoices/999999", "There is no such invoice in your account."},
		{fmt.Sprintf("/client/invoices/%d/print", a.Own.InvoiceID), "/client/invoices/999999/print", "There is no such invoice in your account."},
		{fmt.Sprintf("/client/orders/%d", a.OwnerID), "/client/orders/999999", "There is no such order in your account."},
		{"/client/services/x", "/client/services/0", "There is no such service in your account."},
	} {
		code, theirs := a.Get(ck, c.theirs)
		require.Equal(t, http.StatusNotFound, code, c.theirs)
		require.Contains(t, theirs, c.msg)
		code, unknown := a.Get(ck, c.unknown)
		require.Equal(t, http.StatusNotFound, code, c.unknown)
		require.Equal(t, unknown, theirs, "another client's id answers exactly as an unknown one")
	}
	rec := a.Do(ck, "POST", fmt.Sprintf("/client/domains/%d/nameservers", a.Own.DomainIDs[0]),
		url.Values{"ns1": {"ns1.evil.example"}, "ns2": {"ns2.evil.example"}})
	require.Equal(t, http.StatusNotFound, rec.Code)
	d, err := a.Svc.ClientDomain(context.Background(), a.Owner.ID, a.Own.DomainIDs[0])
	require.NoError(t, err)
	require.Equal(t, []string{"ns1.host.example", "ns2.host.example"}, d.Nameservers)
	rec = a.Do(ck, "POST", fmt.Sprintf("/client/invoices/%d/pay", a.Own.InvoiceID), url.Values{})
	require.Equal(t, http.StatusNotFound, rec.Code)

	// Her own lists hold her things only.
	for _, path := range []string{"/client", "/client/services", "/client/domains", "/client/invoices", "/client/orders"} {
		_, body := a.Get(ck, path)
		require.NotContains(t, body, "ada-site.com", path)
		require.NotContains(t, body, fmt.Sprintf("#%d<", a.Own.InvoiceID), path)
	}
}

// A visitor who is not signed in is sent to sign in, and back to the page after.
func TestClientAreaAsksAVisitorToSignIn(t *testing.T) {
	a := newArea(t)
	for _, path := range []string{"/client", "/client/services", "/client/services/1", "/client/domains", "/client/domains/1",
		"/client/invoices", "/client/invoices/1", "/client/invoices/1/print", "/client/orders", "/client/orders/1", "/client/emails",
		"/client/emails/1", "/client/details"} {
		rec := a.Do(nil, "GET", path, nil)
		require.Equal(t, http.StatusSeeOther, rec.Code, path)
		require.Equal(t, "/client/login?next="+url.QueryEscape(path), rec.Header().Get("Location"), path)
	}
	for _, path := range []string{"/client/details", "/client/details/password", "/client/domains/1/nameservers"} {
		rec := a.Do(nil, "POST", path, url.Values{"firstname": {"X"}})
		require.Equal(t, http.StatusSeeOther, rec.Code, path)
		require.True(t, strings.HasPrefix(rec.Header().Get("Location"), "/client/login?next="), path)
	}
}

// My Details: a refusal is shown on its field with everything as typed; saved, the details
// are the client's.
func TestDetailsEditKeepsWhatWasTyped(t *testing.T) {
	a := newArea(t)
	ck := a.SignIn("ada@example.com")
	form := url.Values{"firstname": {"Augusta"}, "lastname": {"King"}, "companyname": {"Analytical Engines"}, "email": {"ada@example.com"},
		"address1": {"12 St James's Square"}, "address2": {"Flat 2"}, "city": {""}, "state": {"London"}, "postcode": {"SW1Y 4JH"},
		"country": {"GB"}, "phonenumber": {"+44 20 7946 0001"}}
	rec := a.Do(ck, "POST", "/client/details", form)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	body := rec.Body.String()
	require.Contains(t, body, `id="city-error" role="alert">You did not enter your city`)
	for _, typed := range []string{`value="Augusta"`, `value="King"`, `value="Analytical Engines"`, `value="12 St James&#39;s Square"`,
		`value="Flat 2"`, `value="SW1Y 4JH"`, `<option value="GB" selected>`, `value="&#43;44 20 7946 0001"`} {
		require.Contains(t, body, typed)
	}

	form.Set("city", "London")
	form.Set("email", "not-an-email")
	rec = a.Do(ck, "POST", "/client/details", form)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, rec.Body.String(), `id="email-error" role="alert">The email address you entered was not valid`)
	require.Contains(t, rec.Body.String(), `value="not-an-email"`)

	form.Set("email", "eve@example.com")
	rec = a.Do(ck, "POST", "/client/details", form)
	require.Equal(t, http.StatusConflict, rec.Code)
	require.Contains(t, rec.Body.String(), `id="email-error" role="alert">A user already exists with that email address`)

	form.Set("email", "augusta@example.com")
	rec = a.Do(ck, "POST", "/client/details", form)
	require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
	require.Equal(t, "/client/details", rec.Header().Get("Location"))
	c, err := a.Svc.Client(context.Background(), a.Owner.ID, "")
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
	ck, elsewhere := a.SignIn("ada@example.com"), a.SignIn("ada@example.com")
	const next = "a much longer passphrase"
	rec := a.Do(ck, "POST", "/client/details/password", url.Values{"current_password": {"wrong password here"},
		"new_password": {next}, "confirm_password": {next}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, rec.Body.String(), `id="current_password-error" role="alert">is not your current password`)
	require.NotContains(t, rec.Body.String(), next, "a password is never sent back")

	rec = a.Do(ck, "POST", "/client/details/password", url.Values{"current_password": {storetest.Password},
		"new_password": {next}, "confirm_password": {next + "!"}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, rec.Body.String(), `id="confirm_password-error" role="alert">`+page.ReasonPasswordsDiffer)

	rec = a.Do(ck, "POST", "/client/details/password", url.Values{"current_password": {storetest.Password},
		"new_password": {"short"}, "confirm_password": {"short"}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, rec.Body.String(), `id="new_password-error" role="alert">must be at least 10 characters`)

	rec = a.Do(ck, "POST", "/client/details/password", url.Values{"current_password": {storetest.Password},
		"new_password": {next}, "confirm_password": {next}})
	require.Equal(t, http.StatusSeeOther, rec.Code, rec.Body.String())
	code, _ := a.Get(ck, "/client/details")
	require.Equal(t, http.StatusOK, code, "this session stays")
	require.Equal(t, http.StatusSeeOther, a.Do(elsewhere, "GET", "/client/details", nil).Code, "the other session ended")
	_, _, err := a.Svc.ClientSignIn(context.Background(), "127.0.0.1", "ada@example.com", next)
	require.NoError(t, err)
}

// Change Nameservers refuses bad input on the field at fault, keeping what was typed, and a
// domain that is not Active; the registrar is never asked from the request.
func TestChangeNameserversRefusals(t *testing.T) {
	a := newArea(t)
	ck := a.SignIn("ada@example.com")
	path := fmt.Sprintf("/client/domains/%d/nameservers", a.Own.DomainIDs[0])
	rec := a.Do(ck, "POST", path, url.Values{"ns1": {"ns1.good.example"}, "ns2": {""}, "ns3": {"not a host!"}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	body := rec.Body.String()
	require.Contains(t, body, `id="ns3-error" role="alert">&#34;not a host!&#34; is not a hostname`)
	require.Contains(t, body, `name="ns1" value="ns1.good.example"`)
	require.Contains(t, body, `name="ns3" value="not a host!"`)

	rec = a.Do(ck, "POST", path, url.Values{"ns1": {"ns1.good.example"}})
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
	require.Contains(t, rec.Body.String(), `id="nameservers-error">at least 2 nameservers required`)

	// A domain not Active has no Change Nameservers, and a post for it is refused.
	require.NoError(t, a.Q.SetDomainStatus(context.Background(), db.SetDomainStatusParams{ID: a.Own.DomainIDs[0],
		Status: order.PendingRegistration, Registrar: "none"}))
	rec = a.Do(ck, "POST", path, url.Values{"ns1": {"ns1.good.example"}, "ns2": {"ns2.good.example"}})
	require.Equal(t, http.StatusConflict, rec.Code)
	require.Contains(t, rec.Body.String(), "This domain is not currently active. Domains cannot be managed unless active.")
	_, body = a.Get(ck, fmt.Sprintf("/client/domains/%d", a.Own.DomainIDs[0]))
	require.NotContains(t, body, `id="nameservers-form"`)
	require.Contains(t, body, `id="not-manageable"`)
}

// The lists come a page of 25 at a time, newest first, with Previous and Next.
func TestClientListsArePaged(t *testing.T) {
	a := newArea(t)
	for i := range 26 {
		a.Place(int64(100+i), a.Owner, fmt.Sprintf("paged-%02d.com", i))
	}
	for i := range 27 {
		a.Email(a.Owner.ID, 0, "ada@example.com", fmt.Sprintf("Email %02d", i), "", true)
	}
	ck := a.SignIn("ada@example.com")
	for _, path := range []string{"/client/services", "/client/domains", "/client/invoices", "/client/orders", "/client/emails"} {
		_, first := a.Get(ck, path)
		require.Equal(t, 25, strings.Count(first, "<tr id="), path)
		require.Contains(t, first, fmt.Sprintf(`href="%s?page=2" rel="next"`, path))
		require.NotContains(t, first, `rel="prev"`)
		_, second := a.Get(ck, path+"?page=2")
		require.Equal(t, 2, strings.Count(second, "<tr id="), path, "27 in all")
		require.Contains(t, second, fmt.Sprintf(`href="%s" rel="prev"`, path))
		require.NotContains(t, second, `rel="next"`)
		_, past := a.Get(ck, path+"?page=9")
		require.Contains(t, past, "There are no more", path)
	}
	_, first := a.Get(ck, "/client/services")
	require.Contains(t, first, "paged-25.com", "the newest first")
	require.NotContains(t, first, "ada-site.com", "the oldest on the last page")
	_, first = a.Get(ck, "/client/emails")
	require.Contains(t, first, "Email 26", "the newest first")
	require.NotContains(t, first, "Email 01<", "the oldest on the last page")
}

// Email History shows the emails sent to the client, newest first, and each as it was sent;
// never one to staff about the client's order, one not sent, or another client's.
func TestEmailHistory(t *testing.T) {
	a := newArea(t)
	ck := a.SignIn("ada@example.com")
	link := fmt.Sprintf("https://shop.host.example/client/invoices/%d", a.Own.InvoiceID)
	body := "Dear Ada,\n\nYour invoice is ready: <b>pay</b> & go.\n\n" + link + "\n"
	invoice := a.Email(a.Owner.ID, a.OwnerID, "ada@example.com", fmt.Sprintf("Customer Invoice #%d", a.Own.InvoiceID), body, true)
	receipt := a.Email(a.Owner.ID, a.OwnerID, "ada@example.com", fmt.Sprintf("Invoice Payment Confirmation #%d", a.Own.InvoiceID), "Thank you.", true)
	staff := a.Email(0, a.OwnerID, "staff@host.example", "New Order Notification", "A new order from Ada.", true)
	unsent := a.Email(a.Owner.ID, a.OwnerID, "ada@example.com", "Not sent yet", "Still at the relay.", false)
	a.Email(a.Other.ID, 0, "eve@example.com", "Eve's own email", "For Eve.", true)

	code, list := a.Get(ck, "/client/emails")
	require.Equal(t, http.StatusOK, code, list)
	for _, want := range []string{"<title>Email History · Example Hosting</title>", "<h1>Email History</h1>", `aria-current="page">Emails`,
		fmt.Sprintf(`href="/client/emails/%d"><strong>Customer Invoice #%d`, invoice, a.Own.InvoiceID),
		fmt.Sprintf(`href="/client/emails/%d"><strong>Invoice Payment Confirmation #%d`, receipt, a.Own.InvoiceID), " UTC</td>"} {
		require.Contains(t, list, want)
	}
	require.Less(t, strings.Index(list, "Invoice Payment Confirmation"), strings.Index(list, "Customer Invoice"), "the newest first")
	require.Equal(t, 2, strings.Count(list, "<tr id="), "only the two sent to her")
	for _, never := range []string{"New Order Notification", "Not sent yet", "Eve&#39;s own email"} {
		require.NotContains(t, list, never)
	}

	code, one := a.Get(ck, fmt.Sprintf("/client/emails/%d", invoice))
	require.Equal(t, http.StatusOK, code, one)
	for _, want := range []string{fmt.Sprintf(`<h1 id="email-subject">Customer Invoice #%d</h1>`, a.Own.InvoiceID),
		`<dd id="email-to">ada@example.com</dd>`, " UTC</dd>", `href="/client/emails">Email History</a>`,
		`<pre class="email-body" id="email-body">Dear Ada,` + "\n\nYour invoice is ready: &lt;b&gt;pay&lt;/b&gt; &amp; go.\n\n" + link,
		`aria-current="page">Emails`} {
		require.Contains(t, one, want)
	}

	// Another client's email, one to staff about her order, one not sent: the same 404 as an
	// unknown id, for her and for Eve alike.
	_, unknown := a.Get(ck, "/client/emails/999999")
	require.Contains(t, unknown, "There is no such email in your account.")
	eve := a.SignIn("eve@example.com")
	for _, c := range []struct {
		who *http.Cookie
		id  int64
	}{{eve, invoice}, {eve, receipt}, {ck, staff}, {ck, unsent}, {eve, staff}} {
		code, body := a.Get(c.who, fmt.Sprintf("/client/emails/%d", c.id))
		require.Equal(t, http.StatusNotFound, code, c.id)
		require.Equal(t, unknown, body, "email %d answers exactly as an unknown id", c.id)
	}
	_, theirs := a.Get(eve, "/client/emails")
	require.Contains(t, theirs, "Eve&#39;s own email")
	require.NotContains(t, theirs, "Customer Invoice")
}
