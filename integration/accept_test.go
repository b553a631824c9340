package integration

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// Accept Order takes its options per item, as WHMCS's Accept page offers them: each service its
// own username (an order-wide one is for an order's only service), each domain its own
// registrar choice; Send to Registrar without a registrar is refused, never marked done.
func TestAcceptOptionsPerItem(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	s.call("POST", "/api/v1/tlds", map[string]any{"tld": ".net", "register_price": "11.00", "transfer_price": "9.00"})
	placed := s.mustCall("POST", "/api/v1/orders", map[string]any{"client_id": clientID, "payment_method": "banktransfer",
		"items":   []map[string]any{{"product_id": productID, "domain": "one.com"}, {"product_id": productID, "domain": "two.com"}},
		"domains": []map[string]any{{"domain": "one.com"}, {"domain": "manual.net"}}}, 201)
	id := int64(placed["order_id"].(float64))
	services, domains := placed["service_ids"].([]any), placed["domain_ids"].([]any)
	accept := fmt.Sprintf("/api/v1/orders/%d/accept", id)

	// manual.net's TLD has no registrar: sending it is refused, and nothing changes.
	yes, no := true, false
	out := s.mustCall("POST", accept, map[string]any{"domains": []map[string]any{{"id": domains[1], "send_to_registrar": yes}}}, 409)
	require.Contains(t, out["error"], "Send to Registrar needs a registrar for manual.net")
	require.Equal(t, "Pending", s.mustCall("GET", fmt.Sprintf("/api/v1/orders/%d", id), nil, 200)["status"])
	out = s.mustCall("POST", accept, map[string]any{"services": []map[string]any{{"id": 999999}}}, 422)
	require.Equal(t, "services[0].id", out["field"])

	res := s.mustCall("POST", accept, map[string]any{
		"services": []map[string]any{{"id": services[0], "username": "onefirst"}, {"id": services[1], "username": "twosecnd", "send_welcome_email": no}},
		"domains":  []map[string]any{{"id": domains[1], "send_to_registrar": no}}}, 200)
	require.Equal(t, "Active", res["status"])
	o := s.mustCall("GET", fmt.Sprintf("/api/v1/orders/%d", id), nil, 200)
	var names []string
	for _, sv := range o["services"].([]any) {
		names = append(names, sv.(map[string]any)["username"].(string))
		require.Equal(t, "Active", sv.(map[string]any)["status"])
	}
	require.Equal(t, []string{"onefirst", "twosecnd"}, names)
	s.panel.mu.Lock()
	require.True(t, s.panel.accounts["onefirst"] && s.panel.accounts["twosecnd"], "%v", s.panel.accounts)
	s.panel.mu.Unlock()
	for _, d := range o["domains"].([]any) {
		require.Equal(t, "Active", d.(map[string]any)["status"], "one.com registered, manual.net handled by hand as asked")
	}
}
