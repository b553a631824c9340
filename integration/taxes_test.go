package integration

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/ordering"
)

// taxCatalogue creates a taxable product (10.00) and an untaxed one (5.00), neither with a
// module, so an order of both needs no domain.
func (s *stack) taxCatalogue() (taxable, untaxed float64) {
	product := func(name, price string, taxable bool) float64 {
		p := s.mustCall("POST", "/api/v1/products", map[string]any{"name": name, "type": "other", "taxable": taxable,
			"prices": []map[string]any{{"currency": "GBP", "billing_cycle": "monthly", "price": price}}}, 201)
		require.Equal(s.t, taxable, p["taxable"])
		return p["id"].(float64)
	}
	return product("Hosting", "10.00", true), product("Support", "5.00", false)
}

// taxClient creates a client in GB paying in GBP, exempt from tax or not.
func (s *stack) taxClient(exempt bool) float64 {
	c := s.mustCall("POST", "/api/v1/clients", map[string]any{"first_name": "Ada", "last_name": "Lovelace", "currency": "GBP",
		"email": fmt.Sprintf("ada-%d@example.com", time.Now().UnixNano()), "country": "GB", "tax_exempt": exempt,
		"tax_id": "GB123456789"}, 201)
	require.Equal(s.t, exempt, c["tax_exempt"])
	require.Equal(s.t, "GB123456789", c["tax_id"])
	return c["id"].(float64)
}

// taxedInvoice places an order of both products for client and answers its invoice as the
// order's REST view shows it, and its order's amount.
func (s *stack) taxedInvoice(client, taxable, untaxed float64) (invoice map[string]any, amount string) {
	p := s.mustCall("POST", "/api/v1/orders", map[string]any{"client_id": client, "payment_method": "banktransfer",
		"items": []map[string]any{{"product_id": taxable}, {"product_id": untaxed}}}, 201)
	o := s.mustCall("GET", fmt.Sprintf("/api/v1/orders/%d", int64(p["order_id"].(float64))), nil, 200)
	return o["invoice"].(map[string]any), o["amount"].(string)
}

// lineTaxed is each invoice line's taxed flag, in order.
func lineTaxed(inv map[string]any) []any {
	var out []any
	for _, it := range inv["items"].([]any) {
		out = append(out, it.(map[string]any)["taxed"])
	}
	return out
}

// With tax on, a GB client's order of a taxable and an untaxed product is taxed on the taxable
// line only, at the GB rule and a compound level-2 rule, written with its invoice and answered
// alike by REST and WHMCS's GetInvoice; the console's quote agrees; an exempt client pays none;
// inclusive prices carry their tax inside.
func TestTaxOnTheOrdersInvoice(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	taxable, untaxed := s.taxCatalogue()
	gb := s.taxClient(false)

	// Off (the default), nothing is taxed.
	inv, _ := s.taxedInvoice(gb, taxable, untaxed)
	require.Equal(t, map[string]any{"subtotal": "15.00", "tax": "0.00", "tax2": "0.00", "total": "15.00", "tax_rate": "0.000",
		"tax_rate2": "0.000"}, pick(inv, "subtotal", "tax", "tax2", "total", "tax_rate", "tax_rate2"))
	require.Equal(t, []any{false, false}, lineTaxed(inv))

	s.mustCall("PUT", "/api/v1/settings", map[string]string{"tax_enabled": "true", "tax_compound": "true"}, 200)
	s.mustCall("POST", "/api/v1/tax-rules", map[string]any{"name": "Sales Tax", "rate": "7", "level": 1}, 201) // any country
	vat := s.mustCall("POST", "/api/v1/tax-rules", map[string]any{"name": "VAT", "country": "gb", "rate": "20", "level": 1}, 201)
	require.Equal(t, map[string]any{"id": vat["id"], "level": 1.0, "name": "VAT", "country": "GB", "state": "", "rate": "20.000"}, vat)
	s.mustCall("POST", "/api/v1/tax-rules", map[string]any{"name": "Levy", "rate": "5", "level": 2}, 201)
	rules := s.mustCall("GET", "/api/v1/tax-rules", nil, 200)["tax_rules"].([]any)
	require.Len(t, rules, 3)

	// 10.00 taxed: VAT 2.00 (GB's rule over any country's), the levy 5% of 12.00 = 0.60
	// (compound); 5.00 untaxed.
	inv, amount := s.taxedInvoice(gb, taxable, untaxed)
	require.Equal(t, map[string]any{"subtotal": "15.00", "tax": "2.00", "tax2": "0.60", "total": "17.60", "tax_rate": "20.000",
		"tax_rate2": "5.000", "tax_name": "VAT", "tax_name2": "Levy", "balance": "17.60"},
		pick(inv, "subtotal", "tax", "tax2", "total", "tax_rate", "tax_rate2", "tax_name", "tax_name2", "balance"))
	require.Equal(t, "17.60", amount)
	require.Equal(t, []any{true, false}, lineTaxed(inv))

	call := s.whmcsAPI(t)
	w := call("GetInvoice", "invoiceid", fmt.Sprint(inv["id"]))
	require.Equal(t, map[string]any{"subtotal": "15.00", "tax": "2.00", "tax2": "0.60", "total": "17.60", "taxrate": "20.000",
		"taxrate2": "5.000", "balance": "17.60"}, pick(w, "subtotal", "tax", "tax2", "total", "taxrate", "taxrate2", "balance"))
	var flags []any
	for _, it := range w["items"].(map[string]any)["item"].([]any) {
		flags = append(flags, it.(map[string]any)["taxed"])
	}
	require.Equal(t, []any{1.0, 0.0}, flags)

	// The console's Order Summary prices it the same.
	quote, err := s.svc.Quote(context.Background(), ordering.PlaceOrder{ClientID: int64(gb), PaymentMethod: "banktransfer",
		Items: []ordering.PlaceItem{{ProductID: int64(taxable)}, {ProductID: int64(untaxed)}}})
	require.NoError(t, err)
	require.Equal(t, int64(1760), quote.Amount)
	require.Equal(t, int64(200), quote.Tax.Tax1)
	require.Equal(t, int64(60), quote.Tax.Tax2)

	// Paid in full by its balance.
	pay := s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", int64(inv["id"].(float64))),
		map[string]any{"transaction_id": "tax-1", "gateway": "banktransfer"}, 201)
	require.Equal(t, "17.60", pay["amount"], "%v", pay)
	require.Equal(t, "Paid", pay["status"], "%v", pay)

	// An exempt client pays no tax, and no line says taxed.
	inv, amount = s.taxedInvoice(s.taxClient(true), taxable, untaxed)
	require.Equal(t, map[string]any{"subtotal": "15.00", "tax": "0.00", "tax2": "0.00", "total": "15.00"},
		pick(inv, "subtotal", "tax", "tax2", "total"))
	require.Nil(t, inv["tax_name"])
	require.Equal(t, "15.00", amount)
	require.Equal(t, []any{false, false}, lineTaxed(inv))

	// A client made exempt through WHMCS's UpdateClient, and back through REST.
	other := s.taxClient(false)
	call("UpdateClient", "clientid", fmt.Sprint(other), "taxexempt", "1", "tax_id", "GB999")
	d := call("GetClientsDetails", "clientid", fmt.Sprint(other))
	require.Equal(t, true, d["client"].(map[string]any)["taxexempt"])
	require.Equal(t, "GB999", d["client"].(map[string]any)["tax_id"])
	inv, _ = s.taxedInvoice(other, taxable, untaxed)
	require.Equal(t, "15.00", inv["total"])
	c := s.mustCall("PATCH", fmt.Sprintf("/api/v1/clients/%d", int64(other)), map[string]any{"tax_exempt": false}, 200)
	require.Equal(t, false, c["tax_exempt"])
	require.Equal(t, "GB999", c["tax_id"], "a field not sent is kept")
	inv, _ = s.taxedInvoice(other, taxable, untaxed)
	require.Equal(t, "17.60", inv["total"])

	// Inclusive, not compound: 10.00 carries 10.00 × 20/125 = 1.60 VAT and 0.40 levy; the
	// invoice asks for the prices.
	s.mustCall("PUT", "/api/v1/settings", map[string]string{"tax_inclusive": "true", "tax_compound": "false"}, 200)
	inv, amount = s.taxedInvoice(gb, taxable, untaxed)
	require.Equal(t, map[string]any{"subtotal": "13.00", "tax": "1.60", "tax2": "0.40", "total": "15.00"},
		pick(inv, "subtotal", "tax", "tax2", "total"))
	require.Equal(t, "15.00", amount)
	w = call("GetInvoice", "invoiceid", fmt.Sprint(inv["id"]))
	require.Equal(t, map[string]any{"subtotal": "13.00", "tax": "1.60", "tax2": "0.40", "total": "15.00"},
		pick(w, "subtotal", "tax", "tax2", "total"))
}

// Bad tax-rule input is refused with the field named; a rule deleted is gone.
func TestTaxRulesRefuseBadInput(t *testing.T) {
	s := newStack(t)
	for _, tc := range []struct {
		body  map[string]any
		field string
		msg   string
	}{
		{map[string]any{"name": "VAT", "rate": "101", "level": 1}, "rate", "more than 100"},
		{map[string]any{"name": "VAT", "rate": "-1", "level": 1}, "rate", "not a percentage"},
		{map[string]any{"name": "VAT", "rate": "12.3456", "level": 1}, "rate", "more than 3 decimals"},
		{map[string]any{"name": "VAT", "rate": "100.001", "level": 1}, "rate", "more than 100"},
		{map[string]any{"name": "VAT", "rate": "twenty", "level": 1}, "rate", "not a percentage"},
		{map[string]any{"name": "VAT", "rate": "20", "level": 3}, "level", "must be 1 or 2"},
		{map[string]any{"name": "VAT", "rate": "20"}, "level", "must be 1 or 2"},
		{map[string]any{"name": "VAT", "rate": "20", "level": 1, "country": "GBR"}, "country", "ISO 3166"},
		{map[string]any{"name": "VAT", "rate": "20", "level": 1, "country": "ZZ"}, "country", "ISO 3166"},
		{map[string]any{"name": "CA", "rate": "7.25", "level": 1, "state": "CA"}, "state",
			"A country must also be selected for a state specific tax rule"},
	} {
		status, out := s.call("POST", "/api/v1/tax-rules", tc.body)
		require.Equal(t, 422, status, "%v: %v", tc.body, out)
		require.Equal(t, tc.field, out["field"], "%v: %v", tc.body, out)
		require.Contains(t, out["error"], tc.msg, "%v", tc.body)
	}
	status, out := s.call("POST", "/api/v1/tax-rules", map[string]any{"rate": 20, "level": 1})
	require.Equal(t, 400, status, "a rate is a decimal string: %v", out)
	require.Equal(t, "rate", out["field"])

	r := s.mustCall("POST", "/api/v1/tax-rules", map[string]any{"country": "US", "state": "CA", "rate": "7.25", "level": 1}, 201)
	require.Equal(t, "Tax", r["name"], "a blank name is Tax, as in WHMCS")
	path := fmt.Sprintf("/api/v1/tax-rules/%d", int64(r["id"].(float64)))
	s.mustCall("DELETE", path, nil, 200)
	s.mustCall("DELETE", path, nil, 404)
	require.Empty(t, s.mustCall("GET", "/api/v1/tax-rules", nil, 200)["tax_rules"])

	s.mustCall("PUT", "/api/v1/settings", map[string]string{"tax_enabled": "yes"}, 422)
}

// pick is the named fields of m that it has.
func pick(m map[string]any, names ...string) map[string]any {
	out := map[string]any{}
	for _, n := range names {
		if v, ok := m[n]; ok {
			out[n] = v
		}
	}
	return out
}
