package integration

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestWHMCSAddClientFields: AddClient requires what WHMCS requires, with its messages, unless
// skipvalidation; stores address2, notes, language, tax_id, groupid and marketingoptin; and
// GetClientsDetails answers them.
func TestWHMCSAddClientFields(t *testing.T) {
	s := newStack(t)
	whmcs := s.whmcsAPI(t)
	full := []string{"firstname", "Ada", "lastname", "Lovelace", "email", "ada@example.com", "address1", "1 Analytical Way",
		"city", "London", "state", "London", "postcode", "N1 1AA", "country", "GB", "phonenumber", "020 7946 0000"}
	without := func(field string) []string {
		var kv []string
		for i := 0; i < len(full); i += 2 {
			if full[i] != field {
				kv = append(kv, full[i], full[i+1])
			}
		}
		return kv
	}
	for _, tc := range []struct{ field, message string }{
		{"firstname", "You did not enter your first name"},
		{"lastname", "You did not enter your last name"},
		{"address1", "You did not enter your address (line 1)"},
		{"city", "You did not enter your city"},
		{"state", "You did not enter your state"},
		{"postcode", "You did not enter your postcode"},
		{"country", "You did not enter your country"},
		{"phonenumber", "You did not enter your phone number"},
	} {
		require.Equal(t, map[string]any{"result": "error", "message": tc.message}, whmcs("AddClient", without(tc.field)...), tc.field)
	}
	// skipvalidation takes a client with a name and an email only, as WHMCS does.
	brief := whmcs("AddClient", "firstname", "Bo", "lastname", "Brief", "email", "bo@example.com", "skipvalidation", "true")
	require.Equal(t, "success", brief["result"], "%v", brief)

	added := whmcs("AddClient", append(full, "address2", "Flat 2", "notes", "prefers email", "language", "english",
		"tax_id", "GB123456789", "groupid", "3", "marketingoptin", "1")...)
	require.Equal(t, "success", added["result"], "%v", added)
	got := whmcs("GetClientsDetails", "clientid", added["clientid"].(string))
	client := got["client"].(map[string]any)
	for field, want := range map[string]any{"address2": "Flat 2", "notes": "prefers email", "language": "english",
		"tax_id": "GB123456789", "groupid": 3.0, "marketing_emails_opt_in": true} {
		require.Equal(t, want, client[field], field)
	}
	require.Equal(t, map[string]any{"result": "error", "message": "You did not enter your first name"},
		whmcs("AddClient", "lastname", "X", "email", "x@example.com", "skipvalidation", "true"), "a name is always required")
}

// TestWHMCSPaymentMethodsAndCurrencies: an order names one of GetPaymentMethods' methods (the
// configured gateways and the manual methods setting), else WHMCS's refusal lists them, on
// both APIs; a currency keeps its id when another one comes into use.
func TestWHMCSPaymentMethodsAndCurrencies(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	whmcs := s.whmcsAPI(t)
	addOrder := func(method string) map[string]any {
		return whmcs("AddOrder", "clientid", fmt.Sprint(int64(clientID)), "paymentmethod", method, "pid[0]", fmt.Sprint(int64(productID)),
			"billingcycle[0]", "monthly", "domain[0]", "methods-"+method+".com")
	}
	methods := func() []string {
		var out []string
		for _, m := range whmcs("GetPaymentMethods")["paymentmethods"].(map[string]any)["paymentmethod"].([]any) {
			out = append(out, m.(map[string]any)["module"].(string))
		}
		return out
	}
	// The test stack configures Stripe; the manual methods are a new installation's.
	require.Equal(t, []string{"banktransfer", "mailin", "stripe"}, methods())
	require.Equal(t, map[string]any{"result": "error", "message": "Invalid Payment Method. Valid options include banktransfer,mailin,stripe"},
		addOrder("paypal"))
	status, out := s.call("POST", "/api/v1/orders", map[string]any{"client_id": clientID, "payment_method": "paypal",
		"items": []map[string]any{{"product_id": productID, "billing_cycle": "monthly"}}})
	require.Equal(t, 422, status, "%v", out)
	require.Equal(t, "Invalid Payment Method. Valid options include banktransfer,mailin,stripe", out["error"])

	// A configured gateway and a manual method an admin adds are offered, and taken.
	s.mustCall("PUT", "/api/v1/gateways/paypal", map[string]any{"secret": "paypal-secret-0123456789abcdef"}, 200)
	s.mustCall("PUT", "/api/v1/settings", map[string]any{"manual_payment_methods": "banktransfer,cheque"}, 200)
	require.Equal(t, []string{"banktransfer", "cheque", "paypal", "stripe"}, methods())
	require.Equal(t, "success", addOrder("paypal")["result"])
	require.Equal(t, "success", addOrder("cheque")["result"])
	s.mustCall("PUT", "/api/v1/settings", map[string]any{"manual_payment_methods": "Bank Transfer"}, 422)

	// Ids are given as currencies come into use and kept: AUD, though it sorts first, comes after.
	currencies := func() map[string]string {
		out := map[string]string{}
		for _, c := range whmcs("GetCurrencies")["currencies"].(map[string]any)["currency"].([]any) {
			out[c.(map[string]any)["code"].(string)] = c.(map[string]any)["id"].(string)
		}
		return out
	}
	s.mustCall("POST", "/api/v1/clients", map[string]any{"first_name": "Eu", "last_name": "Ro", "email": "eu@example.com", "currency": "EUR"}, 201)
	before := currencies()
	require.Equal(t, "1", before["USD"])
	s.mustCall("POST", "/api/v1/tlds", map[string]any{"tld": ".au", "currency": "AUD", "register_price": "20.00", "transfer_price": "20.00"}, 201)
	after := currencies()
	require.Equal(t, before["EUR"], after["EUR"], "EUR keeps its id")
	require.NotEmpty(t, after["AUD"])
	added := whmcs("AddClient", "firstname", "Au", "lastname", "Ssie", "email", "au@example.com", "currency", after["AUD"], "skipvalidation", "1")
	details := whmcs("GetClientsDetails", "clientid", added["clientid"].(string))
	require.Equal(t, "AUD", details["currency_code"])
}

// TestWHMCSGetInvoicesSorted: GetInvoices' orderby and order, through the page's ids in the
// sort's order, the deeper pages following on.
func TestWHMCSGetInvoicesSorted(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	whmcs := s.whmcsAPI(t)
	var ids []string
	for _, price := range []string{"20.00", "10.00", "30.00"} {
		placed := whmcs("AddOrder", "clientid", fmt.Sprint(int64(clientID)), "paymentmethod", "banktransfer",
			"pid[0]", fmt.Sprint(int64(productID)), "billingcycle[0]", "monthly", "priceoverride[0]", price,
			"domain[0]", "sorted-"+price[:2]+".com")
		require.Equal(t, "success", placed["result"], "%v", placed)
		ids = append(ids, placed["invoiceid"].(string))
	}
	list := func(kv ...string) (got []string) {
		out := whmcs("GetInvoices", kv...)
		require.Equal(t, "success", out["result"], "%v", out)
		for _, inv := range out["invoices"].(map[string]any)["invoice"].([]any) {
			got = append(got, fmt.Sprint(inv.(map[string]any)["id"]))
		}
		return got
	}
	require.Equal(t, []string{ids[2], ids[1], ids[0]}, list(), "newest first by default")
	require.Equal(t, []string{ids[0], ids[1], ids[2]}, list("orderby", "date", "order", "asc"))
	require.Equal(t, []string{ids[2], ids[1], ids[0]}, list("orderby", "date"))
	require.Equal(t, []string{ids[1], ids[0], ids[2]}, list("orderby", "total", "order", "asc"), "10, 20, 30 (plus the setup fee)")
	require.Equal(t, []string{ids[2], ids[0], ids[1]}, list("orderby", "total", "order", "desc"))
	require.Equal(t, []string{ids[0]}, list("orderby", "total", "order", "desc", "limitstart", "1", "limitnum", "1"))
}
