package integration

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	ncsandbox "github.com/hostflow/hostflow/sandbox/namecheap"
	"github.com/hostflow/hostflow/sandbox/whm"
)

// An admin runs every module command and every registrar command from the console, against
// the WHM and Namecheap sandboxes: each through the order's workflow, each in the audit trail;
// a command the panel or the registrar refuses is red with its words; the ones that end an
// account or spend money ask first.
func TestConsoleItemCommands(t *testing.T) {
	s, sb, clientID, productID := sandboxStack(t)
	ctx := context.Background()
	const email, password = "grace@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(ctx, email, "Grace Hopper", password)
	require.NoError(t, err)

	// A paid order, set up on payment: an account on WHM and a domain at Namecheap.
	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "item-cmds.com"), 201)
	id := int64(placed["order_id"].(float64))
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", int64(placed["invoice_id"].(float64))),
		map[string]any{"transaction_id": "bank-items"}, 201)
	o := s.eventually(id, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
	user := o["services"].([]any)[0].(map[string]any)["username"].(string)
	// An unpaid order with a domain to register and one to transfer in, left for the admin.
	second := s.mustCall("POST", "/api/v1/orders", map[string]any{"client_id": clientID, "payment_method": "banktransfer",
		"domains": []map[string]any{{"domain": "by-hand.com", "type": "register", "period": 1},
			{"domain": "moving-in.com", "type": "transfer", "period": 1, "epp_code": "EPP-order"}}}, 201)
	secondID := int64(second["order_id"].(float64))

	base := s.api.URL + "/admin"
	b := newBrowser(t)
	b.signIn(base, email, password)
	b.open(fmt.Sprintf("%s/orders/%d", base, id))
	b.submit(`#part-items a[href*="/services/"]`)
	require.Contains(t, b.text(`h1`), "Service item-cmds.com (Starter)")
	require.Equal(t, 6, b.count(`#part-commands form.command`), "Create, Suspend, Unsuspend, Terminate, Change Package, Change Password")
	servicePage := b.location()

	b.do(chromedp.SendKeys(chromedp.CSS(`#suspend-reason`), "Overdue on payment"))
	b.submit(`#command-suspend button`)
	require.Contains(t, b.text(`p.flash-ok`), "Suspend: done for service item-cmds.com")
	require.Contains(t, b.text(`#item-status`), "Suspended")
	account := whmAccount(t, sb, user)
	require.True(t, account.Suspended)
	require.Equal(t, "Overdue on payment", account.Reason)

	b.submit(`#command-unsuspend button`)
	require.Contains(t, b.text(`#item-status`), "Active")
	require.False(t, whmAccount(t, sb, user).Suspended)

	// A package the panel does not have: red, in WHM's words; the account keeps its package.
	b.do(chromedp.SendKeys(chromedp.CSS(`#new-package`), "platinum"))
	b.submit(`#command-change-package button`)
	require.Contains(t, b.text(`p.flash-error`), "Change Package failed: changepackage: Specified package “platinum” does not exist.")
	require.Zero(t, b.count(`p.flash-ok`))
	b.screenshot("console-item-commands")
	require.Equal(t, "starter", whmAccount(t, sb, user).Plan)
	b.do(chromedp.SendKeys(chromedp.CSS(`#new-package`), "business"))
	b.submit(`#command-change-package button`)
	require.Contains(t, b.text(`p.flash-ok`), "Change Package: done")
	require.Equal(t, "business", whmAccount(t, sb, user).Plan)

	b.do(chromedp.SendKeys(chromedp.CSS(`#new-password`), "N3w-Passw0rd-for-WHM"))
	b.submit(`#command-change-password button`)
	require.Contains(t, b.text(`p.flash-ok`), "Change Password: done")
	require.Equal(t, "N3w-Passw0rd-for-WHM", sb.whm.Password(user))

	// Terminate asks first, saying what goes; No goes back and ends nothing.
	b.submit(`#command-terminate button`)
	require.Contains(t, b.text(`.warning`), "will be removed from its server")
	b.screenshot("console-item-terminate")
	b.submit(`form.confirm a`)
	require.Equal(t, servicePage, b.location())
	require.NotEmpty(t, sb.whm.Accounts())
	b.submit(`#command-terminate button`)
	b.submit(`form.confirm button[type=submit]`)
	require.Contains(t, b.text(`p.flash-ok`), "Terminate: done")
	require.Contains(t, b.text(`#item-status`), "Terminated")
	require.Empty(t, sb.whm.Accounts())

	// The domain's Registrar Commands.
	b.open(fmt.Sprintf("%s/orders/%d", base, id))
	b.submit(`#part-domains a[href*="/domains/"]`)
	require.Contains(t, b.text(`h1`), "Domain item-cmds.com")
	require.Equal(t, 4, b.count(`#part-commands form.command`), "Register, Transfer, Renew, Modify Nameservers")
	b.screenshot("console-item-domain")
	b.do(chromedp.SetValue(chromedp.CSS(`#ns1`), "ns1.new-host.example"), chromedp.SetValue(chromedp.CSS(`#ns2`), "ns2.new-host.example"))
	b.submit(`#command-nameservers button`)
	require.Contains(t, b.text(`p.flash-ok`), "Modify Nameservers: done")
	require.Equal(t, []string{"ns1.new-host.example", "ns2.new-host.example"}, ncDomain(t, sb, "item-cmds.com").Nameservers)
	// A single nameserver is refused before anything reaches the registrar.
	b.setValue(`#ns2`, "")
	b.submit(`#command-nameservers button`)
	require.Contains(t, b.text(`p.flash-error`), "nameservers")

	expires := ncDomain(t, sb, "item-cmds.com").Expires
	b.setValue(`#renew-years`, "2")
	b.submit(`#command-renew button`)
	require.Contains(t, b.text(`.warning`), "renewed for 2 years at namecheap")
	b.submit(`form.confirm button[type=submit]`)
	require.Contains(t, b.text(`p.flash-ok`), "Renew: done")
	require.Equal(t, expires.AddDate(2, 0, 0), ncDomain(t, sb, "item-cmds.com").Expires)

	// A transfer of a domain ordered as a registration is refused, in red.
	b.submit(`#command-transfer button`)
	b.submit(`form.confirm button[type=submit]`)
	require.Contains(t, b.text(`p.flash-error`), "ordered as a registration")

	// The unpaid order's domains: Register one, Transfer the other in with a new EPP code.
	b.open(fmt.Sprintf("%s/orders/%d", base, secondID))
	b.submit(`#domain-` + fmt.Sprint(domainID(t, s, secondID, "by-hand.com")) + ` a`)
	b.submit(`#command-register button`)
	require.Contains(t, b.text(`.warning`), "will be registered at namecheap for 1 year")
	b.submit(`form.confirm button[type=submit]`)
	require.Contains(t, b.text(`p.flash-ok`), "Register: done for domain by-hand.com")
	ncDomain(t, sb, "by-hand.com")
	b.open(fmt.Sprintf("%s/orders/%d/domains/%d", base, secondID, domainID(t, s, secondID, "moving-in.com")))
	b.do(chromedp.SendKeys(chromedp.CSS(`#epp-code`), "EPP-typed"))
	b.submit(`#command-transfer button`)
	require.Contains(t, b.text(`.warning`), "with the EPP code you typed")
	require.NotContains(t, b.location(), "EPP-typed", "an EPP code is in no URL")
	b.submit(`form.confirm button[type=submit]`)
	require.Contains(t, b.text(`p.flash-ok`), "Transfer: done for domain moving-in.com")
	require.True(t, slices.ContainsFunc(sb.nc.Transfers(), func(tr ncsandbox.Transfer) bool { return tr.Domain == "moving-in.com" }))

	// Every command, and the refusals, are on the order's audit trail, by the admin's name.
	b.open(fmt.Sprintf("%s/orders/%d", base, id))
	events := b.text(`#part-events`)
	for _, want := range []string{"Grace Hopper", "Module Suspend", "Module Unsuspend", "Module Change Package failed",
		"Module Change Password", "Module Terminate", "Nameservers changed", "Domain Renew"} {
		require.Contains(t, events, want)
	}

	// Another order's item, or an item that does not exist, is not found.
	b.open(fmt.Sprintf("%s/orders/%d/domains/%d", base, id, domainID(t, s, secondID, "by-hand.com")))
	require.Contains(t, b.text(`h1`), "Not Found")
	b.noErrors()
}

// whmAccount is the WHM sandbox's account of user.
func whmAccount(t *testing.T, sb *sandboxes, user string) whm.Account {
	t.Helper()
	for _, a := range sb.whm.Accounts() {
		if a.User == user {
			return a
		}
	}
	t.Fatalf("no account %s on the WHM sandbox", user)
	return whm.Account{}
}

// ncDomain is the Namecheap sandbox's domain of that name.
func ncDomain(t *testing.T, sb *sandboxes, name string) ncsandbox.Domain {
	t.Helper()
	for _, d := range sb.nc.Domains() {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("no domain %s at the Namecheap sandbox", name)
	return ncsandbox.Domain{}
}

// domainID is the id of an order's domain of that name.
func domainID(t *testing.T, s *stack, orderID int64, name string) int64 {
	t.Helper()
	var id int64
	require.NoError(t, s.pool.QueryRow(context.Background(), "SELECT id FROM order_domains WHERE order_id = $1 AND domain = $2",
		orderID, name).Scan(&id))
	return id
}

// setValue sets a field's value as typing or choosing would leave it.
func (b *browser) setValue(sel, value string) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(e => (e.value = %q, true))(document.querySelector(%q))`, value, sel)))
	require.NoError(b.t, err, sel)
}
