package integration

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/db"
)

// placeAndCheck places an order and checks that the 201 answers for an order of this
// database: the same number and invoice as GET shows.
func (s *stack) placeAndCheck(clientID, productID float64, domain string) int64 {
	s.t.Helper()
	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, domain), 201)
	id := int64(placed["order_id"].(float64))
	o := s.mustCall("GET", fmt.Sprintf("/api/v1/orders/%d", id), nil, 200)
	require.Equal(s.t, fmt.Sprint(int64(placed["order_number"].(float64))), o["order_number"], "the 201 is another order's")
	require.Equal(s.t, placed["invoice_id"], o["invoice"].(map[string]any)["id"])
	require.Equal(s.t, domain, o["domains"].([]any)[0].(map[string]any)["domain"])
	return id
}

// A database restored from an older backup keeps its installation id but forgets the orders
// placed since, and its order id sequence goes back: the workflows of those orders still run
// in Temporal. A new order must never be answered by one of them.
func TestRestoredDatabaseNeverAnswersWithAnotherOrder(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	ctx := context.Background()
	first := s.placeAndCheck(clientID, productID, "kept.com")
	for i := range 3 {
		s.placeAndCheck(clientID, productID, fmt.Sprintf("lost%d.com", i))
	}

	// The restore: what came after the first order is gone, the sequence with it.
	_, err := s.pool.Exec(ctx, "DELETE FROM orders WHERE id > $1", first)
	require.NoError(t, err)
	_, err = s.pool.Exec(ctx, "DELETE FROM order_requests WHERE order_id > $1", first)
	require.NoError(t, err)
	_, err = s.pool.Exec(ctx, "SELECT setval('orders_id_seq', $1)", first)
	require.NoError(t, err)

	// Placement steps past the ids whose workflows are not its own.
	next := s.placeAndCheck(clientID, productID, "new1.com")
	require.Greater(t, next, first+3, "order ids of workflows the database forgot are skipped")

	// At start-up the sequence is moved past every forgotten workflow at once.
	_, err = s.pool.Exec(ctx, "DELETE FROM orders WHERE id > $1", first)
	require.NoError(t, err)
	_, err = s.pool.Exec(ctx, "DELETE FROM order_requests WHERE order_id > $1", first)
	require.NoError(t, err)
	_, err = s.pool.Exec(ctx, "SELECT setval('orders_id_seq', $1)", first)
	require.NoError(t, err)
	s.waitVisible(fmt.Sprintf("WorkflowId = '%s'", s.workflowID(next)))
	require.NoError(t, s.svc.AlignOrderSequence(ctx))
	last, err := db.New(s.pool).LastOrderRequest(ctx)
	require.NoError(t, err)
	require.Equal(t, next, last.Sequence, "the sequence continues after the newest workflow")
	require.Equal(t, next+1, s.placeAndCheck(clientID, productID, "new2.com"))
}

// Two databases on one Temporal namespace (or one recreated with dropdb) number their orders
// alike; each is answered only by its own workflows.
func TestTwoDatabasesShareOneNamespace(t *testing.T) {
	a, b := newStack(t), newStack(t)
	a.startWorker()
	b.startWorker()
	ca, pa := a.catalogue("accept")
	cb, pb := b.catalogue("accept")
	// At start-up neither is behind Temporal: the start-up check moves nothing.
	require.NoError(t, a.svc.AlignOrderSequence(t.Context()))
	require.NoError(t, b.svc.AlignOrderSequence(t.Context()))
	for i := range 3 {
		ida := a.placeAndCheck(ca, pa, fmt.Sprintf("a%d.com", i))
		idb := b.placeAndCheck(cb, pb, fmt.Sprintf("b%d.com", i))
		require.Equal(t, int64(i+1), ida, "both number from 1")
		require.Equal(t, ida, idb)
		require.NotEqual(t, a.workflowID(ida), b.workflowID(idb))
	}
}
