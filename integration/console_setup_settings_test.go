package integration

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// An admin sets the settings orders read, the fraud rule and a gateway's webhook secret in the
// console: a refused value is shown on its field with what was typed, nothing half-saved; the
// gateway's webhook URL is the one its callbacks then pay through.
func TestConsoleSetsUpSettingsAndGateways(t *testing.T) {
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
	b.submit(`a[href$="/setup/general"]`)
	require.Equal(t, "General Settings", b.text(`h1`))

	b.setValue(`#cancel_unpaid_after_days`, "7")
	b.setValue(`#staff_email`, "orders@host.example, not-an-email")
	b.setValue(`#bank_transfer_instructions`, "Pay into IBAN GB00 0000 0000, quoting the invoice number.")
	b.submit(`#settings-form button[type=submit]`)
	require.Contains(t, b.text(`#form-error`), "correct the field marked below")
	require.Equal(t, `"not-an-email" is not an email address`, b.text(`#staff_email ~ .field-error`))
	require.Equal(t, "orders@host.example, not-an-email", b.value(`#staff_email`), "what was typed is kept")
	require.Equal(t, "7", b.value(`#cancel_unpaid_after_days`))
	b.screenshot("console-setup-general-refused")
	settings := s.mustCall("GET", "/api/v1/settings", nil, 200)
	require.NotEqual(t, "7", settings["cancel_unpaid_after_days"], "all or none: nothing was saved")

	b.setValue(`#staff_email`, "orders@host.example")
	b.submit(`#settings-form button[type=submit]`)
	require.Equal(t, "General Settings saved.", b.text(`p.flash-ok`))
	settings = s.mustCall("GET", "/api/v1/settings", nil, 200)
	require.Equal(t, "7", settings["cancel_unpaid_after_days"])
	require.Equal(t, "orders@host.example", settings["staff_email"])
	require.Contains(t, settings["bank_transfer_instructions"], "IBAN GB00")

	b.open(base + "/setup/fraud")
	b.setValue(`#fraud_threshold`, "150")
	b.submit(`#settings-form button[type=submit]`)
	require.Equal(t, "must be a score from 0 to 100", b.text(`#fraud_threshold ~ .field-error`))
	b.setValue(`#fraud_threshold`, "35")
	b.do(chromedp.Click(chromedp.CSS(`#fraud_skip_active_clients`)))
	b.submit(`#settings-form button[type=submit]`)
	require.Equal(t, "Fraud Protection saved.", b.text(`p.flash-ok`))
	settings = s.mustCall("GET", "/api/v1/settings", nil, 200)
	require.Equal(t, "35", settings["fraud_threshold"])
	require.Equal(t, "true", settings["fraud_skip_active_clients"])

	// A gateway's secret: too short is refused on its field; then saved, sealed, never shown,
	// and the callbacks signed with it pay.
	b.open(base + "/setup/gateways")
	b.setValue(`#name`, "acme")
	b.setValue(`#secret`, "short")
	b.submit(`#gateway-form button[type=submit]`)
	require.Contains(t, b.text(`#secret ~ .field-error`), "at least 16 characters")
	require.Equal(t, "acme", b.value(`#name`))
	require.Empty(t, b.value(`#secret`), "a secret is never sent back")
	const secret = "acme-secret-from-the-console"
	b.setValue(`#secret`, secret)
	b.submit(`#gateway-form button[type=submit]`)
	require.Contains(t, b.text(`p.flash-ok`), "is saved, sealed")
	row := b.text(`#gateway-acme`)
	require.Contains(t, row, s.api.URL+"/webhooks/gateway/acme")
	require.NotContains(t, b.text(`main`), secret)
	b.screenshot("console-setup-gateways")

	o := s.place("payment", "console-gateway.com")
	body := genericBody(o.invoiceID, "C-1", "26.99", "paid")
	status, out := s.post(s.api.URL, "/webhooks/gateway/acme", body, genericHeader(secret, body, time.Now()))
	require.Equal(t, 200, status, "%v", out)
	require.Equal(t, "Paid", out["invoice_status"])
	b.noErrors()
}
