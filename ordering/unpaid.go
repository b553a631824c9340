package ordering

import (
	"context"
	"time"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// stateQueryTimeout bounds how long a page waits for an order's workflow to answer; a worker
// that is down must not hold the page up.
const stateQueryTimeout = 2 * time.Second

// UnpaidCancelAt is when a Pending order with an Unpaid invoice cancels itself for
// non-payment, as its workflow keeps the timer: nil when it will not (the setting is off, or
// the order is not waiting for payment). Only the workflow knows the deadline (Set Back to
// Pending restarts it, the setting may have changed since), so it is asked, briefly; known is
// false when it did not answer in time.
func (s *Ordering) UnpaidCancelAt(ctx context.Context, o Order) (at *time.Time, known bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, stateQueryTimeout)
	defer cancel()
	v, err := s.temporal.QueryWorkflow(ctx, o.WorkflowID, "", ordermsg.QueryState)
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, nil
		}
		return nil, false, s.temporalError(err, "ask the order's workflow")
	}
	var st ordermsg.State
	if err := v.Get(&st); err != nil {
		return nil, false, fault.Wrap(err, "read the order's state")
	}
	return st.CancelUnpaidAt, true, nil
}
