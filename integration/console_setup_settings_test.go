package integration

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/fraud"
)

// An admin sets the settings orders read, the fraud rule and a gateway's webhook secret in the
// console: a refused value is shown on its field with what was typed, nothing half-saved; the
// gateway's webhook URL is the one its callbacks then pay through.
func TestConsoleSetsUpSettingsAndGateways(t *testing.T) {
	s := newStack(t)
	mail := &recordedMail{}
	s.acts.Mail.Sender = mail
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
	b.setValue(`#mail_from_name`, "Shop Sales")
	b.setValue(`#mail_from`, "sales@shop")
	b.submit(`#settings-form button[type=submit]`)
	require.Equal(t, `"sales@shop" is not an email address`, b.text(`#mail_from ~ .field-error`))
	require.Equal(t, "Shop Sales", b.value(`#mail_from_name`), "what was typed is kept")
	b.screenshot("console-setup-general-mail-refused")
	b.setValue(`#mail_from`, "sales@shop.example")
	b.submit(`#settings-form button[type=submit]`)
	require.Equal(t, "General Settings saved.", b.text(`p.flash-ok`))
	settings = s.mustCall("GET", "/api/v1/settings", nil, 200)
	require.Equal(t, "7", settings["cancel_unpaid_after_days"])
	require.Equal(t, "orders@host.example", settings["staff_email"])
	require.Contains(t, settings["bank_transfer_instructions"], "IBAN GB00")
	require.Equal(t, "sales@shop.example", settings["mail_from"])
	require.Equal(t, "Shop Sales", settings["mail_from_name"])

	b.open(base + "/setup/fraud")
	// The stack has no MaxMind account: only none is offered, and the page says why.
	require.Contains(t, b.text(`#maxmind-not-configured`), "MaxMind is not configured")
	require.Zero(t, b.count(`#fraud_module option[value=maxmind]`))
	require.Equal(t, "none", b.value(`#fraud_module`))
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
	require.Equal(t, "none", settings["fraud_module"])
	b.screenshot("console-setup-fraud")

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
	// The emails of the order are sent from the address and name set in General Settings.
	require.Eventually(t, func() bool { return len(mail.sent()) > 0 }, 10*time.Second, 50*time.Millisecond)
	for _, m := range mail.sent() {
		require.Equal(t, "sales@shop.example", m.From, m.Subject)
		require.Equal(t, "Shop Sales", m.FromName, m.Subject)
	}

	// Payment methods: a display name too long is refused on its field, what was typed kept;
	// then acme is named, and banktransfer taken off the order forms.
	pending := s.place("payment", "console-disabled-method.com") // placed with banktransfer
	b.open(base + "/setup/gateways")
	require.Equal(t, "Bank Transfer", b.value(`#display_name-banktransfer`), "the default name")
	long := strings.Repeat("x", 65)
	b.setValue(`#display_name-acme`, long)
	b.submit(`#method-form-acme button[type=submit]`)
	require.Equal(t, "must be at most 64 characters", b.text(`#method-acme .field-error`))
	require.Equal(t, long, b.value(`#display_name-acme`), "what was typed is kept")
	b.screenshot("console-setup-methods-refused")
	b.setValue(`#display_name-acme`, "Acme Pay")
	b.submit(`#method-form-acme button[type=submit]`)
	require.Contains(t, b.text(`p.flash-ok`), "Acme Pay (acme) is saved")
	require.Contains(t, b.text(`#gateway-acme th`), "Acme Pay")
	b.do(chromedp.Click(chromedp.CSS(`#enabled-banktransfer`)))
	b.submit(`#method-form-banktransfer button[type=submit]`)
	require.Contains(t, b.text(`p.flash-ok`), "Bank Transfer (banktransfer) is saved, not offered to new orders")
	b.screenshot("console-setup-methods")
	require.Equal(t, "Acme Pay", billing.MethodName("acme"), "every page that names a method follows")

	gws := s.mustCall("GET", "/api/v1/gateways", nil, 200)
	require.Contains(t, gws["gateways"], map[string]any{"name": "acme", "display_name": "Acme Pay", "enabled": true, "source": "api",
		"updated_at": gws["gateways"].([]any)[0].(map[string]any)["updated_at"]})
	require.Contains(t, gws["payment_methods"], map[string]any{"name": "banktransfer", "display_name": "Bank Transfer", "enabled": false})
	status, out = s.call("PUT", "/api/v1/gateways/acme", map[string]any{"display_name": long})
	require.Equal(t, 422, status, "%v", out)
	require.Equal(t, "display_name", out["field"])
	status, _ = s.call("PUT", "/api/v1/gateways/nosuch", map[string]any{"enabled": false})
	require.Equal(t, 404, status)

	// A disabled method is refused by new orders, REST and WHMCS alike, and offered by neither
	// form; the order placed with it before is still paid with it.
	clientID, productID := s.catalogue("payment")
	status, out = s.call("POST", "/api/v1/orders", hostingOrder(clientID, productID, "console-refused-method.com"))
	require.Equal(t, 422, status, "%v", out)
	require.Equal(t, "payment_method", out["field"])
	require.Equal(t, "Invalid Payment Method. Valid options include acme,mailin,stripe", out["error"])
	whmcs := s.whmcsAPI(t)
	require.Equal(t, map[string]any{"result": "error", "message": "Invalid Payment Method. Valid options include acme,mailin,stripe"},
		whmcs("AddOrder", "clientid", fmt.Sprint(int64(clientID)), "paymentmethod", "banktransfer", "pid[0]", fmt.Sprint(int64(productID)),
			"billingcycle[0]", "monthly"))
	b.open(base + "/orders/new")
	require.Zero(t, b.count(`#payment_method option[value=banktransfer]`))
	require.Contains(t, b.text(`#payment_method`), "Acme Pay")
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", pending.invoiceID),
		map[string]any{"transaction_id": "disabled-1", "gateway": "banktransfer"}, 201)
	b.noErrors()
}

// fraudScore is a fraud checker that scores every order the same, standing in for MaxMind.
type fraudScore float64

func (f fraudScore) Check(context.Context, fraud.Request) (fraud.Result, error) {
	return fraud.Result{Module: fraud.ModuleMaxMind, Score: float64(f)}, nil
}

// The fraud module an admin chooses is read at check time: none passes every order without
// asking the configured checker; MaxMind cannot be chosen where it is not configured.
func TestFraudModuleNoneSkipsTheCheck(t *testing.T) {
	s := newStack(t)
	s.acts.FraudCheck = fraudScore(90)
	s.startWorker()
	clientID, productID := s.catalogue("payment")
	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "scored-module.com"), 201)
	o := s.eventually(int64(placed["order_id"].(float64)), func(o map[string]any) bool { return o["status"] == "Fraud" })
	require.Equal(t, 90.0, o["fraud_check"].(map[string]any)["score"], "unset: the configured checker, as before")

	status, out := s.call("PUT", "/api/v1/settings", map[string]any{"fraud_module": "maxmind"})
	require.Equal(t, 422, status, "%v", out)
	require.Equal(t, "fraud_module", out["field"])
	require.Contains(t, out["error"], "maxmind is not configured")
	s.mustCall("PUT", "/api/v1/settings", map[string]any{"fraud_module": "none"}, 200)

	placed = s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "unscored-module.com"), 201)
	o = s.eventually(int64(placed["order_id"].(float64)), func(o map[string]any) bool { return o["fraud_check"] != nil })
	require.Equal(t, "none", o["fraud_check"].(map[string]any)["module"])
	require.Equal(t, "Pending", o["status"])
}

// recordedMail is a relay that keeps what it is given.
type recordedMail struct {
	mu   sync.Mutex
	msgs []email.Message
}

func (r *recordedMail) Send(_ context.Context, m email.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
	return nil
}

func (r *recordedMail) sent() []email.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.msgs)
}
