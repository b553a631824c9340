package clientarea

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/storefront/internal/storetest"
	"github.com/hostflow/hostflow/storefront/page"
	"github.com/hostflow/hostflow/tax"
)

// The client area's views rendered with data, and its helpers, without a database.

func TestInvoicePage(t *testing.T) {
	c := &clients.Client{ID: 3, FirstName: "Grace", LastName: "Hopper"}
	inv := billing.InvoiceDetail{Invoice: billing.Invoice{ID: 12, OrderID: 5, ClientID: 3, Status: order.InvoiceUnpaid, Currency: "USD",
		Total: 2699, CreatedAt: time.Now(), DueAt: time.Now()}, Items: []billing.InvoiceLine{{Description: "Starter - new-site.com", Amount: 999}}}
	body := storetest.Render(t, "invoice", &page.View{Title: "Invoice #12", Client: c, Data: invoiceView{Invoice: inv,
		Order: ordering.OrderRow{Number: 1234, PaymentMethod: "stripe"}, PayNow: true}})
	for _, want := range []string{"Invoice #12", `id="invoice-status">Unpaid`, "Starter - new-site.com", `id="invoice-total">$26.99 USD`,
		`action="/client/invoices/12/pay"`, "Pay Now", "No payments yet."} {
		require.Contains(t, body, want)
	}
	review := storetest.Render(t, "invoice", &page.View{Title: "Invoice #12", Client: c, Data: invoiceView{Invoice: inv, Review: true}})
	require.Contains(t, review, `id="order-review"`)
	require.NotContains(t, review, "Pay Now", "an order stopped for review gets no payment page")
	require.NotContains(t, review, "invoice-status")
	require.NotContains(t, body, "Sub Total", "an untaxed invoice shows no tax rows")
}

// A taxed invoice shows WHMCS's rows: Sub Total, a row per level named "{rate}% {name}", taxed
// lines marked with * and the footnote, on the page and its printable version.
func TestTaxedInvoicePage(t *testing.T) {
	c := &clients.Client{ID: 3, FirstName: "Grace", LastName: "Hopper"}
	inv := billing.InvoiceDetail{Invoice: billing.Invoice{ID: 12, OrderID: 5, ClientID: 3, Status: order.InvoiceUnpaid, Currency: "GBP",
		Total: 1760, CreatedAt: time.Now(), DueAt: time.Now(),
		Tax: billing.InvoiceTax{Subtotal: 1500, Tax1: 200, Tax2: 60, Rate1: 20000, Rate2: 5000, Name1: "VAT", Name2: "Levy"}},
		Items: []billing.InvoiceLine{{Description: "Hosting", Amount: 1000, Taxed: true}, {Description: "Support", Amount: 500}}}
	for _, view := range []string{"invoice", "invoice-print"} {
		body := storetest.Render(t, view, &page.View{Title: "Invoice #12", Client: c, Data: invoiceView{Invoice: inv,
			Order: ordering.OrderRow{Number: 1234, PaymentMethod: "stripe"}}})
		for _, want := range []string{"<td>Hosting *</td>", "<td>Support</td>", "Sub Total", "20% VAT", "5% Levy", "* Indicates a taxed item."} {
			require.Contains(t, body, want, view)
		}
	}
}

// An invoice whose VAT was reverse charged says so below its lines, on the page and its
// printable version, and shows no tax rows.
func TestReverseChargedInvoicePage(t *testing.T) {
	c := &clients.Client{ID: 3, FirstName: "Marie", LastName: "Curie"}
	inv := billing.InvoiceDetail{Invoice: billing.Invoice{ID: 13, OrderID: 6, ClientID: 3, Status: order.InvoiceUnpaid, Currency: "EUR",
		Total: 1000, CreatedAt: time.Now(), DueAt: time.Now(), Tax: billing.InvoiceTax{Subtotal: 1000, ReverseCharge: true}},
		Items: []billing.InvoiceLine{{Description: "Hosting", Amount: 1000}}}
	for _, view := range []string{"invoice", "invoice-print"} {
		body := storetest.Render(t, view, &page.View{Title: "Invoice #13", Client: c, Data: invoiceView{Invoice: inv,
			Order: ordering.OrderRow{Number: 1235, PaymentMethod: "stripe"}}})
		require.Contains(t, body, `<p class="tax-note" id="invoice-tax-note">`+tax.ReverseChargeNote+`</p>`, view)
		require.NotContains(t, body, "Sub Total", view)
	}
}

// Pay Now's answer goes to the provider by a meta refresh and a link: the CSP's form-action
// would stop a redirect.
func TestPayPageGoesToTheProvider(t *testing.T) {
	body := storetest.Render(t, "pay", &page.View{Title: "Continue to payment", Data: "https://checkout.stripe.com/c/pay/cs_test_1?a=1&b=2"})
	require.Contains(t, body, `<meta http-equiv="refresh" content="0;url=https://checkout.stripe.com/c/pay/cs_test_1?a=1&amp;b=2">`)
	require.Contains(t, body, `href="https://checkout.stripe.com/c/pay/cs_test_1?a=1&amp;b=2"`)
}

func TestPagerAndPages(t *testing.T) {
	require.Equal(t, pager{Number: 1, Next: "/client/orders?page=2"}, pagerFor("/client/orders", dbtx.Page{Number: 1}, true))
	require.Equal(t, pager{Number: 2, Prev: "/client/orders"}, pagerFor("/client/orders", dbtx.Page{Number: 2}, false))
	require.Equal(t, pager{Number: 3, Prev: "/client/orders?page=2", Next: "/client/orders?page=4"},
		pagerFor("/client/orders", dbtx.Page{Number: 3}, true))
	for q, want := range map[string]int{"": 1, "page=0": 1, "page=-3": 1, "page=x": 1, "page=7": 7, "page=99999999999": dbtx.MaxPageNumber} {
		require.Equal(t, want, listPage(httptest.NewRequest("GET", "/client/orders?"+q, nil)).Number, q)
	}
	lim, off := dbtx.Page{Number: 3}.Query()
	require.Equal(t, int32(26), lim, "one more than the page, to learn whether another follows")
	require.Equal(t, int32(50), off)
	rows, more := dbtx.Cut(dbtx.Page{Number: 1, Size: 2}, []int{1, 2, 3})
	require.Equal(t, []int{1, 2}, rows)
	require.True(t, more)
	rows, more = dbtx.Cut(dbtx.Page{Number: 1, Size: 2}, []int{1, 2})
	require.Len(t, rows, 2)
	require.False(t, more)
}

func TestNameserverField(t *testing.T) {
	typed := [5]string{"a.example", "", "bad host", "", ""}
	require.Equal(t, "ns1", nameserverField("nameservers[0]", typed))
	require.Equal(t, "ns3", nameserverField("nameservers[1]", typed), "counted over the fields typed in")
	require.Equal(t, "nameservers", nameserverField("nameservers", typed))
	require.Equal(t, "nameservers", nameserverField("nameservers[7]", typed))
}
