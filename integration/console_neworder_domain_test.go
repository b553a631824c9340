package integration

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
)

// TestConsoleNewOrderDomainOnce is issue 21's walk: in Add New Order the product's domain is
// typed once, and its choice (Register a New Domain / Transfer a Domain / Use Existing Domain)
// says whether the order registers it, transfers it or only sets up the hosting for it.
func TestConsoleNewOrderDomainOnce(t *testing.T) {
	s, _, clientID, productID := sandboxStack(t) // Starter 9.99 + 5.00 setup; .com 12.00, EPP code required
	ctx := context.Background()
	const email, password = "domains@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(ctx, email, "Domains", password)
	require.NoError(t, err)
	base := s.api.URL + "/admin"
	b := newBrowser(t)
	b.signIn(base, email, password)
	starter := fmt.Sprint(int64(productID))
	newOrder := func() {
		b.open(fmt.Sprintf("%s/orders/new?client_id=%d", base, int64(clientID)))
		require.Equal(t, "Add New Order", b.text(`h1`))
	}

	// Register: newsite.com typed once is the hosting's domain and a registration, priced from
	// .com for the period; the live summary shows the domain's line.
	newOrder()
	require.Equal(t, "existing", b.value(`#item-0-domain-type`), "nothing is charged that was not asked for")
	require.False(t, b.visible(`#item-0-period`), "Use Existing Domain takes no period")
	b.choose(`#item-0-domain-type`, "register")
	require.True(t, b.visible(`#item-0-period`))
	require.False(t, b.visible(`#item-0-epp`), "a registration takes no EPP code")
	b.do(chromedp.SetValue(chromedp.CSS(`#item-0-product`), starter),
		chromedp.SendKeys(chromedp.CSS(`#item-0-domain`), "newsite.com"))
	b.waitTotal("26.99 USD")
	require.Contains(t, b.text(`#order-total`), "Starter — newsite.com (Monthly)")
	require.Contains(t, b.text(`#order-total`), "Domain Registration — newsite.com (1 year)")
	b.screenshot("console-neworder-register")
	b.submit(`button[value=place]`)
	require.Contains(t, b.text(`p.flash`), "placed; it is Pending.", b.text(`main`))
	d := b.placedOrder(s)
	require.Len(t, d.Services, 1)
	require.Equal(t, "newsite.com", d.Services[0].Domain)
	require.Len(t, d.Domains, 1)
	require.Equal(t, "newsite.com", d.Domains[0].Domain)
	require.Equal(t, order.DomainRegister, d.Domains[0].Type)
	require.Equal(t, int64(2699), d.Order.Amount)

	// Transfer without the EPP code .com requires: refused on the EPP code's field, with what
	// was typed kept; with the code, the summary shows the transfer.
	newOrder()
	b.choose(`#item-0-domain-type`, "transfer")
	require.True(t, b.visible(`#item-0-epp`))
	b.do(chromedp.SetValue(chromedp.CSS(`#item-0-product`), starter),
		chromedp.SendKeys(chromedp.CSS(`#item-0-domain`), "moving-in.com"))
	b.submit(`button[value=place]`)
	require.Equal(t, "a transfer needs the domain's EPP code", b.text(`#item-0-epp-error`))
	require.Equal(t, "true", b.attr(`#item-0-epp`, "aria-invalid"))
	require.Zero(t, b.count(`#order-error`), "the field's refusal, not the form's")
	require.Equal(t, "moving-in.com", b.value(`#item-0-domain`))
	require.Equal(t, "transfer", b.value(`#item-0-domain-type`))
	require.Equal(t, starter, b.value(`#item-0-product`))
	require.Contains(t, b.text(`#quote-problem`), "Product 1: a transfer needs the domain's EPP code")
	b.screenshot("console-neworder-transfer-refused")
	b.do(chromedp.SendKeys(chromedp.CSS(`#item-0-epp`), "EPP-123"))
	b.waitTotal("24.99 USD")
	require.Contains(t, b.text(`#order-total`), "Domain Transfer — moving-in.com (1 year)")

	// Use Existing Domain: the hosting's domain only, no domain line.
	newOrder()
	b.do(chromedp.SetValue(chromedp.CSS(`#item-0-product`), starter),
		chromedp.SendKeys(chromedp.CSS(`#item-0-domain`), "already-mine.com"))
	b.waitTotal("14.99 USD")
	require.NotContains(t, b.text(`#order-total`), "Domain")
	b.submit(`button[value=place]`)
	require.Contains(t, b.text(`p.flash`), "placed; it is Pending.", b.text(`main`))
	d = b.placedOrder(s)
	require.Equal(t, "already-mine.com", d.Services[0].Domain)
	require.Empty(t, d.Domains)

	// REST takes the same choice on the item and refuses it on the same field.
	item := map[string]any{"product_id": productID, "domain": "rest-moving.com", "domain_type": "transfer"}
	out := s.mustCall("POST", "/api/v1/orders", map[string]any{"client_id": clientID, "payment_method": "banktransfer",
		"items": []map[string]any{item}}, 422)
	require.Equal(t, "items[0].epp_code", out["field"], "%v", out)
	item["domain_type"], item["domain_period"] = "register", 2
	placed := s.mustCall("POST", "/api/v1/orders", map[string]any{"client_id": clientID, "payment_method": "banktransfer",
		"items": []map[string]any{item}}, 201)
	rest := s.mustCall("GET", fmt.Sprintf("/api/v1/orders/%v", placed["order_id"]), nil, 200)
	require.Equal(t, "38.99", rest["amount"], "%v", rest) // 9.99 + 5.00 + 2 × 12.00

	// A domain alone still has its own section.
	newOrder()
	b.do(chromedp.SendKeys(chromedp.CSS(`#dom-0-name`), "just-a-name.com"))
	b.waitTotal("12.00 USD")
	b.noErrors()
}

// choose picks an option of a select as the admin would, so console.js hears of it.
func (b *browser) choose(sel, value string) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf(
		`(e => (e.value = %q, e.dispatchEvent(new Event("change", {bubbles: true})), true))(document.querySelector(%q))`, value, sel)))
	require.NoError(b.t, err, sel)
}

// visible reports whether sel is shown (not inside a hidden element).
func (b *browser) visible(sel string) bool {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector(%q).offsetParent !== null`, sel)))
	require.NoError(b.t, err, sel)
	return v
}

// waitTotal waits for the live Order Summary to show total.
func (b *browser) waitTotal(total string) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Poll[bool](fmt.Sprintf(`(document.querySelector("#quote-total")||{}).textContent === %q`, total),
		chromedp.WithPollingTimeout(5_000_000_000)))
	require.NoError(b.t, err, "the total never became %s: %s", total, b.text(`#order-total`))
}

// placedOrder is the order whose page the browser is on.
func (b *browser) placedOrder(s *stack) ordering.OrderDetail {
	b.t.Helper()
	u, err := url.Parse(b.location())
	require.NoError(b.t, err)
	id, err := strconv.ParseInt(strings.TrimPrefix(u.Path, "/admin/orders/"), 10, 64)
	require.NoError(b.t, err, u.Path)
	d, err := s.svc.GetOrder(context.Background(), id)
	require.NoError(b.t, err)
	return d
}
