package integration

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// A new hosting company is set up from an empty database through the console alone, as a
// WHMCS admin would with no manual and no curl: a product group, a cPanel product with prices,
// the WHM server with Test Connection, .com at Namecheap, a gateway's secret, a promotion;
// then a client, an order for them with Add New Order, its payment, the account and the
// domain set up on the sandboxes, a module command on it, and the emails in the log.
func TestConsoleSetsUpACompanyFromScratch(t *testing.T) {
	sb := startSandboxes(t)
	s := newStack(t)
	s.useSandboxes(sb)
	s.startWorker()
	const email, password = "founder@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(context.Background(), email, "Ada Founder", password) // bin/starter admin create
	require.NoError(t, err)
	base := s.api.URL + "/admin"
	b := newBrowser(t)
	b.signIn(base, email, password)

	// Setup → Products/Services: a group, and Starter in it with its prices.
	b.open(base + "/setup")
	b.submit(`.setup-sections a[href$="/setup/products"]`)
	b.submit(`#new-group`)
	b.do(chromedp.SendKeys(chromedp.CSS(`#name`), "Shared Hosting"))
	b.submit(`#save`)
	b.submit(`a[href*="/setup/products/new"]`)
	b.do(chromedp.SendKeys(chromedp.CSS(`#name`), "Starter"), chromedp.SetValue(chromedp.CSS(`#type`), "hostingaccount"),
		chromedp.SetValue(chromedp.CSS(`#module`), "cpanel"), chromedp.SendKeys(chromedp.CSS(`#package_name`), "starter"),
		chromedp.Click(chromedp.CSS(`#auto_setup-payment`)),
		chromedp.SendKeys(chromedp.CSS(`#price-USD-monthly`), "9.99"), chromedp.SendKeys(chromedp.CSS(`#setup-USD-monthly`), "5.00"))
	b.submit(`#save`)
	require.Contains(t, b.text(`p.flash-ok`), "Starter")

	// Servers: the WHM sandbox, and Test Connection.
	b.open(base + "/setup/servers")
	b.submit(`#add-server`)
	b.setValue(`#name`, "whm1")
	b.setValue(`#hostname`, sb.whmHost)
	b.setValue(`#max_accounts`, "100")
	b.setValue(`#credentials`, "whm-token")
	b.do(chromedp.Click(chromedp.CSS(`#tls_skip_verify`)))
	b.submit(`#save-server`)
	b.submit(`#test-connection`)
	require.Contains(t, b.text(`.flash-ok`), "Connected: WHM")

	// Domain Pricing: .com, registered at Namecheap.
	b.open(base + "/setup/tlds")
	b.submit(`#add-tld`)
	b.setValue(`#tld`, "com")
	b.setValue(`#register_price`, "12.00")
	b.setValue(`#transfer_price`, "10.00")
	b.do(chromedp.SetValue(chromedp.CSS(`#auto_registrar`), "namecheap"))
	b.submit(`#save-tld`)
	require.Contains(t, b.text(`.flash-ok`), ".com added")

	// A gateway's webhook secret, and a promotion.
	b.open(base + "/setup/gateways")
	b.setValue(`#name`, "acme")
	b.setValue(`#secret`, "acme-secret-of-the-new-company")
	b.submit(`#gateway-form button[type=submit]`)
	require.Contains(t, b.text(`p.flash-ok`), "saved, sealed")
	b.open(base + "/setup/promotions")
	b.submit(`#add-promotion`)
	b.setValue(`#code`, "WELCOME10")
	b.setValue(`#value`, "10")
	b.submit(`#save-promotion`)
	require.Contains(t, b.text(`.flash-ok`), "WELCOME10")

	// A client, with the address a registrar asks for.
	b.open(base + "/clients/new")
	for sel, v := range map[string]string{`#first_name`: "Grace", `#last_name`: "Hopper", `#email`: "grace@navy.example",
		`#address1`: "1 Harbour Road", `#city`: "Arlington", `#state`: "VA", `#postcode`: "22201", `#phone`: "+1.7035550100",
		`#currency`: "USD"} {
		b.setValue(sel, v)
	}
	b.setValue(`#country`, "US")
	b.submit(`#client-form button[type=submit]`)
	require.Equal(t, "Client Grace Hopper added.", b.text(`p.flash-ok`))

	// Add New Order for her: Starter with its domain, registered; the promotion.
	b.submit(`a.button.primary`) // Add New Order, from her page
	products, err := s.svc.ListProducts(context.Background())
	require.NoError(t, err)
	require.Len(t, products, 1)
	b.choose(`#item-0-domain-type`, "register")
	b.do(chromedp.SetValue(chromedp.CSS(`#item-0-product`), fmt.Sprint(products[0].ID)),
		chromedp.SendKeys(chromedp.CSS(`#item-0-domain`), "hopper-scratch.com"),
		chromedp.SendKeys(chromedp.CSS(`#promo_code`), "WELCOME10"))
	b.submit(`button[value=place]`)
	require.Contains(t, b.text(`p.flash`), "placed; it is Pending.")
	u, err := url.Parse(b.location())
	require.NoError(t, err)
	id, err := strconv.ParseInt(strings.TrimPrefix(u.Path, "/admin/orders/"), 10, 64)
	require.NoError(t, err, u.Path)

	// The bank transfer arrives; the account and the domain are set up on payment.
	b.do(chromedp.SendKeys(chromedp.CSS(`#pay-txn`), "BANK-SCRATCH-1"))
	b.submit(`form.add-payment button`)
	o := s.eventually(id, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
	require.Len(t, o["services"], 1, "%v", o)
	require.Equal(t, "Active", o["services"].([]any)[0].(map[string]any)["status"])
	require.Len(t, sb.whm.Accounts(), 1)
	ncDomain(t, sb, "hopper-scratch.com")

	// A module command from the console, and the order's emails in its log.
	b.open(fmt.Sprintf("%s/orders/%d", base, id))
	b.submit(`#part-items a[href*="/services/"]`)
	b.submit(`#command-suspend button`)
	require.Contains(t, b.text(`p.flash-ok`), "Suspend: done")
	require.True(t, sb.whm.Accounts()[0].Suspended)
	b.open(fmt.Sprintf("%s/orders/%d", base, id))
	require.Eventually(t, func() bool {
		b.open(fmt.Sprintf("%s/orders/%d", base, id))
		return strings.Contains(b.text(`main`), "New Account Information")
	}, 15*time.Second, 500*time.Millisecond, "the welcome email is in the order's log")
	b.screenshot("console-company-order")
	b.noErrors()
}
