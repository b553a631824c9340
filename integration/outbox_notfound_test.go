package integration

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// A signal Temporal answers NotFound for is dropped only when its order's row is gone (the
// order was deleted). While the order's row exists (its workflow failed, was terminated, or the
// database was restored), the row, a payment's fact here, is kept and retried with backoff, its
// attempts counted, and it shows in the outbox backlog.
func TestOutboxKeepsTheSignalOfAnExistingOrderWhoseWorkflowIsGone(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	s.stopRelay()
	ctx := context.Background()

	lost := s.place("accept", "outbox-lost-workflow.com")
	lostWID := s.workflowID(lost.orderID)
	require.NoError(t, s.tc.TerminateWorkflow(ctx, lostWID, "", "the test loses the workflow"))

	deleted := s.place("accept", "outbox-deleted-order.com")
	deletedWID := s.workflowID(deleted.orderID)
	s.mustCall("POST", fmt.Sprintf("/api/v1/orders/%d/cancel", deleted.orderID), nil, 200)
	s.mustCall("DELETE", fmt.Sprintf("/api/v1/orders/%d", deleted.orderID), nil, 200)
	require.NoError(t, s.tc.GetWorkflow(ctx, deletedWID, "").Get(ctx, nil), "the deleted order's workflow ends")
	require.Zero(t, s.count("SELECT count(*) FROM orders WHERE id = $1", deleted.orderID))

	// Money for the order whose workflow is gone; a late signal for the deleted order.
	out := s.mustCall("POST", fmt.Sprintf("/api/v1/invoices/%d/payments", lost.invoiceID), map[string]any{"transaction_id": "NF-1"}, 201)
	require.Equal(t, "Paid", out["status"], "%v", out)
	s.enqueue(deletedWID, 1)
	require.Equal(t, 2, s.count("SELECT count(*) FROM outbox"))

	tap := newTap(nil)
	s.relay("r1", tap, s.tc)
	require.Eventually(t, func() bool { return s.count("SELECT count(*) FROM outbox WHERE workflow_id = $1", deletedWID) == 0 },
		10*time.Second, 20*time.Millisecond, "the deleted order's signal is dropped")
	require.Eventually(t, func() bool {
		return s.count("SELECT count(*) FROM outbox WHERE workflow_id = $1 AND attempts >= 2", lostWID) == 1
	}, 15*time.Second, 20*time.Millisecond, "the lost workflow's signal is kept and retried")

	var signal, lastError string
	var due bool
	require.NoError(t, s.pool.QueryRow(ctx, "SELECT signal, last_error, next_attempt_at > now() FROM outbox WHERE workflow_id = $1",
		lostWID).Scan(&signal, &lastError, &due))
	require.Equal(t, ordermsg.SignalPaymentReceived, signal)
	require.Contains(t, lastError, "workflow execution already completed")
	require.True(t, due, "deferred with backoff, not retried at once")
	b, err := s.svc.Backlog(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(1), b.OutboxDepth, "the kept row is in the backlog operators watch")
	require.Positive(t, b.OutboxOldest)
	require.Empty(t, tap.delivered(lostWID))
	require.Empty(t, tap.delivered(deletedWID))
}
