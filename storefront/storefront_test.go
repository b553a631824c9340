package storefront

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/cart"
	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/storefront/internal/storetest"
	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/tax"
)

// mounted is the storefront without a service: these tests reach only what answers before the
// service is asked.
func mounted() http.Handler { return New(nil, zap.NewNop(), Options{Company: "Example Hosting"}) }

func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	h := mounted()
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/store/static/store.css", 200},
		{"GET", "/store/static/store.js", 200},
		{"GET", "/store/static/", 404},
		{"GET", "/store/no-such-page", 404},
		{"GET", "/client/", 404},
		{"GET", "/client/login", 200},
		{"GET", "/client/register", 200},
		{"GET", "/client", 303},            // sign in first
		{"GET", "/client/invoices/7", 303}, // sign in first
		{"GET", "/client/invoices/7/print", 303},
		{"GET", "/client/services", 303},
		{"GET", "/client/password-reset", 200},
		{"GET", "/store/static/print.css", 200},
		{"GET", "/store/static/print.js", 200},
	} {
		rec := storetest.Serve(h, httptest.NewRequest(c.method, c.path, nil))
		require.Equal(t, c.status, rec.Code, "%s %s", c.method, c.path)
		storetest.RequireSecurityHeaders(t, rec.Header())
	}
}

// Signed out, the client area's pages send the visitor to sign in and back.
func TestClientPagesAskToSignIn(t *testing.T) {
	rec := storetest.Serve(mounted(), httptest.NewRequest("GET", "/client/invoices/7", nil))
	require.Equal(t, http.StatusSeeOther, rec.Code)
	require.Equal(t, "/client/login?next="+url.QueryEscape("/client/invoices/7"), rec.Header().Get("Location"))
}

// A form posted from another site changes nothing: 403 before any handler runs.
func TestCrossSitePostRefused(t *testing.T) {
	h := mounted()
	for _, path := range []string{"/checkout", "/cart/empty", "/store/product/1", "/client/login", "/client/invoices/1/pay",
		"/client/details", "/client/details/password", "/client/domains/1/nameservers", "/client/password-reset", "/client/reset"} {
		req := httptest.NewRequest("POST", path, strings.NewReader("x=1"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		rec := storetest.Serve(h, req)
		require.Equal(t, http.StatusForbidden, rec.Code, path)
		require.Contains(t, rec.Body.String(), "sent from another site")
		storetest.RequireSecurityHeaders(t, rec.Header())
	}
}

// The company's name, not hostflow's admin look, heads every page.
func TestLayoutCarriesTheCompany(t *testing.T) {
	rec := storetest.Serve(mounted(), httptest.NewRequest("GET", "/client/login", nil))
	body := rec.Body.String()
	require.Contains(t, body, `<a class="brand" href="/store">Example Hosting</a>`)
	require.Contains(t, body, "<title>Sign in · Example Hosting</title>")
	require.Contains(t, body, `/store/static/store.css`)
	require.NotContains(t, body, "/admin/")
	require.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
}

func TestStoreListsProductsInTheVisitorsCurrency(t *testing.T) {
	products := []catalog.Product{
		{ID: 1, Name: "Starter", Type: order.HostingAccount, Prices: []catalog.Price{
			{Currency: "USD", BillingCycle: order.Annually, Price: 9999},
			{Currency: "USD", BillingCycle: order.Monthly, Price: 999, SetupFee: 500},
			{Currency: "EUR", BillingCycle: order.Monthly, Price: 899}}},
		{ID: 2, Name: "Secret", Type: order.HostingAccount, Hidden: true, Prices: []catalog.Price{{Currency: "USD", BillingCycle: order.Monthly, Price: 1}}},
		{ID: 3, Name: "Euro only", Type: order.OtherProduct, Prices: []catalog.Price{{Currency: "EUR", BillingCycle: order.Monthly, Price: 100}}},
	}
	shown, currencies, elsewhere := cards(products, "USD")
	require.Len(t, shown, 1, "the hidden product and the one not sold in USD are not shown")
	require.Equal(t, []string{"EUR", "USD"}, currencies)
	require.Equal(t, 1, elsewhere)
	require.Equal(t, order.Monthly, shown[0].From().BillingCycle, "the shortest cycle first")

	body := storetest.Render(t, "store", &page.View{Title: "Store", Data: storeView{Currency: "USD", Currencies: currencies, Shelves: []shelfView{{Products: shown}}}})
	require.Contains(t, body, "Order Now")
	require.Contains(t, body, `href="/store/product/1"`)
	require.Contains(t, body, "$9.99 USD")
	require.Contains(t, body, "+ $5.00 USD setup")
	require.Contains(t, body, "$99.99 USD")
	require.Contains(t, body, `<option value="EUR">EUR</option>`, "the currency picker")
	require.NotContains(t, body, "Secret")

	fixed := storetest.Render(t, "store", &page.View{Title: "Store", Data: storeView{Currency: "USD", Currencies: currencies, Shelves: []shelfView{{Products: shown}}, Fixed: true}})
	require.NotContains(t, fixed, `name="currency"`, "a client's currency is their own")
}

// The store lists products under their groups in the groups' order, leaves a hidden group out
// with its products, and lists the products in no group last.
func TestStoreListsProductsUnderTheirGroups(t *testing.T) {
	usd := func(price int64) []catalog.Price {
		return []catalog.Price{{Currency: "USD", BillingCycle: order.Monthly, Price: price}}
	}
	vps, shared, secret := int64(7), int64(5), int64(9)
	groups := []catalog.ProductGroup{{ID: shared, Name: "Shared Hosting", Position: 1}, {ID: vps, Name: "VPS", Position: 2},
		{ID: secret, Name: "Staff only", Position: 3, Hidden: true}, {ID: 11, Name: "Empty", Position: 4}}
	none := int64(0)
	stock := int32(0)
	products := []catalog.Product{
		{ID: 1, Name: "VPS One", GroupID: &vps, Prices: usd(2000)},
		{ID: 2, Name: "Starter", GroupID: &shared, Prices: usd(999)},
		{ID: 3, Name: "Loose", Prices: usd(100)},
		{ID: 4, Name: "Internal", GroupID: &secret, Prices: usd(1)},
		{ID: 5, Name: "Old plan", GroupID: &shared, Hidden: true, Prices: usd(1)},
		{ID: 6, Name: "Sold out", GroupID: &shared, Stock: &stock, Prices: usd(500)},
		{ID: 7, Name: "Lost group", GroupID: &none, Prices: usd(300)},
	}
	shown, _, _ := shelves(groups, products, "USD")
	var got [][]string
	for _, sh := range shown {
		names := []string{sh.Name}
		for _, p := range sh.Products {
			names = append(names, p.Name)
		}
		got = append(got, names)
	}
	require.Equal(t, [][]string{{"Shared Hosting", "Starter", "Sold out"}, {"VPS", "VPS One"}, {"", "Loose", "Lost group"}}, got)

	body := storetest.Render(t, "store", &page.View{Title: "Store", Data: storeView{Currency: "USD", Shelves: shown}})
	require.Contains(t, body, `<h3 class="group-name" id="group-5-h">Shared Hosting</h3>`)
	require.Contains(t, body, "Other products", "the products in no group under a heading of their own")
	require.Contains(t, body, "Out of Stock")
	require.NotContains(t, body, `href="/store/product/6"`, "no Order Now for a product out of stock")
	require.NotContains(t, body, "Staff only")
}

func TestProductPageShowsTheDomainChoiceAndItsRefusal(t *testing.T) {
	p := productCard{ID: 4, Name: "Starter", Kind: "Hosting Account", Prices: []catalog.Price{{Currency: "USD", BillingCycle: order.Monthly, Price: 999}}}
	a := catalog.Availability{Domain: "taken-site.com", Status: catalog.DomainTaken, CanTransfer: true, Currency: "USD",
		Message: "taken-site.com is already registered; if it is yours, transfer it to us"}
	body := storetest.Render(t, "product", &page.View{Title: "Configure", Data: productView{Product: p, Periods: domainPeriods,
		Form: configureForm{Cycle: "monthly", Action: "register", Domain: "taken-site.com", Period: 1}, Availability: &a, OfferTransfer: true,
		Errors: map[string]string{"domain": "taken-site.com is already registered; if it is yours, transfer it to us"}}})
	for _, want := range []string{"Register a new domain", "Transfer your domain", "Use an existing domain", "Add to Cart",
		`id="transfer-offer"`, `aria-invalid="true"`, `value="taken-site.com"`, `id="domain-error"`} {
		require.Contains(t, body, want)
	}
}

func TestCartPage(t *testing.T) {
	v := cartView{Cart: cart.View{Currency: "USD", Total: 2699, Lines: []cart.Line{{ID: 9, Kind: cart.KindProduct, ProductID: 1,
		ProductName: "Starter", BillingCycle: order.Monthly, Domain: "new-site.com", DomainAction: cart.DomainRegister, Period: 1,
		SetupFee: 500, Price: 999, DomainPrice: 1200}}},
		Cycles: map[int64][]catalog.Price{1: {{Currency: "USD", BillingCycle: order.Monthly}, {Currency: "USD", BillingCycle: order.Annually}}},
		Errors: map[string]string{"promo_code": "The promotion code entered does not apply to any items in your cart"}, Promo: "NOPE"}
	body := storetest.Render(t, "cart", &page.View{Title: "Cart", Data: v})
	for _, want := range []string{"Starter", "new-site.com", "$5.00 USD", "$9.99 USD", "$12.00 USD", `id="cart-total">$26.99 USD`, "Checkout",
		"Empty Cart", `name="item" value="9"`, `value="NOPE"`, "does not apply", `<option value="annually">Annually</option>`} {
		require.Contains(t, body, want)
	}
	empty := storetest.Render(t, "cart", &page.View{Title: "Cart", Data: cartView{Cart: cart.View{Currency: "USD"}}})
	require.Contains(t, empty, "Your cart is empty.")
}

// A signed-in business's cart whose VAT is reverse charged says so in its summary.
func TestCartPageReverseCharged(t *testing.T) {
	v := cartView{Cart: cart.View{Currency: "EUR", Total: 1000, Tax: &order.Tax{ReverseCharge: true},
		Lines: []cart.Line{{ID: 9, Kind: cart.KindProduct, ProductID: 1, ProductName: "Starter", BillingCycle: order.Monthly, Price: 1000}}}}
	body := storetest.Render(t, "cart", &page.View{Title: "Cart", Data: v})
	require.Contains(t, body, `id="cart-tax-note">`+tax.ReverseChargeNote+`</dt>`)
}

// The checkout form carries WHMCS's field names, keeps what was typed but never a password,
// and shows each refusal on its field.
func TestCheckoutFormKeepsWhatWasTyped(t *testing.T) {
	v := checkoutView{Cart: cart.View{Currency: "USD", Total: 999, Lines: []cart.Line{{ID: 1, Kind: cart.KindProduct, ProductName: "Starter",
		BillingCycle: order.Monthly, Price: 999}}}, Methods: []string{"banktransfer", "stripe"}, Account: "new", Method: "stripe",
		Register: page.Account{FirstName: "Grace", LastName: "Hopper", Email: "not-an-email", Country: "GB", Phone: "+44 20 7946 0000"},
		Errors:   map[string]string{"email": "The email address you entered was not valid"}}
	body := storetest.Render(t, "checkout", &page.View{Title: "Checkout", Data: v})
	for _, name := range []string{"firstname", "lastname", "companyname", "email", "password", "address1", "address2", "city", "state",
		"postcode", "country", "phonenumber", "paymentmethod", "notes", "login_email", "login_password"} {
		require.Contains(t, body, `name="`+name+`"`, name)
	}
	require.Contains(t, body, `value="Grace"`)
	require.Contains(t, body, `value="not-an-email"`)
	require.Contains(t, body, `<option value="GB" selected>United Kingdom</option>`)
	require.Contains(t, body, `id="email-error" role="alert">The email address you entered was not valid`)
	require.Contains(t, body, `value="stripe" checked`)
	require.Contains(t, body, "Complete Order")
	require.NotRegexp(t, `name="password"[^>]*value=`, body)
}

func TestSafeNext(t *testing.T) {
	for next, want := range map[string]string{"/checkout": "/checkout", "/client/invoices/3": "/client/invoices/3", "/cart?x=1": "/cart?x=1",
		"//evil.example/store": "", "https://evil.example/cart": "", "/admin/": "", "/storefront": "", "/store\\x": ""} {
		require.Equal(t, want, safeNext(next), next)
	}
}
