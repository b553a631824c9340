package integration

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// An admin adds credit on the client's Summary tab, is refused removing more than there is (a
// red message naming the amount available), removes some, and reads the Credit Log; the same
// form posted twice adds once.
func TestConsoleManagesCredit(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	ctx := context.Background()
	const email, password = "grace@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(ctx, email, "Grace Hopper", password)
	require.NoError(t, err)
	clientID, productID := s.catalogue("payment")
	base := s.api.URL + "/admin"
	b := newBrowser(t)
	b.signIn(base, email, password)

	b.open(fmt.Sprintf("%s/clients/%d", base, int64(clientID)))
	require.Contains(t, b.text(`#credit-balance`), "0.00 USD")
	require.Contains(t, b.text(`#credit-log`), "No credit yet.")

	b.setValue(`#credit-amount`, "25.50")
	b.setValue(`#credit-description`, "Goodwill for the outage")
	b.submit(`form.manage-credit button[type=submit]`)
	require.Equal(t, "Credit of 25.50 USD added; the balance is 25.50 USD.", b.text(`p.flash-ok`))
	require.Contains(t, b.text(`#credit-balance`), "25.50 USD")

	b.do(chromedp.Click(chromedp.CSS(`form.manage-credit input[value=remove]`)))
	b.setValue(`#credit-amount`, "30")
	b.setValue(`#credit-description`, "Too much")
	b.submit(`form.manage-credit button[type=submit]`)
	require.Contains(t, b.text(`p.flash-error`), "Amount exceeds customer credit balance: 25.50 USD available")

	b.do(chromedp.Click(chromedp.CSS(`form.manage-credit input[value=remove]`)))
	b.setValue(`#credit-amount`, "5.50")
	b.setValue(`#credit-description`, "Paid out")
	b.submit(`form.manage-credit button[type=submit]`)
	require.Equal(t, "Credit of 5.50 USD removed; the balance is 20.00 USD.", b.text(`p.flash-ok`))
	log := b.text(`#credit-log`)
	require.Contains(t, log, "Goodwill for the outage")
	require.Contains(t, log, "-5.50 USD")
	require.Equal(t, 2, b.count(`#credit-log tbody tr`))
	b.screenshot("console-client-credit")

	// The same form posted twice: once.
	form := `(() => { const f = document.querySelector('form.manage-credit');
		f.querySelector('#credit-amount').value = '1.00'; f.querySelector('#credit-description').value = 'twice';
		const d = new FormData(f); const u = f.action;
		return Promise.all([fetch(u, {method: 'POST', body: new URLSearchParams(d)}), fetch(u, {method: 'POST', body: new URLSearchParams(d)})]).then(rs => rs.map(r => r.status + ' ' + r.url).join(', ')); })()`
	statuses, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](form, chromedp.EvalAwaitPromise))
	require.NoError(t, err)
	require.Equal(t, 2, strings.Count(statuses, "200 "), statuses)
	require.Equal(t, "21.00", s.usdBalance(clientID))

	// Add New Order with Apply Credit: 14.99 of the 21.00 pays the new invoice at once.
	b.open(fmt.Sprintf("%s/clients/%d", base, int64(clientID)))
	b.submit(`a.button.primary`)
	require.Equal(t, "Add New Order", b.text(`h1`))
	b.do(chromedp.SetValue(chromedp.CSS(`#item-0-product`), fmt.Sprint(int64(productID))),
		chromedp.SendKeys(chromedp.CSS(`#item-0-domain`), "credit-console.com"),
		chromedp.Click(chromedp.CSS(`#apply_credit`)))
	b.submit(`button[value=place]`)
	require.Zero(t, b.count(`#order-error`), "refused: %s", b.text(`main`))
	require.Contains(t, b.text(`p.flash-ok`), "Credit of 14.99 USD applied; the invoice is Paid.")
	require.Equal(t, "6.01", s.usdBalance(clientID))
}
