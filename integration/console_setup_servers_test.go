package integration

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/sandbox/whm"
)

// TestConsoleSetsUpServersTLDsAndPromotions is an admin's first hour in Setup: a WHM server
// added through the console and checked with Test Connection (a workflow on the worker, the
// module calling the WHM sandbox), a wrong token shown in red in WHM's words, the server edited
// and disabled; a TLD priced; a promotion added and edited; every mistake refused on its field
// with what was typed kept, the API token never shown back.
func TestConsoleSetsUpServersTLDsAndPromotions(t *testing.T) {
	sb := startSandboxes(t)
	s := newStack(t)
	s.useSandboxes(sb)
	s.startWorker()
	ctx := context.Background()
	const email, password = "setup@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(ctx, email, "Setup", password)
	require.NoError(t, err)
	base := s.api.URL + "/admin"
	b := newBrowser(t)
	b.signIn(base, email, password)

	// Servers: none yet.
	b.open(base + "/setup/servers")
	require.Equal(t, "Servers", b.text(`h1`))
	require.Contains(t, b.text(`table.servers`), "Add a server")
	b.submit(`#add-server`)
	require.Equal(t, "Add New Server", b.text(`h1`))

	// Mistakes, one at a time, each on its field; what was typed stays, the token never does.
	// chromedp's SetValue cannot empty a field: the page's own script does it.
	set := func(sel, v string) {
		t.Helper()
		_, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(document.querySelector(%q).value = %q, true)`, sel, v)))
		require.NoError(t, err, sel)
	}
	set(`#name`, "")
	set(`#hostname`, "whm one.example")
	set(`#max_accounts`, "lots")
	set(`#credentials`, "wrong-token")
	b.submit(`#save-server`)
	require.Equal(t, "must be a whole number: 0 for no limit", b.text(`#max_accounts-error`))
	require.Equal(t, "lots", b.value(`#max_accounts`))
	require.Equal(t, "", b.value(`#credentials`), "the token is never sent back")
	set(`#max_accounts`, "100")
	set(`#credentials`, "wrong-token")
	b.submit(`#save-server`)
	require.Equal(t, "is required", b.text(`#name-error`))
	set(`#name`, "whm1")
	set(`#credentials`, "wrong-token")
	b.submit(`#save-server`)
	require.Contains(t, b.text(`#hostname-error`), "is not a hostname or IP address")
	require.Equal(t, "whm1", b.value(`#name`))
	require.Equal(t, "whm one.example", b.value(`#hostname`))
	require.Equal(t, "100", b.value(`#max_accounts`))
	b.screenshot("console-setup-server-invalid")

	// Saved with a wrong token: Test Connection answers in red, in WHM's words.
	set(`#hostname`, sb.whmHost)
	set(`#credentials`, "wrong-token")
	b.do(chromedp.Click(chromedp.CSS(`#tls_skip_verify`)))
	b.submit(`#save-server`)
	require.Equal(t, "Edit Server whm1", b.text(`h1`))
	require.Contains(t, b.text(`.flash-ok`), "Server whm1 added")
	require.Equal(t, "", b.value(`#credentials`))
	b.submit(`#test-connection`)
	require.Equal(t, "Connection failed: WHM refused the API token (HTTP 403): Access denied", b.text(`.flash-error`))
	b.screenshot("console-setup-server-error")

	// The right token, and a new limit: connected, in green.
	set(`#credentials`, "whm-token")
	set(`#max_accounts`, "50")
	b.submit(`#save-server`)
	require.Equal(t, "Server whm1 saved.", b.text(`.flash-ok`))
	id := b.attr(`table.servers tbody tr`, "id")
	require.Equal(t, "0 / 50", b.text(`#`+id+` .accounts`))
	b.submit(`#` + id + ` th a`)
	b.submit(`#test-connection`)
	require.Equal(t, "Connected: WHM "+whm.DefaultVersion, b.text(`.flash-ok`))
	require.Equal(t, 1, sb.whm.Calls("version"), "WHM answered one version call: the wrong token was refused at the door")
	b.screenshot("console-setup-server")

	// Edited with the token left empty: the stored one is kept, and still connects.
	set(`#name`, "whm-uk-1")
	set(`#server_group`, "uk")
	b.submit(`#save-server`)
	require.Equal(t, "Server whm-uk-1 saved.", b.text(`.flash-ok`))
	require.Contains(t, b.text(`#`+id), "uk")
	b.submit(`#` + id + ` th a`)
	b.submit(`#test-connection`)
	require.Equal(t, "Connected: WHM "+whm.DefaultVersion, b.text(`.flash-ok`))

	// Disabled from the list: it keeps its accounts and gets no new ones; enabled again.
	b.open(base + "/setup/servers")
	b.submit(`#` + id + ` button.danger`)
	require.Contains(t, b.text(`.flash-ok`), "Server whm-uk-1 disabled")
	require.Equal(t, "Disabled", b.text(`#`+id+` .status`))
	srvs, err := s.svc.ListServers(ctx)
	require.NoError(t, err)
	require.False(t, srvs[0].Active)
	b.screenshot("console-setup-servers")
	b.submit(`#` + id + ` button`)
	require.Equal(t, "Active", b.text(`#`+id+` .status`))

	// Domain Pricing: a price of too many decimals is refused on its field.
	b.open(base + "/setup/tlds")
	require.Equal(t, "Domain Pricing", b.text(`h1`))
	b.submit(`#add-tld`)
	set(`#tld`, "com")
	set(`#register_price`, "12.345")
	set(`#transfer_price`, "10.00")
	b.do(chromedp.SetValue(chromedp.CSS(`#auto_registrar`), "namecheap"))
	b.submit(`#save-tld`)
	require.Contains(t, b.text(`#register_price-error`), "has more than 2 decimal places")
	require.Equal(t, "12.345", b.value(`#register_price`))
	require.Equal(t, "namecheap", b.value(`#auto_registrar`))
	b.screenshot("console-setup-tld-invalid")
	set(`#register_price`, "12.00")
	b.submit(`#save-tld`)
	require.Contains(t, b.text(`.flash-ok`), ".com added")
	row := `tr[data-tld=".com"]`
	require.Equal(t, ".com USD 12.00 10.00 12.00 namecheap Required", squash(b.text(row)))
	// Renewals priced apart, and transfers without an EPP code.
	b.submit(row + ` th a`)
	set(`#renew_price`, "14.50")
	b.do(chromedp.Click(chromedp.CSS(`#epp_required`)))
	b.submit(`#save-tld`)
	require.Equal(t, ".com USD 12.00 10.00 14.50 namecheap Not required", squash(b.text(row)))
	b.screenshot("console-setup-tlds")
	b.submit(row + ` th a`)
	require.Contains(t, squash(b.text(`#tld-periods`)), "3 years 36.00 30.00 43.50")
	b.screenshot("console-setup-tld")
	tld, err := s.svc.GetTLD(ctx, ".com")
	require.NoError(t, err)
	require.Equal(t, int64(1450), tld.RenewPrice)
	require.False(t, tld.EPPRequired)

	// Promotions: a product to apply to, a percentage over 100 refused, then a fixed amount.
	p := s.mustCall("POST", "/api/v1/products", map[string]any{"name": "Starter", "type": "hostingaccount", "module": "cpanel",
		"package_name": "starter", "auto_setup": "payment",
		"prices": []map[string]any{{"currency": "USD", "billing_cycle": "monthly", "price": "9.99", "setup_fee": "0"}}}, 201)
	b.open(base + "/setup/promotions")
	require.Equal(t, "Promotions", b.text(`h1`))
	b.submit(`#add-promotion`)
	set(`#code`, "SPRING")
	set(`#value`, "150")
	b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#product-%d`, int64(p["id"].(float64))))))
	set(`#expires_on`, "2030-05-31")
	b.submit(`#save-promotion`)
	require.Contains(t, b.text(`#value-error`), "a percentage must be more than 0 and at most 100")
	require.Equal(t, "SPRING", b.value(`#code`))
	require.Equal(t, "2030-05-31", b.value(`#expires_on`))
	require.Equal(t, 1, b.count(`input[name=product_ids]:checked`), "the ticked product stays ticked")
	b.screenshot("console-setup-promotion-invalid")
	b.do(chromedp.SetValue(chromedp.CSS(`#type`), "fixed"))
	set(`#value`, "5")
	set(`#max_uses`, "100")
	b.submit(`#save-promotion`)
	require.Contains(t, b.text(`.flash-ok`), "Promotion SPRING added")
	promo := `table.promotions tbody tr`
	require.Equal(t, "SPRING Fixed Amount 5.00 USD No Starter — 2030-05-31 0 / 100", squash(b.text(promo)))
	b.submit(promo + ` th a`)
	require.Equal(t, "0", b.text(`#uses`))
	set(`#max_uses`, "-1")
	b.submit(`#save-promotion`)
	require.Equal(t, "must be 0 (no limit) or more", b.text(`#max_uses-error`))
	set(`#max_uses`, "0")
	b.do(chromedp.Click(chromedp.CSS(`#recurring`)))
	b.submit(`#save-promotion`)
	require.Equal(t, "SPRING Fixed Amount 5.00 USD Yes Starter — 2030-05-31 0 / no limit", squash(b.text(promo)))
	b.screenshot("console-setup-promotions")
	b.noErrors()
}

// squash is a row's text with its cells' whitespace made single spaces.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// attr reads an attribute of the first element sel finds.
func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, findTimeout)
	defer cancel()
	a, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	require.NoError(b.t, err, sel)
	require.True(b.t, a.Exists, "%s has no %s", sel, name)
	return a.Value
}
