package integration

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/order"
)

// TestWHMCSOrderFraudCheckFromAnotherAddress: OrderFraudCheck's ipaddress scores the order
// from that address at minFraud's sandbox instead of the one it was placed from, through the
// order's workflow; an address that is not one is refused.
func TestWHMCSOrderFraudCheckFromAnotherAddress(t *testing.T) {
	s, sb, clientID, productID := sandboxStack(t)
	sb.mf.Score("198.51.100.66", 95)
	whmcs := s.whmcsAPI(t)
	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "fromelsewhere.com"), 201)
	id := int64(placed["order_id"].(float64))
	s.eventually(id, func(o map[string]any) bool { return o["waiting_for"] == "payment" && o["fraud_check"] != nil })
	orderID := fmt.Sprint(id)

	require.Equal(t, map[string]any{"result": "error", "message": `ipaddress: "nope" is not an IP address`},
		whmcs("OrderFraudCheck", "orderid", orderID, "ipaddress", "nope"))
	before := len(sb.mf.Requests())
	got := whmcs("OrderFraudCheck", "orderid", orderID, "ipaddress", "198.51.100.66")
	require.Equal(t, "success", got["result"], "%v", got)
	require.Equal(t, "Fail", got["status"], "scored from the risky address")
	require.Equal(t, order.Fraud, s.orderStatus(id))
	reqs := sb.mf.Requests()
	require.Len(t, reqs, before+1)
	require.Equal(t, "198.51.100.66", reqs[len(reqs)-1]["device"].(map[string]any)["ip_address"])
	s.recordHistory(id, "whmcs-fraud-check-from-ip")
}
