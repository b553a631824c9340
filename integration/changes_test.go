package integration

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// What changes an order (its placement, a payment, an admin's action) reaches a subscriber as
// it commits: the console's live pages are fed from here.
func TestOrderChangesAreAnnounced(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	clientID, productID := s.catalogue("accept")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	changes := s.svc.OrderChanges(ctx)
	next := func(want int64, what string) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case id := <-changes:
				if id == want {
					return
				}
			case <-deadline:
				t.Fatalf("no notice of order %d after %s", want, what)
			}
		}
	}
	placed := s.mustCall("POST", "/api/v1/orders", hostingOrder(clientID, productID, "live.com"), 201)
	id := int64(placed["order_id"].(float64))
	next(id, "its placement")
	s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", int64(placed["invoice_id"].(float64))),
		map[string]any{"transaction_id": "live-1", "gateway": "banktransfer"}, 201)
	next(id, "its payment")
	s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/cancel", id), nil, 200)
	next(id, "its cancel")
	cancel()
	require.Eventually(t, func() bool { _, open := <-changes; return !open }, 5*time.Second, 10*time.Millisecond)
}
