package integration

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// A failed Accept is a red message naming the step, the item and the panel's words; the
// buttons follow the state (Retry and Skip, no second Accept); the order page speaks words,
// not stored names: the payment method, the domain's type, the invoice lines, the audit
// trail's actions and who did them. Add Payment's method is a choice of the enabled methods.
func TestConsoleFailedAcceptAndWords(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	ctx := context.Background()
	const email, password = "grace@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(ctx, email, "Grace Hopper", password)
	require.NoError(t, err)
	clientID, productID := s.catalogue("accept")
	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "words-test.com"), 201)
	id := int64(placed["order_id"].(float64))
	s.eventually(id, func(o map[string]any) bool { return o["fraud_check"] != nil })
	s.panel.mu.Lock()
	s.panel.failCreate = fmt.Errorf("Package 'basic' does not exist")
	s.panel.mu.Unlock()

	base := s.api.URL + "/admin"
	b := newBrowser(t)
	b.signIn(base, email, password)
	b.open(fmt.Sprintf("%s/orders/%d", base, id))
	summary := b.text(`#part-summary`)
	require.Contains(t, summary, "Bank Transfer")
	require.NotContains(t, summary, "banktransfer")
	require.Contains(t, b.text(`#part-domains`), "Registration")
	require.Contains(t, b.text(`#part-invoice`), "Domain Registration")
	require.NotContains(t, b.text(`#part-invoice`), "DomainRegister")
	require.Equal(t, "banktransfer", b.value(`#pay-gateway`), "Add Payment offers the methods, the order's chosen")
	require.Equal(t, 1, b.count(`#pay-gateway option[value=banktransfer]`))

	b.submit(`a.button.primary`)
	b.submit(`form.accept button[type=submit]`)
	b.screenshot("console-failed-accept")
	flash := b.text(`p.flash-error`)
	require.Contains(t, flash, "the Module Create step failed for service")
	require.Contains(t, flash, "Package 'basic' does not exist")
	require.Zero(t, b.count(`p.flash-ok`))
	require.Zero(t, b.count(`a[href$="/accept"]`), "no second Accept beside Retry")
	require.Equal(t, 1, b.count(`form[action$="/retry"]`))
	events := b.text(`#part-events`)
	require.Contains(t, events, "Grace Hopper")
	require.NotContains(t, events, "admin:"+email)
	require.Contains(t, events, "Module Create failed")
	require.Contains(t, events, "Order placed")
	b.noErrors()
}
