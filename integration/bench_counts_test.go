package integration

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestListCountsFollowTheOrders walks orders through placement, payment, accept, fraud, back
// to pending, cancel and delete, clients through creation, and a TRUNCATE, and checks after each step
// that the totals the lists read (list_counts, kept by triggers) are the tables' own.
func TestListCountsFollowTheOrders(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	agree := func(step string) {
		t.Helper()
		var drift int
		require.NoError(t, s.pool.QueryRow(context.Background(), listCountsDrift).Scan(&drift))
		require.Zero(t, drift, "list_counts after %s", step)
		require.NoError(t, s.pool.QueryRow(context.Background(), serverAccountsDrift).Scan(&drift))
		require.Zero(t, drift, "servers' accounts after %s", step)
	}
	agree("the catalogue")
	var paths []string
	var ids, invoices []int64
	for i := range 3 {
		p := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, fmt.Sprintf("counted%d.com", i)), 201)
		id := int64(p["order_id"].(float64))
		paths = append(paths, fmt.Sprintf("/api/v1/orders/%d", id))
		ids, invoices = append(ids, id), append(invoices, int64(p["invoice_id"].(float64)))
		s.eventually(id, func(o map[string]any) bool { return o["waiting_for"] == "payment" })
		if i < 2 {
			s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", int64(p["invoice_id"].(float64))),
				map[string]any{"transaction_id": fmt.Sprintf("count-%d", i)}, 201)
			s.eventually(id, func(o map[string]any) bool { return o["waiting_for"] == "admin-review" })
		}
	}
	agree("placing and paying")
	s.mustCall("POST", paths[0]+"/accept", nil, 200)
	agree("accept")
	s.mustCall("POST", paths[1]+"/fraud", nil, 200)
	s.mustCall("POST", paths[1]+"/pending", nil, 200)
	s.mustCall("POST", paths[1]+"/cancel", nil, 200)
	agree("fraud, pending and cancel")
	s.refundAll(ids[1], invoices[1])
	s.mustCall("DELETE", paths[1], nil, 200)
	agree("delete")
	s.mustCall("POST", "/api/v1/clients", map[string]any{"first_name": "Grace", "last_name": "Hopper",
		"email": "grace@counted.example", "country": "US"}, 201)
	agree("a new client")

	// The summary reads them: one order Active, one waiting for payment (the oldest, order 3).
	summary := s.mustCall("GET", "/api/v1/orders/summary", nil, 200)
	require.Equal(t, map[string]any{"Active": 1.0, "Cancelled": 0.0, "Fraud": 0.0, "Pending": 1.0}, summary["statuses"])
	waiting := summary["waiting"].([]any)[0].(map[string]any)
	require.Equal(t, "payment", waiting["waiting_for"])
	require.Equal(t, 1.0, waiting["count"])
	require.Equal(t, 3.0, waiting["oldest_id"])

	_, err := s.pool.Exec(context.Background(), "TRUNCATE orders CASCADE")
	require.NoError(t, err)
	agree("truncate")
}
