package integration

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Stock Control: each order takes one of a counted product; when none is left an order for it
// is refused, naming the item, and nothing of it is written.
func TestStockControl(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, _ := s.catalogue("accept")
	p := s.mustCall("POST", "/api/v1/products", map[string]any{"name": "Limited VPS", "type": "other", "stock": 1,
		"prices": []map[string]any{{"currency": "USD", "billing_cycle": "monthly", "price": "20.00"}}}, 201)
	body := map[string]any{"client_id": clientID, "payment_method": "banktransfer",
		"items": []map[string]any{{"product_id": p["id"], "billing_cycle": "monthly"}}}
	s.mustCall("POST", "/api/v1/orders", body, 201)
	require.Equal(t, 0, s.count("SELECT stock FROM products WHERE id = $1", int64(p["id"].(float64))), "one taken")
	out := s.mustCall("POST", "/api/v1/orders", body, 422)
	require.Equal(t, "items[0].product_id", out["field"])
	require.Contains(t, out["error"], "Limited VPS is out of stock")
	require.Equal(t, 1, s.count("SELECT count(*) FROM orders"), "nothing of the refused order is written")
}

// Two orders at once for the last one: both pass pricing, one takes it in its first write, and
// the other is refused there, whole.
func TestStockControlRace(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, _ := s.catalogue("accept")
	p := s.mustCall("POST", "/api/v1/products", map[string]any{"name": "Last VPS", "type": "other", "stock": 1,
		"prices": []map[string]any{{"currency": "USD", "billing_cycle": "monthly", "price": "20.00"}}}, 201)
	body := map[string]any{"client_id": clientID, "payment_method": "banktransfer",
		"items": []map[string]any{{"product_id": p["id"], "billing_cycle": "monthly"}}}
	statuses := make(chan int, 8)
	for range 8 {
		go func() {
			status, _ := s.call("POST", "/api/v1/orders", body)
			statuses <- status
		}()
	}
	got := map[int]int{}
	for range 8 {
		got[<-statuses]++
	}
	require.Equal(t, map[int]int{201: 1, 422: 7}, got)
	require.Equal(t, 1, s.count("SELECT count(*) FROM orders"))
	require.Equal(t, 0, s.count("SELECT stock FROM products WHERE id = $1", int64(p["id"].(float64))))
}
