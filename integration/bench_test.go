package integration

import (
	"fmt"
	"testing"
)

// BenchmarkPlaceOrder measures POST /api/v1/orders end to end: validation and pricing in
// PostgreSQL, update-with-start on the Temporal dev server, the workflow writing the order, its
// items and invoice, and the 201. Run with `make bench`.
func BenchmarkPlaceOrder(b *testing.B) {
	s := newStack(b)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, fmt.Sprintf("bench%d.com", i)), 201)
	}
}

// BenchmarkOrderToAccepted measures a whole order life as an admin drives it: place, pay,
// accept (module create and registrar through the test doubles), each call waiting for its
// answer.
func BenchmarkOrderToAccepted(b *testing.B) {
	s := newStack(b)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, fmt.Sprintf("life%d.com", i)), 201)
		inv := fmt.Sprintf("/api/v1/invoices/%d/payments", int64(placed["invoice_id"].(float64)))
		s.mustCall("POST", inv, map[string]any{"transaction_id": fmt.Sprintf("tx-%d", i)}, 201)
		s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/accept", int64(placed["order_id"].(float64))), nil, 200)
	}
}
