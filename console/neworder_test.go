package console

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/console/page"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
)

// A refusal of the service's order lands on the form row its line came from: the rows left
// empty are not part of the order, so items[1] may be the form's third product.
func TestNewOrderRefusalLandsOnItsRow(t *testing.T) {
	rows := formRows{items: []int{0, 2}, domains: []int{1}}
	for field, want := range map[string][2]string{
		"items[1].epp_code":       {"item-2-epp", "Product 3"},
		"items[0].domain":         {"item-0-domain", "Product 1"},
		"items[1].domain_period":  {"item-2-period", "Product 3"},
		"domains[0].epp_code":     {"dom-1-epp", "Domain 2"},
		"client_id":               {"client", "Client"},
		"promo_code":              {"promo_code", "Promotion code"},
		"item-4-period":           {"item-4-period", "Product 5"}, // the console's own refusal
		"items[2].domain":         {"", ""},                       // no such line
		"items[0].price_override": {"", ""},                       // no such input
		"items":                   {"", ""},
	} {
		id, label := rows.input(field)
		require.Equal(t, want, [2]string{id, label}, field)
	}
}

// Register and Transfer ask the service to register or transfer the product's domain with it;
// Use Existing only names the hosting's domain, and a registration sends no EPP code.
func TestPlaceItemDomainChoice(t *testing.T) {
	row := itemRow{Product: "3", Cycle: "annually", Domain: "newsite.com", DomainAction: domainRegister, Period: "2", EPP: "typed", Nameservers: "ns1.x.net, ns2.x.net"}
	it, err := placeItem(0, row)
	require.NoError(t, err)
	require.Equal(t, ordering.PlaceItem{ProductID: 3, BillingCycle: order.Annually, Domain: "newsite.com", DomainType: order.DomainRegister,
		DomainPeriod: 2, Nameservers: []string{"ns1.x.net", "ns2.x.net"}}, it)
	row.DomainAction = domainTransfer
	it, err = placeItem(0, row)
	require.NoError(t, err)
	require.Equal(t, order.DomainTransfer, it.DomainType)
	require.Equal(t, "typed", it.EPPCode)
	row.DomainAction = domainExisting
	it, err = placeItem(0, row)
	require.NoError(t, err)
	require.Equal(t, ordering.PlaceItem{ProductID: 3, BillingCycle: order.Annually, Domain: "newsite.com"}, it)
	row.DomainAction, row.Period = domainRegister, "x"
	_, err = placeItem(1, row)
	require.Equal(t, "item-1-period", err.(*fault.Error).Field)
}

// The form shows a refusal under its field, keeps what was typed, and says it in the summary.
func TestNewOrderTemplateFieldError(t *testing.T) {
	f := newOrderForm{Client: "#1 Ada", Items: []itemRow{{Product: "", Cycle: "monthly", Domain: "keep.net", DomainAction: domainTransfer,
		Period: "1", EPP: ""}}, RequestID: "r1"}
	v := newOrderView{Form: f, Periods: domainPeriods, Methods: []string{"banktransfer"}}
	v.Fields = fieldErrors{"item-0-epp": "a transfer needs the domain's EPP code"}
	v.Problem = "Product 1: a transfer needs the domain's EPP code"
	body := renderPage(t, "neworder", &page.View{Title: "Add New Order", Data: v})
	for _, want := range []string{
		`<input id="item-0-epp" name="item-epp" value="" autocomplete="off" aria-invalid="true" aria-describedby="item-0-epp-error">`,
		`<small class="field-error" id="item-0-epp-error">a transfer needs the domain&#39;s EPP code</small>`,
		`value="keep.net"`, `<option value="transfer" selected>Transfer a Domain</option>`,
		`id="quote-problem">Product 1: a transfer needs the domain&#39;s EPP code</p>`,
	} {
		require.Contains(t, body, want)
	}
	require.NotContains(t, body, `id="order-error"`, "a field's refusal is not the form's")
}
