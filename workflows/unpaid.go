package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/order"
)

// watchUnpaid keeps one durable timer for the deadline, moving it when the deadline moves (a
// payment, a status change, the setting changed) and queueing the cancel when it fires. The
// cancel itself runs in the main loop, like every other step.
func (w *orderWF) watchUnpaid(ctx workflow.Context) {
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			deadline := w.UnpaidDeadline()
			moved := func() bool { return !w.UnpaidDeadline().Equal(deadline) }
			if !deadline.IsZero() {
				if wait := deadline.Sub(workflow.Now(ctx)); wait > 0 {
					ok, err := workflow.AwaitWithTimeout(ctx, wait, moved)
					if err != nil {
						return
					}
					if ok {
						continue
					}
				}
				w.enqueue(w.cancelUnpaid)
			}
			if err := workflow.Await(ctx, moved); err != nil {
				return
			}
		}
	})
}

// cancelUnpaid cancels the order as an admin's Cancel would, if it is still due when its turn
// in the queue comes.
func (w *orderWF) cancelUnpaid(ctx workflow.Context) {
	if !w.UnpaidDue(workflow.Now(ctx)) {
		return
	}
	// What PostgreSQL says now decides, and the invoice is cancelled before any account is
	// terminated: see activities.CancelUnpaidInvoice. A later deadline re-arms the timer.
	u, err := recordResult(ctx, w, recs.CancelUnpaidInvoice, records.UnpaidCheck{OrderID: w.in.Order.ID, Since: w.UnpaidSince})
	if err != nil {
		w.logger.Error("Unpaid order not checked, so not cancelled", "Error", err)
		return
	}
	w.paidEmail(w.State.PaymentStatus, u.Invoice.Status)
	w.State.PaymentStatus, w.UnpaidAfterDays = u.Invoice.Status, u.CancelAfterDays
	if !u.Cancelled {
		return
	}
	w.logger.Info("Cancelling unpaid order", "Days", w.UnpaidAfterDays)
	w.close(ctx, order.System, order.ActionCancel, order.Cancelled, fmt.Sprintf("invoice still unpaid %d days after the order", w.UnpaidAfterDays))
}
