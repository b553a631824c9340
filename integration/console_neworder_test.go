package integration

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/order"
)

// TestConsoleAddsAnOrderAndAcceptsItOnWHM is a newcomer's walk in the browser: from the
// client's page to Add New Order, the total before placing, then the order paid and accepted
// with per-item options, the account created on the WHM sandbox with the admin's username and
// the domain registered at the Namecheap sandbox.
func TestConsoleAddsAnOrderAndAcceptsItOnWHM(t *testing.T) {
	s, sb, clientID, _ := sandboxStack(t)
	ctx := context.Background()
	// A cPanel product set up when the admin accepts, as WHMCS's "Automatically setup the
	// product when you manually accept a pending order".
	business := s.mustCall("POST", "/api/v1/products", map[string]any{"name": "Business", "type": "hostingaccount", "module": "cpanel",
		"package_name": "business", "auto_setup": "accept", "server_group": "uk",
		"prices": []map[string]any{{"currency": "USD", "billing_cycle": "annually", "price": "120.00", "setup_fee": "0"}}}, 201)
	s.mustCall("PUT", "/api/v1/settings", map[string]any{"cancel_unpaid_after_days": "7"}, 200)
	const email, password = "walk@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(ctx, email, "Walk", password)
	require.NoError(t, err)
	c, err := s.svc.Client(ctx, int64(clientID), "")
	require.NoError(t, err)
	base := s.api.URL + "/admin"
	b := newBrowser(t)
	b.signIn(base, email, password)

	// Search as you type: the client box offers the clients whose name starts with "Ada L".
	b.open(base + "/orders/new")
	require.Equal(t, "Add New Order", b.text(`h1`))
	b.do(chromedp.SendKeys(chromedp.CSS(`#client`), "Ada L"))
	_, err = chromedp.Run(b.ctx, chromedp.Poll[bool](fmt.Sprintf(`[...document.querySelectorAll("#client-options option")].some(o => o.value.startsWith("#%d "))`, c.ID),
		chromedp.WithPollingTimeout(5_000_000_000)))
	require.NoError(t, err, "the client box never offered Ada")

	// Placing with nothing in it is refused on the form, never an error page; "Ada L" is
	// one client, so it is the client meant.
	b.submit(`button[value=place]`)
	require.Equal(t, "items: an order needs at least one product or domain", b.text(`#order-error`))
	require.Equal(t, "Ada L", b.value(`#client`))

	// From the client's page, the client is chosen already.
	b.open(fmt.Sprintf("%s/clients/%d", base, c.ID))
	b.submit(`a.button.primary`)
	require.Equal(t, "Add New Order", b.text(`h1`))
	require.True(t, strings.HasPrefix(b.value(`#client`), fmt.Sprintf("#%d Ada Lovelace", c.ID)), b.value(`#client`))

	// A product for a year with its domain, typed once and registered for two years.
	const domain = "walk-site.com"
	b.choose(`#item-0-domain-type`, "register") // shows the period and nameservers
	b.do(chromedp.SetValue(chromedp.CSS(`#item-0-product`), fmt.Sprint(int64(business["id"].(float64)))),
		chromedp.SetValue(chromedp.CSS(`#item-0-cycle`), string(order.Annually)),
		chromedp.SendKeys(chromedp.CSS(`#item-0-domain`), domain),
		chromedp.SetValue(chromedp.CSS(`#item-0-period`), "2"),
		chromedp.SendKeys(chromedp.CSS(`#item-0-ns`), "ns1.walk.example, ns2.walk.example"),
		chromedp.SendKeys(chromedp.CSS(`#notes`), "Phoned in"))
	// The summary follows the form (console.js); Calculate Total does the same without it.
	_, err = chromedp.Run(b.ctx, chromedp.Poll[bool](`(document.querySelector("#quote-total")||{}).textContent === "144.00 USD"`,
		chromedp.WithPollingTimeout(5_000_000_000)))
	require.NoError(t, err, "the total never followed the form: %s", b.text(`#order-total`))
	b.submit(`button[value=preview]`)
	require.Equal(t, "144.00 USD", b.text(`#quote-total`), "120.00 for the year and 2 × 12.00 for the domain")
	require.Contains(t, b.text(`#order-total`), "Business — walk-site.com (Annually)")
	// A second product row, left empty, is no part of the order.
	b.submit(`button[value=add-product]`)
	require.Equal(t, 1, b.count(`#item-1-product`))
	require.Equal(t, domain, b.value(`#item-0-domain`), "the form keeps what was typed")

	b.submit(`button[value=place]`)
	flash := b.text(`p.flash`)
	require.Contains(t, flash, "placed; it is Pending.")
	u, err := url.Parse(b.location())
	require.NoError(t, err)
	id, err := strconv.ParseInt(strings.TrimPrefix(u.Path, "/admin/orders/"), 10, 64)
	require.NoError(t, err, u.Path)
	// Unpaid, it says when it cancels itself, as its workflow's timer has it.
	require.Contains(t, b.text(`#unpaid-cancel`), "(in 7 days)")
	d, err := s.svc.GetOrder(ctx, id)
	require.NoError(t, err)
	require.Equal(t, int64(14400), d.Order.Amount)
	require.Equal(t, "Phoned in", d.Order.Notes)
	require.Equal(t, order.Admin(email), d.Events[0].Actor, "placed by the admin: %v", d.Events)
	require.Len(t, d.Services, 1)
	require.Len(t, d.Domains, 1)
	require.Equal(t, []string{"ns1.walk.example", "ns2.walk.example"}, d.Domains[0].Nameservers)

	// The bank transfer arrives: Add Payment on the invoice, the balance by default.
	b.do(chromedp.SendKeys(chromedp.CSS(`#pay-txn`), "BANK-REF-1"))
	b.submit(`form.add-payment button`)
	require.Equal(t, "Payment of 144.00 USD added; the invoice is Paid, balance 0.00.", b.text(`p.flash`))
	s.eventually(id, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
	d, err = s.svc.GetOrder(ctx, id)
	require.NoError(t, err)
	require.Len(t, d.Invoice.Transactions, 1)
	require.Equal(t, "BANK-REF-1", d.Invoice.Transactions[0].TransactionID)
	require.Equal(t, d.Order.PaymentMethod, d.Invoice.Transactions[0].Gateway, "the order's payment method by default")

	// Accept Order with the per-item options: the server, a username, Run Module Create. The
	// domain went to Namecheap on payment (.com's registrar), so it takes no options.
	b.open(fmt.Sprintf("%s/orders/%d", base, id))
	require.Zero(t, b.count(`form.add-payment`), "a paid invoice takes no more payments here")
	b.submit(`a.button.primary`)
	require.Contains(t, b.text(`h1`), "Accept Order")
	svc := fmt.Sprintf("svc-%d-", d.Services[0].ID)
	require.Contains(t, b.text(fmt.Sprintf(`#accept-domain-%d`, d.Domains[0].ID)), "already: Accept Order leaves it as it is")
	servers, err := s.svc.ListServers(ctx)
	require.NoError(t, err)
	b.do(chromedp.SetValue(chromedp.CSS("#"+svc+"server"), fmt.Sprint(servers[0].ID)),
		chromedp.SendKeys(chromedp.CSS("#"+svc+"username"), "walkweb"))
	require.Equal(t, 1, b.count("#"+svc+"create:checked"), "Run Module Create is ticked")
	b.submit(`form.accept button[type=submit]`)
	require.Equal(t, "Order accepted; it is Active.", b.text(`p.flash`))
	require.Contains(t, b.text(fmt.Sprintf(`#service-%d`, d.Services[0].ID)), "walkweb")

	var created bool
	for _, a := range sb.whm.Accounts() {
		created = created || a.User == "walkweb" && a.Domain == domain
	}
	require.True(t, created, "the WHM sandbox has the account: %v", sb.whm.Accounts())
	var registered bool
	for _, nd := range sb.nc.Domains() {
		registered = registered || nd.Name == domain
	}
	require.True(t, registered, "Namecheap's sandbox has the domain: %v", sb.nc.Domains())
	b.noErrors()
}
