package integration

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// TestClientAreaWalk is a customer's walk through the client area in a headless Chromium after
// their first order: they register, order a cPanel product with a new .com, the order is paid
// on the Stripe stand-in's page (set up on payment: the WHM sandbox's account, the Namecheap
// sandbox's domain) and accepted;
// then Home, My Services and a service, My Domains and Change Nameservers (a refusal on its
// field, then the new nameservers at the Namecheap sandbox), My Invoices, an invoice and its
// print view, My Orders and an order, Email History and the invoice's email, My Details (a
// refusal, an edit, Change Password), sign out and in with the new password, and a password
// reset by the emailed link. No page logs a JavaScript error.
func TestClientAreaWalk(t *testing.T) {
	s, sb, _, productID := sandboxStack(t)
	base := s.api.URL
	pid := int64(productID)
	b := newBrowser(t)

	// Register, and order Starter with a new .com.
	email := fmt.Sprintf("ada-walk-%d@example.com", pid)
	const password, domain = "correct horse battery", "client-walk.com"
	b.register(base, "Ada", email, password)
	require.Contains(t, b.text(`#home-services`), "You have no active services yet.")
	b.open(fmt.Sprintf("%s/store/product/%d", base, pid))
	b.do(chromedp.SendKeys(chromedp.CSS(`#domain`), domain))
	b.submit(`button[value=add]`)
	b.submit(`#checkout`)
	b.submit(`#complete-order`)
	invoiceURL := b.location()
	invoiceID, err := strconv.ParseInt(invoiceURL[strings.LastIndex(invoiceURL, "/")+1:], 10, 64)
	require.NoError(t, err, invoiceURL)
	inv, err := s.svc.Invoice(t.Context(), invoiceID)
	require.NoError(t, err)
	orderID := inv.Invoice.OrderID

	// Unpaid: the home page asks for it, Pay Now leads to the invoice.
	b.open(base + "/client")
	require.Contains(t, b.text(`#home-invoices`), fmt.Sprintf("Invoice #%d", invoiceID))
	require.Contains(t, b.text(`main`), "balance due of $26.99 USD")
	b.submit(`#home-invoices a.button`)
	require.Equal(t, "Pay Now", b.text(`#pay-now`))

	// Pay Now: the Stripe stand-in's hosted page, Pay; back on the invoice, it shows Paid
	// (the stand-in's signed checkout.session.completed, verified by /webhooks/stripe) without
	// a reload, and the account and the domain are set up on payment. Then the admin accepts
	// the order.
	_, stand := s.useStripeStandIn("sk_test_walk_0123456789")
	b.payOnStandIn(stand.URL, fmt.Sprintf("%s/client/invoices/%d", base, invoiceID), "26.99 USD", "client-stripe-stand-in")
	require.Contains(t, b.text(`#transactions`), "$26.99 USD")
	s.eventually(orderID, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
	s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/accept", orderID), nil, 200)
	o := s.eventually(orderID, func(o map[string]any) bool { return o["status"] == "Active" })
	username := o["services"].([]any)[0].(map[string]any)["username"].(string)
	require.NotEmpty(t, username)
	require.Len(t, sb.whm.Accounts(), 1, "the account is on the WHM sandbox")
	require.Equal(t, domain, sb.whm.Accounts()[0].Domain)

	// The emails: to the customer the order's, the invoice, its receipt, the welcome and the
	// registration; none of them twice.
	want := []string{fmt.Sprintf("Customer Invoice #%d", invoiceID), fmt.Sprintf("Invoice Payment Confirmation #%d", invoiceID),
		"New Account Information: " + domain, "Domain Registration Confirmation: " + domain}
	require.Eventually(t, func() bool {
		got := map[string]int{}
		for _, m := range sb.mail.Messages() {
			if slices.Contains(m.To, email) {
				got[m.Subject]++
			}
		}
		for _, w := range want {
			if got[w] != 1 {
				return false
			}
		}
		return true
	}, 10*time.Second, 50*time.Millisecond, "the customer's emails, each once")

	// Home: the active service and domain, nothing unpaid, the order Active.
	b.open(base + "/client")
	require.Equal(t, "1", b.text(`#stat-services`))
	require.Equal(t, "1", b.text(`#stat-domains`))
	require.Equal(t, "0", b.text(`#stat-invoices`))
	require.Contains(t, b.text(`#home-services`), "Starter")
	require.Contains(t, b.text(`#home-domains`), domain)
	require.Contains(t, b.text(`#home-invoices`), "You have no unpaid invoices.")
	require.Contains(t, b.text(`#home-orders`), "Active")
	require.Equal(t, "Home", b.text(`.client-nav a[aria-current=page]`))
	b.screenshot("client-home")

	// My Services and the service.
	b.submit(`#home-services header a`)
	require.Equal(t, "My Services", b.text("h1"))
	row := b.text(`#services tbody tr`)
	for _, want := range []string{"Starter", domain, sb.whmHost, username, "Monthly", "$9.99 USD", "Active"} {
		require.Contains(t, row, want)
	}
	b.screenshot("client-services")
	b.submit(`#services tbody a`)
	require.Contains(t, b.text(`#service-details`), sb.whmHost)
	require.Equal(t, username, b.text(`#service-username`))
	b.screenshot("client-service")

	// My Domains, and Change Nameservers: a bad name refused on its field with what was typed,
	// then two good ones, stated at the Namecheap sandbox by the order's workflow.
	b.open(base + "/client/domains")
	require.Contains(t, b.text(`#domains tbody tr`), domain)
	require.Equal(t, "Domains", b.text(`.client-nav a[aria-current=page]`))
	b.screenshot("client-domains")
	b.submit(`#domains tbody a`)
	require.Equal(t, domain, b.text("h1"))
	b.do(chromedp.SetValue(chromedp.CSS(`#ns1`), "ns1.walk-dns.example"), chromedp.SetValue(chromedp.CSS(`#ns2`), "not a host!"))
	b.submit(`#change-nameservers`)
	require.Contains(t, b.text(`#ns2-error`), "is not a hostname")
	require.Equal(t, "not a host!", b.value(`#ns2`))
	require.Equal(t, "ns1.walk-dns.example", b.value(`#ns1`))
	b.screenshot("client-domain-refused")
	b.do(chromedp.SetValue(chromedp.CSS(`#ns2`), "ns2.walk-dns.example"))
	b.submit(`#change-nameservers`)
	require.Contains(t, b.text(`p.flash-ok`), "Your nameservers were changed")
	require.Equal(t, "ns1.walk-dns.example\nns2.walk-dns.example", b.text(`#current-nameservers`))
	var at []string
	for _, d := range sb.nc.Domains() {
		if d.Name == domain {
			at = d.Nameservers
		}
	}
	require.Equal(t, []string{"ns1.walk-dns.example", "ns2.walk-dns.example"}, at, "the registrar holds the new nameservers")
	b.screenshot("client-domain")

	// My Invoices: Paid; the invoice and its print view.
	b.open(base + "/client/invoices")
	require.Contains(t, b.text(fmt.Sprintf("#invoice-%d", invoiceID)), "Paid")
	b.screenshot("client-invoices")
	b.submit(fmt.Sprintf("#invoice-%d a", invoiceID))
	require.Equal(t, "Paid", b.text(`#invoice-status`))
	b.submit(`#print-view`)
	require.Equal(t, fmt.Sprintf("Invoice #%d", invoiceID), b.text("h1"))
	require.Equal(t, "hostflow", b.text(`#print-company`))
	require.Contains(t, b.text(`#print-address`), "1 Analytical Way")
	require.Contains(t, b.text(`#print-address`), "United Kingdom")
	require.True(t, strings.EqualFold("Paid", b.text(`#print-status`)), b.text(`#print-status`))
	require.Contains(t, b.text(`#print-transactions`), "Credit Card")
	require.Contains(t, b.text(`#print-transactions`), "pi_", "the payment intent Stripe paid with")
	require.Equal(t, "$0.00 USD", b.text(`#print-balance`))
	require.Zero(t, b.count(`.client-nav`), "no navigation on the print view")
	require.Equal(t, "Print", b.text(`#print-now`), "the script offers a Print button")
	b.screenshot("client-invoice-print")
	b.submit(`#back-to-invoice`)

	// My Orders and the order, linked to its invoice.
	b.open(base + "/client/orders")
	row = b.text(fmt.Sprintf("#order-%d", orderID))
	require.Contains(t, row, "Active")
	require.Contains(t, row, fmt.Sprintf("Invoice #%d", invoiceID))
	b.screenshot("client-orders")
	b.submit(fmt.Sprintf("#order-%d a", orderID))
	require.Contains(t, b.text(`#order-items`), domain)
	require.Equal(t, fmt.Sprintf("#%d", invoiceID), b.text(`#order-invoice`))
	b.screenshot("client-order")

	// Email History: the emails sent to the customer, the invoice's and its receipt among them
	// (listed once marked sent, a moment after the relay took them); the invoice's as it was
	// sent, with the invoice's link.
	invoiceMail, receiptMail := fmt.Sprintf("Customer Invoice #%d", invoiceID), fmt.Sprintf("Invoice Payment Confirmation #%d", invoiceID)
	b.open(base + "/client/emails")
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(b.text("main"), receiptMail) && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		b.open(base + "/client/emails")
	}
	require.Equal(t, "Email History", b.text("h1"))
	require.Equal(t, "Emails", b.text(`.client-nav a[aria-current=page]`))
	list := b.text(`#emails tbody`)
	require.Contains(t, list, invoiceMail)
	require.Contains(t, list, receiptMail)
	require.Less(t, strings.Index(list, receiptMail), strings.Index(list, invoiceMail), "the newest first")
	b.screenshot("client-emails")
	row, err = chromedp.Run(b.ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`[...document.querySelectorAll("#emails tbody tr")].find(r => r.textContent.includes(%q)).id`, invoiceMail)))
	require.NoError(t, err)
	b.submit("#" + row + " td a")
	require.Equal(t, invoiceMail, b.text("h1"))
	require.Equal(t, email, b.text(`#email-to`))
	require.Contains(t, b.text(`#email-body`), fmt.Sprintf("%s/client/invoices/%d", testPublicURL, invoiceID), "the invoice's link")
	b.screenshot("client-email")

	// My Details: a refusal on its field (an address the browser takes and the rule does not),
	// what was typed kept; then saved.
	b.open(base + "/client/details")
	b.do(chromedp.SetValue(chromedp.CSS(`#companyname`), "Analytical Engines Ltd"), chromedp.SetValue(chromedp.CSS(`#email`), "ada@localhost"))
	b.submit(`#save-details`)
	require.Equal(t, "The email address you entered was not valid", b.text(`#email-error`))
	require.Equal(t, "Analytical Engines Ltd", b.value(`#companyname`))
	b.do(chromedp.SetValue(chromedp.CSS(`#email`), email))
	b.submit(`#save-details`)
	require.Equal(t, "Your details were saved.", b.text(`p.flash-ok`))
	require.Equal(t, "Analytical Engines Ltd", b.value(`#companyname`))
	b.screenshot("client-details")

	// Change Password: the wrong current password is refused; the right one changes it.
	const newPassword = "a much longer passphrase"
	b.do(chromedp.SetValue(chromedp.CSS(`#current_password`), "not my password"), chromedp.SetValue(chromedp.CSS(`#new_password`), newPassword),
		chromedp.SetValue(chromedp.CSS(`#confirm_password`), newPassword))
	b.submit(`#change-password`)
	require.Equal(t, "is not your current password", b.text(`#current_password-error`))
	require.Empty(t, b.value(`#new_password`), "a password is never sent back")
	b.do(chromedp.SetValue(chromedp.CSS(`#current_password`), password), chromedp.SetValue(chromedp.CSS(`#new_password`), newPassword),
		chromedp.SetValue(chromedp.CSS(`#confirm_password`), newPassword))
	b.submit(`#change-password`)
	require.Contains(t, b.text(`p.flash-ok`), "Your password was changed.")

	// Sign out, and in with the new password.
	b.submit(`.client-nav .signout button`)
	require.Equal(t, "You are signed out.", b.text(`p.flash-ok`))
	b.open(base + "/client/details")
	require.Contains(t, b.location(), "/client/login?next=")
	b.do(chromedp.SendKeys(chromedp.CSS(`#email`), email), chromedp.SendKeys(chromedp.CSS(`#password`), newPassword))
	b.submit(`form button[type=submit]`)
	require.True(t, strings.HasSuffix(b.location(), "/client/details"), b.location())
	require.Equal(t, "Analytical Engines Ltd", b.value(`#companyname`))
	b.submit(`.client-nav .signout button`)

	// Forgot password: the neutral answer, and the emailed link opens the reset page.
	b.open(base + "/client/login")
	b.screenshot("client-login")
	b.submit(`#forgot-password`)
	b.screenshot("client-password-reset")
	b.do(chromedp.SendKeys(chromedp.CSS(`#email`), email))
	b.submit(`#send-reset`)
	require.Contains(t, b.text(`p.flash-ok`), "If an account exists for that address, we sent an email")
	reset := waitForMail(t, sb.mail, email, "Your password reset link")
	link := resetLink.FindString(reset.Body)
	require.True(t, strings.HasPrefix(link, testPublicURL+"/client/reset?token="), reset.Body)
	u, err := url.Parse(link)
	require.NoError(t, err)
	b.open(base + u.RequestURI())
	require.Equal(t, 1, b.count(`#reset-form`), "the emailed link opens the reset page")
	b.screenshot("client-reset")
	const resetPassword = "reset by the emailed link"
	b.do(chromedp.SetValue(chromedp.CSS(`#password`), resetPassword), chromedp.SetValue(chromedp.CSS(`#confirm_password`), resetPassword))
	b.submit(`#set-password`)
	require.Equal(t, "Your password was changed. Sign in with your new password.", b.text(`p.flash-ok`))
	b.do(chromedp.SendKeys(chromedp.CSS(`#email`), email), chromedp.SendKeys(chromedp.CSS(`#password`), resetPassword))
	b.submit(`form button[type=submit]`)
	require.Equal(t, "Welcome back, Ada", b.text("h1"))
	b.open(base + u.RequestURI())
	require.Contains(t, b.text(`#reset-invalid`), "invalid or has expired", "the link works once")

	b.noErrors()
}

// payOnStandIn pays the open invoice page (invoiceURL) as a customer does: Pay Now, the Stripe
// stand-in's hosted page (at standIn) asking for amount, Pay; back on the invoice, it shows
// Paid without a reload (the stand-in's signed checkout.session.completed, verified by
// /webhooks/stripe), with no Pay Now left. shot names the stand-in page's screenshot.
func (b *browser) payOnStandIn(standIn, invoiceURL, amount, shot string) {
	b.t.Helper()
	b.submit(`#pay-now`)
	b.do(chromedp.WaitVisible(chromedp.CSS(`button.pay`)))
	require.True(b.t, strings.HasPrefix(b.location(), standIn), b.location())
	require.Contains(b.t, b.text(`body`), amount)
	b.screenshot(shot)
	b.submit(`button.pay`)
	require.Equal(b.t, invoiceURL+"?paid=1", b.location())
	b.noReload()
	b.changes(`(document.querySelector("#invoice-status") || {}).textContent?.trim() === "Paid"`, "the invoice Paid")
	require.Zero(b.t, b.count(`#pay-now`))
}
