package workflows

import "go.temporal.io/sdk/workflow"

// settledHistory: a settled order whose run has more events than this continues as new, so
// that it lives on in a fresh, small history (and GetVersion branches can be retired once no
// run is left on them).
const settledHistory = 200

// mayContinue reports whether the order may continue as new now: the server suggests it, or
// the order has settled (Order.Steady: closed or active, nothing failed, no domain pending at
// a registrar) with a history worth renewing; and nothing is in flight: every handler has
// answered, no email is being sent and no registrar is being asked. It only reads, for use in
// Await.
func (w *orderWF) mayContinue(ctx workflow.Context) bool {
	if w.mailing > 0 || w.asking || !workflow.AllHandlersFinished(ctx) {
		return false
	}
	info := workflow.GetInfo(ctx)
	return info.GetContinueAsNewSuggested() || w.Steady() && info.GetCurrentHistoryLength() > settledHistory
}

// stillMayContinue lets every other coroutine run once before the order continues as new: a
// signal that came in this very task is taken off its channel only by the selector, which runs
// after this coroutine, so without the yield it would be taken into a queue that no run serves.
// It reports whether the order may still continue: nothing was queued and nothing started.
func (w *orderWF) stillMayContinue(ctx workflow.Context) bool {
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
	next := w.Durable // encoded at once: this run changes nothing after
	in.Resume = &next
	w.logger.Info("Continuing as new", "HistoryLength", workflow.GetInfo(ctx).GetCurrentHistoryLength())
	return workflow.NewContinueAsNewError(ctx, Order, in)
}
