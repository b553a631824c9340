package integration

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/order"
)

// TestStorefrontNewCustomerOrders is a new customer's walk through the store in the browser:
// the store, Configure with a cPanel product (a taken name offered for transfer, no domain
// refused, a new .com available at the Namecheap sandbox), the cart, checkout with a new account
// (a refusal shown on its field, what was typed kept), Complete Order, and the order's invoice
// Unpaid with Pay Now. A second customer gets no page for the first one's invoice, and no page
// logs a JavaScript error.
func TestStorefrontNewCustomerOrders(t *testing.T) {
	s, sb, _, productID := sandboxStack(t)
	ctx := context.Background()
	base := s.api.URL
	pid := int64(productID)
	b := newBrowser(t)

	// The store: the product and its price per cycle, Order Now.
	b.open(base + "/store")
	require.Contains(t, b.text(fmt.Sprintf("#product-%d", pid)), "$9.99 USD")
	require.Contains(t, b.text(fmt.Sprintf("#product-%d", pid)), "+ $5.00 USD setup")
	b.screenshot("store-store")
	b.submit(fmt.Sprintf(`#product-%d a.button`, pid))
	require.Equal(t, "Starter", b.text("h1"))

	// A taken name says so and offers the transfer; adding it as a registration is refused on
	// the field.
	b.do(chromedp.SendKeys(chromedp.CSS(`#domain`), "taken-site.com"))
	b.submit(`button[value=check]`)
	require.Contains(t, b.text(`#availability`), "already registered")
	require.Equal(t, 1, b.count(`#transfer-offer`))
	b.submit(`button[value=add]`)
	require.Contains(t, b.text(`#domain-error`), "already registered")
	require.Equal(t, "taken-site.com", b.value(`#domain`), "the form keeps what was typed")

	// A cPanel product goes to no cart without a domain: the cart's refusal is on the field.
	b.open(fmt.Sprintf("%s/store/product/%d", base, pid))
	b.submit(`button[value=add]`)
	require.Contains(t, b.text(`#domain-error`), "needs a domain")

	// With the script, availability is checked as the customer pauses typing: no click, no
	// reload.
	b.open(fmt.Sprintf("%s/store/product/%d", base, pid))
	b.noReload()
	b.do(chromedp.SendKeys(chromedp.CSS(`#domain`), "taken-live.com"))
	b.changes(`(document.querySelector("#availability") || {}).textContent?.includes("taken-live.com is already registered")`,
		"the availability of the name typed")
	require.Equal(t, 1, b.count(`#transfer-offer`))

	// A new .com: available at the registrar, then into the cart.
	b.open(fmt.Sprintf("%s/store/product/%d", base, pid))
	const domain = "shop-walk.com"
	b.do(chromedp.SendKeys(chromedp.CSS(`#domain`), domain))
	b.submit(`button[value=check]`)
	require.Equal(t, domain+" is available: $12.00 USD for 1 year", b.text(`#availability`))
	b.screenshot("store-product")
	b.submit(`button[value=add]`)
	require.True(t, strings.HasSuffix(b.location(), "/cart"), b.location())
	require.Contains(t, b.text(`#cart-lines`), domain)
	require.Equal(t, "$26.99 USD", b.text(`#cart-total`), "9.99 + 5.00 setup + 12.00 for the domain")
	b.screenshot("store-cart")

	// A promotion code typed in the cart changes the total as the customer pauses: no reload.
	// A fixed amount comes off each item, WHMCS's way: 10.00 off the hosting and the domain.
	s.mustCall("POST", "/api/v1/promotions", map[string]any{"code": "LIVE10", "type": "fixed", "value": "10.00", "currency": "USD"}, 201)
	b.noReload()
	b.do(chromedp.SendKeys(chromedp.CSS(`#promo_code`), "LIVE10"))
	b.changes(`document.querySelector("#cart-total").textContent.trim() === "$6.99 USD"`, "the total with the promotion")
	require.Equal(t, "Remove", b.text(`#promo-button button`))
	b.submit(`#promo-button button`)
	require.Equal(t, "$26.99 USD", b.text(`#cart-total`), "the promotion removed")

	// Checkout with a new account: a refusal on its field, what was typed kept but the password.
	b.submit(`#checkout`)
	require.Equal(t, "Checkout", b.text("h1"))
	email := fmt.Sprintf("grace-%d@example.com", pid)
	const password = "correct horse battery"
	// SetValue cannot set "" (chromedp): an empty city is a field left alone.
	fill := func(city string) {
		b.do(chromedp.SetValue(chromedp.CSS(`#firstname`), "Grace"), chromedp.SetValue(chromedp.CSS(`#lastname`), "Hopper"),
			chromedp.SetValue(chromedp.CSS(`#email`), email), chromedp.SetValue(chromedp.CSS(`#password`), password),
			chromedp.SetValue(chromedp.CSS(`#address1`), "1 Compiler Lane"),
			chromedp.SetValue(chromedp.CSS(`#state`), "Greater London"), chromedp.SetValue(chromedp.CSS(`#postcode`), "N1 1AA"),
			chromedp.SetValue(chromedp.CSS(`#country`), "GB"), chromedp.SetValue(chromedp.CSS(`#phonenumber`), "+44 20 7946 0000"))
		if city != "" {
			b.do(chromedp.SetValue(chromedp.CSS(`#city`), city))
		}
	}
	fill("")
	b.screenshot("store-checkout")
	b.submit(`#complete-order`)
	require.Equal(t, "You did not enter your city", b.text(`#city-error`))
	require.Equal(t, "Grace", b.value(`#firstname`))
	require.Equal(t, "GB", b.value(`#country`))
	require.Empty(t, b.value(`#password`), "a password is never sent back")
	fill("London")
	b.do(chromedp.SendKeys(chromedp.CSS(`#notes`), "Please call before setup"))
	b.submit(`#complete-order`)

	// The order's invoice, Unpaid, with Pay Now.
	invoiceURL := b.location()
	u, err := url.Parse(invoiceURL)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(u.Path, "/client/invoices/"), u.Path)
	invoiceID, err := strconv.ParseInt(strings.TrimPrefix(u.Path, "/client/invoices/"), 10, 64)
	require.NoError(t, err)
	require.Equal(t, "Unpaid", b.text(`#invoice-status`))
	require.Equal(t, "$26.99 USD", b.text(`#invoice-total`))
	require.Equal(t, "Pay Now", b.text(`#pay-now`))
	require.Zero(t, b.count(`#bank-transfer`), "no instructions while the setting holds none")
	s.mustCall("PUT", "/api/v1/settings", map[string]any{"bank_transfer_instructions": "Pay into: Host Example Ltd\nIBAN GB33 BUKB 2020 1555 5555 55"}, 200)
	b.open(invoiceURL)
	require.Contains(t, b.text(`#bank-transfer`), "IBAN GB33 BUKB 2020 1555 5555 55", "a bank transfer invoice shows the instructions")
	require.Contains(t, b.text(`#bank-transfer`), fmt.Sprintf("Quote invoice #%d", invoiceID))
	b.screenshot("store-invoice")

	inv, err := s.svc.Invoice(ctx, invoiceID)
	require.NoError(t, err)
	d, err := s.svc.GetOrder(ctx, inv.Invoice.OrderID)
	require.NoError(t, err)
	require.Equal(t, order.Actor(fmt.Sprintf("client:%d", inv.Invoice.ClientID)), d.Events[0].Actor, "placed by the client: %v", d.Events)
	require.Equal(t, "Please call before setup", d.Order.Notes)
	require.Equal(t, "banktransfer", d.Order.PaymentMethod, "the first method is picked by default")
	require.NotEmpty(t, d.Order.ClientIP, "a client-area order carries the client's address: it gets the fraud check")
	require.Len(t, d.Services, 1)
	require.Equal(t, domain, d.Services[0].Domain)
	s.eventually(d.Order.ID, func(o map[string]any) bool { return o["fraud_check"] != nil })
	require.NotEmpty(t, sb.mf.Requests(), "minFraud was asked")
	cl, err := s.svc.Client(ctx, inv.Invoice.ClientID, "")
	require.NoError(t, err)
	require.Equal(t, email, cl.Email)
	require.Equal(t, "GB", cl.Country)

	// The cart is empty after checkout.
	b.open(base + "/cart")
	require.Contains(t, b.text("main"), "Your cart is empty.")

	// A second customer cannot open the first one's invoice: no such page for them.
	other := newBrowser(t)
	other.register(base, "Eve", fmt.Sprintf("eve-%d@fraud-example.com", pid), password)
	other.open(invoiceURL)
	require.Equal(t, int64(404), other.statusOf(invoiceURL))
	require.Equal(t, "There is no such invoice in your account.", other.text(`#error-message`))

	// Her own order scores over the fraud threshold (the minFraud sandbox's fraud… domains): her
	// invoice shows a neutral message and no payment page.
	other.open(fmt.Sprintf("%s/store/product/%d", base, pid))
	other.do(chromedp.SendKeys(chromedp.CSS(`#domain`), "eve-walk.com"))
	other.submit(`button[value=add]`)
	other.submit(`#checkout`)
	require.Contains(t, other.text(`main`), "Ordering as Eve Lovelace")
	other.submit(`#complete-order`)
	eveInvoice := other.location()
	require.Contains(t, eveInvoice, "/client/invoices/")
	eveID, err := strconv.ParseInt(eveInvoice[strings.LastIndex(eveInvoice, "/")+1:], 10, 64)
	require.NoError(t, err)
	eve, err := s.svc.Invoice(ctx, eveID)
	require.NoError(t, err)
	s.eventually(eve.Invoice.OrderID, func(o map[string]any) bool { return o["status"] == string(order.Fraud) })
	other.open(eveInvoice)
	require.Contains(t, other.text(`#order-review`), "needs a quick check by our team")
	require.Zero(t, other.count(`#pay-now`), "no payment page for an order the fraud check stopped")

	b.noErrors()
	other.noErrors()
}

// register opens an account on the client area's registration form, with an address in the
// United Kingdom, and lands on the client area's home.
func (b *browser) register(base, firstName, email, password string) {
	b.t.Helper()
	b.open(base + "/client/register")
	b.do(chromedp.SetValue(chromedp.CSS(`#firstname`), firstName), chromedp.SetValue(chromedp.CSS(`#lastname`), "Lovelace"),
		chromedp.SetValue(chromedp.CSS(`#email`), email), chromedp.SetValue(chromedp.CSS(`#password`), password),
		chromedp.SetValue(chromedp.CSS(`#address1`), "1 Analytical Way"), chromedp.SetValue(chromedp.CSS(`#city`), "London"),
		chromedp.SetValue(chromedp.CSS(`#state`), "Greater London"), chromedp.SetValue(chromedp.CSS(`#postcode`), "N1 1AA"),
		chromedp.SetValue(chromedp.CSS(`#country`), "GB"), chromedp.SetValue(chromedp.CSS(`#phonenumber`), "+44 20 7946 0000"))
	b.submit(`#register-form button[type=submit]`)
	require.Equal(b.t, "Welcome back, "+firstName, b.text("h1"))
}

// A customer orders hosting with a domain transferred in (its EPP code); the admin cancels the
// unpaid order, so the invoice asks for nothing; the admin sets it back to pending, and the
// customer pays it from the client area "as normal", on the Stripe stand-in's page. The
// payment sets it up: the transfer is at the Namecheap sandbox, and My Domains shows it.
func TestStorefrontTransferPaidAfterSetBackToPending(t *testing.T) {
	s, sb, _, productID := sandboxStack(t)
	_, stand := s.useStripeStandIn("sk_test_transfer_0123456789")
	base := s.api.URL
	b := newBrowser(t)
	b.register(base, "Grace", fmt.Sprintf("grace-transfer-%d@example.com", int64(productID)), "correct horse battery")

	// Configure: Transfer your domain, with its EPP code; the cart prices the transfer.
	const domain = "taken-moving-in.com" // registered elsewhere, as a transfer is
	b.open(fmt.Sprintf("%s/store/product/%d", base, int64(productID)))
	b.do(chromedp.Click(chromedp.CSS(`input[name=domain_action][value=transfer]`)), chromedp.SendKeys(chromedp.CSS(`#domain`), domain),
		chromedp.SendKeys(chromedp.CSS(`#epp_code`), "EPP-moving-1234"))
	b.submit(`button[value=add]`)
	require.Contains(t, b.text(`#cart-lines`), domain+" · transfer")
	require.Equal(t, "$24.99 USD", b.text(`#cart-total`), "9.99 + 5.00 setup + 10.00 for the transfer")
	b.submit(`#checkout`)
	b.submit(`#complete-order`)
	invoiceURL := b.location()
	invoiceID, err := strconv.ParseInt(invoiceURL[strings.LastIndex(invoiceURL, "/")+1:], 10, 64)
	require.NoError(t, err, invoiceURL)
	inv, err := s.svc.Invoice(t.Context(), invoiceID)
	require.NoError(t, err)
	orderID := inv.Invoice.OrderID
	require.Equal(t, "Unpaid", b.text(`#invoice-status`))

	// Cancelled while unpaid: nothing to pay.
	s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/cancel", orderID), nil, 200)
	b.open(invoiceURL)
	require.Equal(t, "Cancelled", b.text(`#invoice-status`))
	require.Zero(t, b.count(`#pay-now`))

	// Set Back to Pending: Unpaid again, and the customer pays it as normal.
	s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/pending", orderID), nil, 200)
	b.open(invoiceURL)
	require.Equal(t, "Unpaid", b.text(`#invoice-status`))
	b.payOnStandIn(stand.URL, invoiceURL, "24.99 USD", "store-stripe-stand-in")

	// Set up on payment: the transfer is at the registrar, and the customer sees the domain.
	s.eventually(orderID, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
	transfers := sb.nc.Transfers()
	require.Len(t, transfers, 1)
	require.Equal(t, domain, transfers[0].Domain)
	b.open(base + "/client/domains")
	require.Contains(t, b.text(`#domains tbody tr`), domain)
	b.noErrors()
}

// noReload marks the open page, so that changes can tell it was not reloaded.
func (b *browser) noReload() {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.notReloaded = true`))
	require.NoError(b.t, err)
}

// screenshot saves the page as docs/screenshots/<name>.png when HOSTFLOW_SCREENSHOTS names
// the directory (the docs' pictures are taken this way); otherwise it does nothing.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("HOSTFLOW_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	require.NoError(b.t, err)
	require.NoError(b.t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
}
