package integration

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// An admin refunds from the console: the order page's Refund link on a payment opens the
// Refund form with that payment chosen; a part given back through Stripe leaves the invoice
// Paid, an amount over what is left is refused in red naming what is, and Cancel & Refund asks
// first, then gives back the rest through Stripe.
func TestConsoleRefunds(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	sb, _ := s.useStripeStandIn(refundKey)
	ctx := context.Background()
	const email, password = "grace@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(ctx, email, "Grace Hopper", password)
	require.NoError(t, err)
	o := s.place("accept", "console-refund.com")
	pi := s.payByStripe(o)
	s.eventually(o.orderID, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })

	base := s.api.URL + "/admin"
	b := newBrowser(t)
	b.signIn(base, email, password)
	b.open(fmt.Sprintf("%s/orders/%d", base, o.orderID))
	b.submit(`#part-invoice table.transactions a[href*="/refund"]`)
	require.Contains(t, b.text(`h1`), fmt.Sprintf("Refund: invoice #%d", o.invoiceID))
	require.Equal(t, pi, b.value(`input[name="transaction_id"]:checked`))
	require.Contains(t, b.text(`form.refund`), "26.99 USD left to refund")

	// More than is left: red, naming what is; nothing reaches Stripe.
	b.do(chromedp.SendKeys(chromedp.CSS(`#refund-amount`), "30"),
		chromedp.Click(chromedp.CSS(`#method-gateway`)))
	b.submit(`form.refund button[type="submit"]`)
	require.Contains(t, b.text(`p.flash-error`), "is more than the 26.99 USD left to refund")
	require.Empty(t, sb.Refunds())

	b.do(chromedp.SendKeys(chromedp.CSS(`#refund-amount`), "6.99"),
		chromedp.Click(chromedp.CSS(`#method-gateway`)))
	b.screenshot("console-refund")
	b.submit(`form.refund button[type="submit"]`)
	require.Contains(t, b.text(`p.flash-ok`), "Refunded 6.99 USD through the gateway, refund re_")
	require.Contains(t, b.text(`p.flash-ok`), "the invoice is Paid")
	require.Len(t, sb.Refunds(), 1)
	require.Contains(t, b.text(`#invoice-transactions`), "-6.99 USD", "back on the invoice, the refund among its transactions")

	b.open(fmt.Sprintf("%s/orders/%d", base, o.orderID))

	// Cancel & Refund asks first, then gives back the rest.
	b.submit(`ul.buttons a[href$="/cancel-refund"]`)
	require.Contains(t, b.text(`.warning`), "refunded through the payment's gateway")
	b.screenshot("console-cancel-refund-confirm")
	b.submit(`form.confirm button.danger`)
	require.Contains(t, b.text(`p.flash-ok`), "Cancel & Refund: done; the order is Cancelled; refunded 20.00 USD of payment "+pi)
	require.NotContains(t, b.text(`p.flash-ok`), "waiting for payment review")
	require.Len(t, sb.Refunds(), 2)
	b.screenshot("console-cancel-refund-done")
	b.noErrors()
}
