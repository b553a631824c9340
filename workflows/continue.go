package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/order"
)

// settledHistory: a settled order whose run has more events than this continues as new, so
// that it lives on in a fresh, small history (and old GetVersion branches can be retired once
// no run is left on them).
const settledHistory = 200

// mayContinue reports whether the order may continue as new now: the server suggests it, or
// the order has settled (closed or active, nothing failed, no domain pending at a registrar)
// with a history worth renewing; and nothing is in flight: every handler has answered, no
// email is being sent and no registrar is being asked. It only reads, for use in Await.
func (w *orderWF) mayContinue(ctx workflow.Context) bool {
	if w.noContinue || w.mailing > 0 || w.asking || !workflow.AllHandlersFinished(ctx) {
		return false
	}
	info := workflow.GetInfo(ctx)
	settled := w.st.Status != order.Pending && w.failedCount() == 0 && len(w.watchedNow()) == 0
	return info.GetContinueAsNewSuggested() || settled && info.GetCurrentHistoryLength() > settledHistory
}

// stillMayContinue lets every other coroutine run once before the order continues as new: a
// signal that came in this very task is taken off its channel only by the selector, which runs
// after this coroutine, so without the yield it would be taken into a queue that no run serves.
// It reports whether the order may still continue: nothing was queued and nothing started.
func (w *orderWF) stillMayContinue(ctx workflow.Context) bool {
	if !versioned(ctx, changeSignalsBeforeContinue) {
		return true
	}
	yielded := false
	_ = workflow.Await(ctx, func() bool {
		again := yielded
		yielded = true
		return again
	})
	return len(w.queue) == 0 && w.mayContinue(ctx)
}

// continueAsNew ends this run and starts the next with the order's state.
func (w *orderWF) continueAsNew(ctx workflow.Context) error {
	in := w.in
	in.FraudCheck, in.CancelUnpaidAfterDays = false, w.unpaidAfterDays
	st := w.st
	st.Items = append([]Item(nil), w.st.Items...)
	for i := range st.Items {
		// A domain a per-domain poller follows is followed by the next run's batch poller.
		if since, ok := w.alone[st.Items[i].ID]; ok && st.Items[i].Kind == order.OnDomain && st.Items[i].WatchSince == nil {
			st.Items[i].WatchSince = &since
		}
	}
	in.Resume = &Resume{State: st, Placed: w.placed, Seq: w.seq, MailSeq: w.mailSeq, FraudPending: w.fraudPending,
		PendingAccept: w.pendingAccept, PaymentSeq: w.paymentSeq, PaymentReview: w.paymentReview, UnpaidSince: w.unpaidSince}
	w.logger.Info("Continuing as new", "HistoryLength", workflow.GetInfo(ctx).GetCurrentHistoryLength())
	return workflow.NewContinueAsNewError(ctx, Order, in)
}

// resume takes up the state an earlier run handed on: the order's rows exist already.
func (w *orderWF) resume(ctx workflow.Context, r Resume) {
	w.st, w.placed, w.seq, w.mailSeq = r.State, r.Placed, r.Seq, r.MailSeq
	w.fraudPending, w.pendingAccept = r.FraudPending, r.PendingAccept
	w.paymentSeq, w.paymentReview, w.unpaidSince = r.PaymentSeq, r.PaymentReview, r.UnpaidSince
	w.created = true
	if len(w.watchedNow()) > 0 {
		w.pollRegistrars(ctx)
	}
}
