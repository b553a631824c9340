package integration

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/tax"
)

// An admin keeps the tax rules under Setup → Tax Configuration: adds one, is refused a rate
// over 100 on the rate field with what was typed kept, deletes one; sets Tax Support and the
// home country; and the order page's invoice of a French business then says its VAT is
// reverse charged.
func TestConsoleKeepsTaxRules(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	ctx := context.Background()
	const email, password = "grace@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(ctx, email, "Grace Hopper", password)
	require.NoError(t, err)
	base := s.api.URL + "/admin"
	b := newBrowser(t)
	b.signIn(base, email, password)
	b.open(base + "/setup")
	b.submit(`a[href$="/setup/tax"]`)
	require.Equal(t, "Tax Configuration", b.text(`h1`))
	require.Contains(t, b.text(`#tax-rules-table`), "No tax rules")

	addRule := func(level, name, country, rate string) {
		b.do(chromedp.SetValue(chromedp.CSS(`#rule_level`), level))
		b.setValue(`#rule_name`, name)
		b.setValue(`#rule_country`, country)
		b.setValue(`#rule_rate`, rate)
		b.submit(`#tax-rule-form button[type=submit]`)
	}
	addRule("1", "TVA", "fr", "20")
	require.Contains(t, b.text(`p.flash-ok`), "Tax rule TVA (20%) added.")
	addRule("2", "Levy", "", "100.5")
	require.Contains(t, b.text(`#tax-rule-error`), "correct the field marked below")
	require.Contains(t, b.text(`#rule_rate ~ .field-error`), "more than 100")
	require.Equal(t, "100.5", b.value(`#rule_rate`), "what was typed is kept")
	require.Equal(t, "Levy", b.value(`#rule_name`))
	require.Equal(t, "2", b.value(`#rule_level`))
	b.screenshot("console-setup-tax-rule-refused")
	addRule("2", "Levy", "", "1.125")
	require.Contains(t, b.text(`p.flash-ok`), "Tax rule Levy (1.125%) added.")
	rules := s.mustCall("GET", "/api/v1/tax-rules", nil, 200)["tax_rules"].([]any)
	require.Len(t, rules, 2)
	fr, levy := rules[0].(map[string]any), rules[1].(map[string]any)
	require.Equal(t, map[string]any{"name": "TVA", "country": "FR", "state": "", "rate": "20.000", "level": 1.0},
		pick(fr, "name", "country", "state", "rate", "level"))
	row := b.text(fmt.Sprintf(`#tax-rule-%d`, int64(levy["id"].(float64))))
	require.Contains(t, row, "Applies to Any Country")
	require.Contains(t, row, "1.125%")
	require.Contains(t, row, "Level 2")

	b.submit(fmt.Sprintf(`#tax-rule-%d button`, int64(levy["id"].(float64))))
	require.Equal(t, "Tax rule deleted.", b.text(`p.flash-ok`))
	require.Equal(t, 0, b.count(fmt.Sprintf(`#tax-rule-%d`, int64(levy["id"].(float64)))))
	require.Len(t, s.mustCall("GET", "/api/v1/tax-rules", nil, 200)["tax_rules"], 1)

	// Tax Support on, a German seller.
	b.do(chromedp.Click(chromedp.CSS(`#tax_enabled`)))
	b.setValue(`#seller_country`, "de")
	b.submit(`#settings-form button[type=submit]`)
	require.Equal(t, "Tax Configuration saved.", b.text(`p.flash-ok`))
	settings := s.mustCall("GET", "/api/v1/settings", nil, 200)
	require.Equal(t, "DE", settings["seller_country"])
	require.Equal(t, "true", settings["tax_enabled"])
	require.Contains(t, b.text(`#tax-rules-table`), "TVA", "the rules are still listed")
	b.screenshot("console-setup-tax")

	// The console's client form refuses a French VAT number of the wrong shape on its field.
	b.open(base + "/clients/new")
	b.do(chromedp.SendKeys(chromedp.CSS(`#first_name`), "Marie"), chromedp.SendKeys(chromedp.CSS(`#last_name`), "Curie"),
		chromedp.SendKeys(chromedp.CSS(`#email`), "marie@example.fr"), chromedp.SendKeys(chromedp.CSS(`#tax_id`), "FR 123"))
	b.setValue(`#country`, "FR")
	b.submit(`#client-form button[type=submit]`)
	require.Contains(t, b.text(`#tax_id-error`), "is not a VAT number of FR")
	require.Equal(t, "FR 123", b.value(`#tax_id`), "what was typed is kept")
	b.setValue(`#tax_id`, "FR 40 303 265 045")
	b.submit(`#client-form button[type=submit]`)
	require.Equal(t, "Client Marie Curie added.", b.text(`p.flash-ok`))

	// A French business's order: no VAT, and the invoice says why.
	p := s.mustCall("POST", "/api/v1/products", map[string]any{"name": "Hosting", "type": "other", "taxable": true,
		"prices": []map[string]any{{"currency": "EUR", "billing_cycle": "monthly", "price": "10.00"}}}, 201)
	client := s.euClient("FR", "FR40303265045")["id"].(float64)
	o := s.mustCall("POST", "/api/v1/orders", map[string]any{"client_id": client, "payment_method": "banktransfer",
		"items": []map[string]any{{"product_id": p["id"]}}}, 201)
	b.open(fmt.Sprintf("%s/orders/%d", base, int64(o["order_id"].(float64))))
	require.Equal(t, tax.ReverseChargeNote, b.text(`#invoice-tax-note`))
	b.screenshot("console-order-reverse-charge")
	b.noErrors()
}
