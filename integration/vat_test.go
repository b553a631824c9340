package integration

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/tax"
)

// euVATStack is a stack with tax on, a German seller, German and French VAT, and a taxable
// product of 10.00 EUR; it answers the product.
func euVATStack(s *stack) (product float64) {
	s.mustCall("PUT", "/api/v1/settings", map[string]string{"tax_enabled": "true", "seller_country": "de"}, 200)
	require.Equal(s.t, "DE", s.mustCall("GET", "/api/v1/settings", nil, 200)["seller_country"], "kept in capitals")
	s.mustCall("POST", "/api/v1/tax-rules", map[string]any{"name": "MwSt", "country": "DE", "rate": "19", "level": 1}, 201)
	s.mustCall("POST", "/api/v1/tax-rules", map[string]any{"name": "TVA", "country": "FR", "rate": "20", "level": 1}, 201)
	p := s.mustCall("POST", "/api/v1/products", map[string]any{"name": "Hosting", "type": "other", "taxable": true,
		"prices": []map[string]any{{"currency": "EUR", "billing_cycle": "monthly", "price": "10.00"}}}, 201)
	return p["id"].(float64)
}

// euClient creates a client in country paying in EUR with taxID (none when "").
func (s *stack) euClient(country, taxID string) map[string]any {
	return s.mustCall("POST", "/api/v1/clients", map[string]any{"first_name": "Marie", "last_name": "Curie", "currency": "EUR",
		"email": fmt.Sprintf("marie-%d@example.com", time.Now().UnixNano()), "country": country, "tax_id": taxID}, 201)
}

// euInvoice places an order of product for client and answers its invoice as REST shows it.
func (s *stack) euInvoice(client, product float64) map[string]any {
	p := s.mustCall("POST", "/api/v1/orders", map[string]any{"client_id": client, "payment_method": "banktransfer",
		"items": []map[string]any{{"product_id": product}}}, 201)
	o := s.mustCall("GET", fmt.Sprintf("/api/v1/orders/%d", int64(p["order_id"].(float64))), nil, 200)
	return o["invoice"].(map[string]any)
}

// A German seller invoices a French business with a valid VAT number no VAT, and the invoice
// says the VAT is reverse charged (REST, WHMCS's GetInvoice notes); the same client without a
// VAT number pays French VAT, a German business German VAT; a VAT number of the wrong shape is
// refused on tax_id by REST and the WHMCS API.
func TestEUVATReverseCharge(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	product := euVATStack(s)

	fr := s.euClient("FR", "40 303 265 045")
	require.Equal(t, "FR40303265045", fr["tax_id"], "kept in VIES's form, with its prefix")
	frID := fr["id"].(float64)
	inv := s.euInvoice(frID, product)
	require.Equal(t, map[string]any{"subtotal": "10.00", "tax": "0.00", "tax2": "0.00", "total": "10.00", "tax_rate": "0.000",
		"reverse_charge": true, "tax_note": tax.ReverseChargeNote},
		pick(inv, "subtotal", "tax", "tax2", "total", "tax_rate", "reverse_charge", "tax_note", "tax_name"))
	require.Equal(t, []any{false}, lineTaxed(inv), "no line is taxed")

	call := s.whmcsAPI(t)
	w := call("GetInvoice", "invoiceid", fmt.Sprint(inv["id"]))
	require.Equal(t, map[string]any{"tax": "0.00", "total": "10.00", "notes": tax.ReverseChargeNote},
		pick(w, "tax", "total", "notes"))

	// Without its VAT number the French client is a consumer: French VAT.
	s.mustCall("PATCH", fmt.Sprintf("/api/v1/clients/%d", int64(frID)), map[string]any{"tax_id": ""}, 200)
	inv = s.euInvoice(frID, product)
	require.Equal(t, map[string]any{"subtotal": "10.00", "tax": "2.00", "total": "12.00", "tax_rate": "20.000", "tax_name": "TVA",
		"reverse_charge": false}, pick(inv, "subtotal", "tax", "total", "tax_rate", "tax_name", "reverse_charge", "tax_note"))
	require.Equal(t, []any{true}, lineTaxed(inv))
	w = call("GetInvoice", "invoiceid", fmt.Sprint(inv["id"]))
	require.Equal(t, "", w["notes"])

	// Given back through WHMCS's UpdateClient, in any spacing, the number reverse charges again.
	call("UpdateClient", "clientid", fmt.Sprint(frID), "tax_id", "fr-40.303.265.045")
	d := call("GetClientsDetails", "clientid", fmt.Sprint(frID))
	require.Equal(t, "FR40303265045", d["client"].(map[string]any)["tax_id"])
	require.Equal(t, true, s.euInvoice(frID, product)["reverse_charge"])

	// A German business buys from a German seller: German VAT.
	inv = s.euInvoice(s.euClient("DE", "DE123456789")["id"].(float64), product)
	require.Equal(t, map[string]any{"tax": "1.90", "total": "11.90", "tax_name": "MwSt", "reverse_charge": false},
		pick(inv, "tax", "total", "tax_name", "reverse_charge", "tax_note"))

	// A VAT number of the wrong shape is refused on tax_id, everywhere a client's is set.
	status, out := s.call("POST", "/api/v1/clients", map[string]any{"first_name": "Marie", "last_name": "Curie", "currency": "EUR",
		"email": "bad-vat@example.com", "country": "FR", "tax_id": "FR123"})
	require.Equal(t, 422, status, "%v", out)
	require.Equal(t, "tax_id", out["field"])
	require.Contains(t, out["error"], "FR40303265045", "the refusal shows the form expected")
	status, out = s.call("PATCH", fmt.Sprintf("/api/v1/clients/%d", int64(frID)), map[string]any{"tax_id": "DE123456789X"})
	require.Equal(t, 422, status, "%v", out)
	require.Equal(t, "tax_id", out["field"])
	w = call("AddClient", "firstname", "Marie", "lastname", "Curie", "email", "bad-vat-whmcs@example.com", "country", "FR",
		"tax_id", "FR123", "skipvalidation", "true", "password2", "correct horse battery")
	require.Equal(t, "error", w["result"], "%v", w)
	require.Contains(t, w["message"], "VAT number")
	w = call("UpdateClient", "clientid", fmt.Sprint(frID), "tax_id", "123")
	require.Equal(t, "error", w["result"], "%v", w)
	require.Contains(t, w["message"], "VAT number")
	d = call("GetClientsDetails", "clientid", fmt.Sprint(frID))
	require.Equal(t, "FR40303265045", d["client"].(map[string]any)["tax_id"], "a refused number changes nothing")

	// Outside the EU a tax id is free text.
	require.Equal(t, "12-3456789", s.euClient("US", "12-3456789")["tax_id"])
	s.mustCall("PUT", "/api/v1/settings", map[string]string{"seller_country": "Germany"}, 422)
}
