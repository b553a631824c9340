package console

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/order"
)

// The product form reads into the REST API's NewProduct: a grid cycle with neither price nor
// setup fee is not offered, and each price's refusal finds its way back to its cell.
func TestProductFormReadsAsTheAPI(t *testing.T) {
	v := url.Values{"name": {" Starter "}, "type": {"hostingaccount"}, "group_id": {"4"}, "module": {"cpanel"},
		"auto_setup": {"payment"}, "welcome_email": {"1"}, "stock_control": {"1"}, "quantity": {"10"},
		"currency":          {"USD", "EUR", "USD", "nope"},
		"price-USD-monthly": {"9.99"}, "setup-USD-monthly": {"5"}, "setup-USD-annually": {"1"},
		"price-EUR-onetime": {"20"}, "price-EUR-weekly": {"1"}}
	f := readProductForm(v)
	require.Equal(t, []string{"USD", "EUR"}, f.Currencies, "each currency once, codes only")
	p, cells, errs := productFromForm(f)
	require.Empty(t, errs)
	group, stock, welcome := int64(4), int32(10), true
	require.Equal(t, catalog.NewProduct{Name: "Starter", Type: order.HostingAccount, GroupID: &group, Module: "cpanel",
		AutoSetup: order.SetupOnPayment, WelcomeEmail: &welcome, Stock: &stock, Prices: []catalog.NewPrice{
			{Currency: "USD", BillingCycle: order.Monthly, Price: "9.99", SetupFee: "5"},
			{Currency: "USD", BillingCycle: order.Annually, SetupFee: "1"},
			{Currency: "EUR", BillingCycle: order.OneTime, Price: "20"}}}, p)
	require.Equal(t, []string{"USD-monthly", "USD-annually", "EUR-onetime"}, cells)

	for field, want := range map[string]string{
		"name":                "name",
		"prices":              "prices",
		"prices[1].price":     "price-USD-annually",
		"prices[0].setup_fee": "setup-USD-monthly",
		"prices[2].currency":  "prices",
		"prices[9].price":     "prices",
		"prices[x].price":     "prices",
		"group_id":            "group_id",
	} {
		require.Equal(t, want, productField(field, cells), field)
	}

	_, _, errs = productFromForm(readProductForm(url.Values{"group_id": {"shared"}, "stock_control": {"1"}, "quantity": {"many"}}))
	require.Equal(t, map[string]string{"group_id": "Choose a product group from the list.",
		"stock": "Quantity must be a whole number (0 or more)."}, errs)
}

func TestSentence(t *testing.T) {
	for _, tc := range [][3]string{
		{"Product Name", "is required", "Product Name is required."},
		{"Price", `"9.9x" is not a decimal amount`, `"9.9x" is not a decimal amount.`},
		{"Product Group", "no such product group", "No such product group."},
	} {
		require.Equal(t, tc[2], sentence(tc[0], tc[1]))
	}
}
