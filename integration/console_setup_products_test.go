package integration

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/order"
)

// TestConsoleSetsUpProducts is a hosting company setting up its catalogue from a fresh stack
// in the console only: Setup → Products/Services, a product group, a product with its prices
// (a refused form first: the reasons beside their fields, what was typed kept), the store
// listing it under its group, an edit of its prices, a delete refused because an order uses
// it, hiding it (the store drops it), and the delete of an unused product.
func TestConsoleSetsUpProducts(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	ctx := context.Background()
	const email, password = "setup@hostflow.test", "correct horse battery"
	_, _, err := s.svc.CreateAdmin(ctx, email, "Setup", password)
	require.NoError(t, err)
	base := s.api.URL + "/admin"
	b := newBrowser(t)
	b.signIn(base, email, password)

	// Setup in the top navigation, its sections each a link.
	b.submit(`header nav a[href$="/admin/setup"]`)
	require.Equal(t, "Setup", b.text(`h1`))
	for _, path := range []string{"/setup/products", "/setup/servers", "/setup/tlds", "/setup/promotions"} {
		require.Equal(t, 1, b.count(fmt.Sprintf(`.setup-sections a[href="/admin%s"]`, path)), path)
	}
	b.screenshot("console-setup")
	b.submit(`.setup-sections a[href$="/setup/products"]`)
	require.Equal(t, "Products/Services", b.text(`h1`))

	// Create a New Group: without a name it is refused on the field.
	b.submit(`#new-group`)
	require.Equal(t, "Create a New Group", b.text(`h1`))
	b.submit(`#save`)
	require.Equal(t, "Product Group Name is required.", b.text(`#name-error`))
	b.do(chromedp.SendKeys(chromedp.CSS(`#name`), "Shared Hosting"))
	b.submit(`#save`)
	require.Equal(t, "Product group Shared Hosting created.", b.text(`p.flash`))
	groups, err := s.svc.ProductGroups(ctx)
	require.NoError(t, err)
	require.Len(t, groups, 1)
	group := groups[0]
	require.Contains(t, b.text(fmt.Sprintf(`#group-%d`, group.ID)), "Group Name: Shared Hosting")

	// Create a New Product in it. A form without a name and with a price that is no amount is
	// refused, each reason beside its field, everything typed kept.
	b.submit(fmt.Sprintf(`#group-%d a[href*="/setup/products/new"]`, group.ID))
	require.Equal(t, "Create a New Product", b.text(`h1`))
	require.Equal(t, strconv.FormatInt(group.ID, 10), b.value(`#group_id`), "the group it was created from")
	b.do(chromedp.SetValue(chromedp.CSS(`#type`), "hostingaccount"),
		chromedp.SendKeys(chromedp.CSS(`#description`), "10 GB of space\nFree SSL"),
		chromedp.SetValue(chromedp.CSS(`#module`), "fakepanel"),
		chromedp.SendKeys(chromedp.CSS(`#package_name`), "starter"),
		chromedp.Click(chromedp.CSS(`#auto_setup-payment`)),
		chromedp.SendKeys(chromedp.CSS(`#price-USD-monthly`), "9.9x"),
		chromedp.SendKeys(chromedp.CSS(`#setup-USD-monthly`), "5.00"),
		chromedp.SendKeys(chromedp.CSS(`#price-USD-annually`), "99.00"))
	b.submit(`#save`)
	require.Equal(t, "Product Name is required.", b.text(`#name-error`))
	require.Contains(t, b.text(`#price-USD-monthly-error`), `"9.9x" is not a decimal amount`)
	require.Equal(t, "9.9x", b.value(`#price-USD-monthly`), "the form keeps what was typed")
	require.Equal(t, "5.00", b.value(`#setup-USD-monthly`))
	require.Equal(t, "99.00", b.value(`#price-USD-annually`))
	require.Equal(t, "starter", b.value(`#package_name`))
	require.Equal(t, "fakepanel", b.value(`#module`))
	require.Equal(t, "10 GB of space\nFree SSL", b.value(`#description`))
	b.screenshot("console-setup-product-refused")
	products, err := s.svc.ListProducts(ctx)
	require.NoError(t, err)
	require.Empty(t, products, "nothing was created")

	b.do(chromedp.SendKeys(chromedp.CSS(`#name`), "Cloud Starter"),
		chromedp.SetValue(chromedp.CSS(`#price-USD-monthly`), "9.99"))
	b.submit(`#save`)
	require.Equal(t, "Product Cloud Starter created.", b.text(`p.flash`))
	products, err = s.svc.ListProducts(ctx)
	require.NoError(t, err)
	require.Len(t, products, 1)
	p := products[0]
	require.Equal(t, &group.ID, p.GroupID)
	require.Equal(t, order.SetupOnPayment, p.AutoSetup)
	require.Equal(t, "fakepanel", p.Module)
	require.ElementsMatch(t, []catalog.Price{{Currency: "USD", BillingCycle: order.Monthly, SetupFee: 500, Price: 999},
		{Currency: "USD", BillingCycle: order.Annually, Price: 9900}}, p.Prices)
	row := fmt.Sprintf(`#group-%d #product-%d`, group.ID, p.ID)
	require.Contains(t, b.text(row), "Cloud Starter")
	require.Contains(t, b.text(row), "9.99 USD Monthly")
	require.Contains(t, b.text(row), "On Payment")
	b.screenshot("console-setup-products")

	// The store lists it under its group.
	b.open(s.api.URL + "/store")
	require.Equal(t, "Shared Hosting", b.text(fmt.Sprintf(`#group-%d h3`, group.ID)))
	card := fmt.Sprintf(`#group-%d #product-%d`, group.ID, p.ID)
	require.Contains(t, b.text(card), "Cloud Starter")
	require.Contains(t, b.text(card), "10 GB of space")
	require.Contains(t, b.text(card), "$9.99 USD")
	b.screenshot("console-setup-store")

	// Edit: a new name, the annual price left empty (no longer offered), a quarterly one.
	b.open(fmt.Sprintf("%s/setup/products/%d", base, p.ID))
	require.Equal(t, "Edit Product: Cloud Starter", b.text(`h1`))
	require.Equal(t, "99.00", b.value(`#price-USD-annually`))
	b.emptyField(`#price-USD-annually`)
	b.do(chromedp.SetValue(chromedp.CSS(`#name`), "Cloud Starter Plus"),
		chromedp.SendKeys(chromedp.CSS(`#price-USD-quarterly`), "27.00"))
	b.screenshot("console-setup-product-edit")
	b.submit(`#save`)
	require.Equal(t, "Product Cloud Starter Plus saved.", b.text(`p.flash`))
	p, err = s.svc.GetProduct(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, "Cloud Starter Plus", p.Name)
	require.ElementsMatch(t, []catalog.Price{{Currency: "USD", BillingCycle: order.Monthly, SetupFee: 500, Price: 999},
		{Currency: "USD", BillingCycle: order.Quarterly, Price: 2700}}, p.Prices)

	// An order uses it: its delete is refused, saying why and how many orders.
	c := s.mustCall("POST", "/api/v1/clients", map[string]any{"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}, 201)
	s.mustCall("POST", "/api/v1/orders", map[string]any{"client_id": c["id"], "payment_method": "banktransfer",
		"items": []map[string]any{{"product_id": p.ID, "domain": "ada-site.com", "billing_cycle": "monthly"}}}, 201)
	b.open(fmt.Sprintf("%s/setup/products/%d", base, p.ID))
	b.submit(`#delete`)
	require.Equal(t, "Delete Product: Cloud Starter Plus", b.text(`h1`))
	b.submit(`form.confirm button.danger`)
	require.Equal(t, catalog.ProductInUse("Cloud Starter Plus", 1), b.text(`#delete-error`))
	require.Contains(t, b.text(`#delete-error`), "1 order uses it")
	require.Equal(t, int64(409), b.statusOf(fmt.Sprintf("%s/setup/products/%d/delete", base, p.ID)))
	b.screenshot("console-setup-product-delete-refused")
	_, err = s.svc.GetProduct(ctx, p.ID)
	require.NoError(t, err, "still there")

	// Hide it instead: the list marks it, the store no longer shows it.
	b.open(fmt.Sprintf("%s/setup/products/%d", base, p.ID))
	b.do(chromedp.Click(chromedp.CSS(`#hidden`)))
	b.submit(`#save`)
	require.Equal(t, "Product Cloud Starter Plus saved.", b.text(`p.flash`))
	require.Contains(t, b.text(row), "Hidden")
	b.open(s.api.URL + "/store")
	require.Zero(t, b.count(fmt.Sprintf(`#product-%d`, p.ID)))
	require.Zero(t, b.count(fmt.Sprintf(`#group-%d`, group.ID)), "a group with nothing to show is left out")

	// A product no order uses is deleted, with nothing else typed than its name and a price;
	// it lands in no group when none is picked.
	b.open(base + "/setup/products/new")
	b.emptyField(`#group_id`)
	b.do(chromedp.SendKeys(chromedp.CSS(`#name`), "Spare"),
		chromedp.SetValue(chromedp.CSS(`#type`), "other"),
		chromedp.SendKeys(chromedp.CSS(`#price-USD-onetime`), "15.00"))
	b.submit(`#save`)
	require.Equal(t, "Product Spare created.", b.text(`p.flash`))
	require.Contains(t, b.text(`#no-group`), "Spare")
	href, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#no-group a")].find(a => a.textContent === "Delete").href`))
	require.NoError(t, err)
	m := regexp.MustCompile(`/setup/products/(\d+)/delete$`).FindStringSubmatch(href)
	require.NotNil(t, m, href)
	b.open(href)
	b.submit(`form.confirm button.danger`)
	require.Equal(t, "Product Spare deleted.", b.text(`p.flash`))
	require.Zero(t, b.count(`#no-group`))
	spare, _ := strconv.ParseInt(m[1], 10, 64)
	_, err = s.svc.GetProduct(ctx, spare)
	require.Error(t, err)

	b.noErrors()
}

// emptyField empties an input, or picks a select's empty choice (chromedp's SetValue refuses "").
func (b *browser) emptyField(sel string) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector(%q).value = "", true`, sel)))
	require.NoError(b.t, err, sel)
}
