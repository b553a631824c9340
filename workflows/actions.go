package workflows

import (
	"strconv"

	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// actionMethods bind each order action of order.Actions to what it does once its rule has
// let it in; item actions all run itemAction.
var actionMethods = map[order.Action]func(w *orderWF, ctx workflow.Context, actor order.Actor, req order.ActionRequest) error{
	order.ActionAccept:       (*orderWF).accept,
	order.ActionCancel:       (*orderWF).cancel,
	order.ActionFraud:        (*orderWF).markFraud,
	order.ActionSetPending:   (*orderWF).setPending,
	order.ActionRetry:        (*orderWF).retry,
	order.ActionSkip:         (*orderWF).skip,
	order.ActionDelete:       (*orderWF).delete,
	order.ActionFraudCheck:   (*orderWF).checkFraudNow,
	order.ActionCancelRefund: (*orderWF).cancelRefund,
}

// check is the rule for an admin action in the order's current state (Order.Check), as the
// error the API maps. Update validators use it to refuse at once; act uses it again, since a
// queued action may find the state changed.
func (w *orderWF) check(spec order.Spec, req order.ActionRequest) error {
	if w.Deleted {
		return errGone
	}
	if err := w.Check(spec, req); err != nil {
		return stateError(err)
	}
	return nil
}

// act runs an admin action in the main loop and answers with the order's state after it.
func (w *orderWF) act(ctx workflow.Context, spec order.Spec, req order.ActionRequest) (ordermsg.Result, error) {
	if err := w.check(spec, req); err != nil {
		w.logger.Warn("Action refused", "Action", spec.Action, "Actor", req.Actor, "Reason", err.Error())
		return ordermsg.Result{}, err
	}
	actor := req.Actor.OrOperator()
	if spec.On != order.OnOrder {
		ns, err := w.itemAction(ctx, actor, spec, req)
		return ordermsg.Result{Status: w.State.Status, WaitingFor: w.WaitingFor(), Nameservers: ns}, err
	}
	if err := actionMethods[spec.Action](w, ctx, actor, req); err != nil {
		return ordermsg.Result{}, err
	}
	res := w.Result()
	if spec.Action == order.ActionCancelRefund {
		res.Refunds = w.refunds
	}
	return res, nil
}

// accept runs what Accept Order asks for each item not yet active (Order.AcceptSteps), then
// makes the order Active. If a module fails, the order stays Pending until the admin retries
// or skips.
func (w *orderWF) accept(ctx workflow.Context, actor order.Actor, req order.ActionRequest) error {
	opts := order.AcceptOptions{}
	if req.Accept != nil {
		opts = *req.Accept
	}
	w.ClearReview()
	var byHand records.ItemChanges // written with the transition, or on their own if it waits
	for _, step := range w.AcceptSteps(opts) {
		it := step.Item
		switch {
		case !step.Run:
			byHand = append(byHand, w.itemChange(it, step.Status, actor, string(order.ActionAccept), step.Detail))
		case it.Kind == order.OnService:
			c := step.Service
			in := activities.CreateAccountInput{ServiceID: it.ID, ServerID: c.ServerID, Username: c.Username, PasswordSealed: c.PasswordSealed}
			if w.runItem(ctx, it, ordermsg.OpCreate, actor, &in) {
				w.announce(it, c.SendWelcomeEmail)
			}
		default:
			it.Module = step.Registrar
			if w.runItem(ctx, it, ordermsg.OpRegister, actor, nil) {
				w.announce(it, nil)
			}
		}
	}
	if w.FailedCount() > 0 {
		w.PendingAccept = &opts
		if len(byHand) > 0 {
			byHand[len(byHand)-1].Event = w.stamp(byHand[len(byHand)-1].Event)
			w.recordItems(ctx, byHand)
		}
		return nil
	}
	w.finishAccept(ctx, actor, byHand...)
	return nil
}

// finishAccept makes the order Active, with the items Accept set up by hand in the same write.
func (w *orderWF) finishAccept(ctx workflow.Context, actor order.Actor, byHand ...records.ItemChange) {
	w.PendingAccept = nil
	w.transition(ctx, records.Transition{Event: w.event(actor, string(order.ActionAccept), string(w.State.Status), string(order.Active), ""),
		Items: byHand})
}

func (w *orderWF) cancel(ctx workflow.Context, actor order.Actor, _ order.ActionRequest) error {
	w.close(ctx, actor, order.ActionCancel, order.Cancelled, "")
	return nil
}

func (w *orderWF) markFraud(ctx workflow.Context, actor order.Actor, _ order.ActionRequest) error {
	w.close(ctx, actor, order.ActionFraud, order.Fraud, "")
	return nil
}

// close cancels the order or marks it fraud: active accounts are terminated through their
// module, every item follows the order, and an unpaid invoice is cancelled. An account whose
// terminate fails keeps its status and error, and the order waits for a retry or skip.
func (w *orderWF) close(ctx workflow.Context, actor order.Actor, action order.Action, to order.Status, detail string) {
	from := w.State.Status
	w.PendingAccept = nil
	w.ClearReview()
	w.State.Status = to
	var keep []int64
	for i := range w.State.Items {
		it := &w.State.Items[i]
		if it.FailedOp != ordermsg.OpTerminate {
			it.FailedOp, it.Error = "", "" // a failed create or registration no longer matters
		}
		if it.Kind == order.OnService && provisioning.LiveAccount(it.Status, it.Module) {
			if !w.runItem(ctx, it, ordermsg.OpTerminate, actor, nil) {
				keep = append(keep, it.ID)
			}
		}
	}
	t := records.Transition{Event: w.event(actor, string(action), string(from), string(to), detail), ItemStatus: to, KeepItems: keep,
		InvoiceTo: order.InvoiceCancelled, Settle: true}
	for i := range w.State.Items {
		if it := &w.State.Items[i]; it.FailedOp != ordermsg.OpTerminate {
			it.Status = to
		}
	}
	if invoice := w.transition(ctx, t); invoice.Status != "" {
		// The closed order holds money, all of its total or a part, paid before, during or
		// after the close: someone must refund it or reopen the order.
		w.paidEmail(w.State.PaymentStatus, invoice.Status)
		w.State.PaymentStatus, w.PaymentReview = invoice.Status, invoice.Paid > 0
	}
}

// setPending reopens the order: it and its items are Pending again, a cancelled invoice is
// Unpaid again, and payment and review are waited for again.
func (w *orderWF) setPending(ctx workflow.Context, actor order.Actor, _ order.ActionRequest) error {
	from := w.State.Status
	w.Reopen(workflow.Now(ctx))
	// A Cancelled or Refunded invoice is decided from the ledger: Paid if its money is all there
	// (payment-based setup runs, and nothing waits for money the order has), else Unpaid.
	t := records.Transition{Event: w.event(actor, string(order.ActionSetPending), string(from), string(order.Pending), ""),
		ItemStatus: order.Pending, InvoiceTo: order.InvoiceUnpaid, Settle: true}
	heard := w.policyHeard
	if invoice := w.transition(ctx, t); invoice.Status != "" {
		w.paidEmail(w.State.PaymentStatus, invoice.Status)
		w.State.PaymentStatus = invoice.Status
		if w.policyHeard == heard { // as in create
			w.UnpaidAfterDays = invoice.CancelUnpaidAfterDays
		}
	}
	return nil
}

// retry runs every failed step again; when the last one succeeds, a pending Accept completes.
func (w *orderWF) retry(ctx workflow.Context, actor order.Actor, _ order.ActionRequest) error {
	for _, it := range w.Failed() {
		op := it.FailedOp
		if w.runItem(ctx, it, op, actor, nil) && op != ordermsg.OpTerminate {
			var welcome *bool
			if w.PendingAccept != nil {
				welcome = w.PendingAccept.Service(it.ID, false).SendWelcomeEmail
			}
			w.announce(it, welcome)
		}
	}
	if w.FailedCount() == 0 && w.PendingAccept != nil && w.State.Status == order.Pending {
		w.finishAccept(ctx, actor)
	}
	return nil
}

// skip gives up on every failed step (Order.Skip): the admin takes it over by hand.
func (w *orderWF) skip(ctx workflow.Context, actor order.Actor, _ order.ActionRequest) error {
	for _, it := range w.Failed() {
		status, detail := w.Skip(it)
		w.setItem(ctx, it, status, actor, string(order.ActionSkip), detail)
	}
	if w.PendingAccept != nil && w.State.Status == order.Pending {
		w.finishAccept(ctx, actor)
	}
	return nil
}

// delete removes the order's rows and ends the workflow. PostgreSQL may refuse it for good (money
// was recorded on the invoice since the check): the admin hears why, and the money's signal
// follows.
func (w *orderWF) delete(ctx workflow.Context, actor order.Actor, _ order.ActionRequest) error {
	e := w.event(actor, string(order.ActionDelete), string(w.State.Status), "", "")
	if err := record(ctx, w, recs.DeleteOrder, e); err != nil {
		w.logger.Error("Order not deleted", "Error", err)
		if isPermanent(err) {
			return stateError(&order.StateError{Action: order.ActionDelete, Status: w.State.Status, Reason: errorMessage(err)})
		}
		return nil
	}
	w.Deleted = true
	return nil
}

// event numbers the next audit line.
func (w *orderWF) event(actor order.Actor, action, from, to, detail string) records.Event {
	w.Seq++
	return records.Event{OrderID: w.in.Order.ID, Key: "wf-" + strconv.Itoa(w.Seq), Actor: actor, Action: action,
		From: from, To: to, Detail: detail}
}

// note writes an audit line that changes no status.
func (w *orderWF) note(ctx workflow.Context, e records.Event) {
	if err := record(ctx, w, recs.RecordEvent, e); err != nil {
		w.logger.Error("Event not recorded", "Error", err)
	}
}

// transition records an order status change and answers with what it left of the invoice
// (Status "" if it did not touch the invoice, or was not recorded).
func (w *orderWF) transition(ctx workflow.Context, t records.Transition) records.Settled {
	w.State.Status = order.Status(t.To)
	t.Event = w.stamp(t.Event)
	invoice, err := recordResult(ctx, w, recs.RecordTransition, t)
	if err != nil {
		w.logger.Error("Transition not recorded", "To", t.To, "Error", err)
	}
	return invoice
}

// setItem records an item's new status without a module call.
func (w *orderWF) setItem(ctx workflow.Context, it *ordermsg.Item, status order.Status, actor order.Actor, action, detail string) {
	c := w.itemChange(it, status, actor, action, detail)
	c.Event = w.stamp(c.Event)
	w.recordItems(ctx, records.ItemChanges{c})
}

// itemChange moves an item to status and numbers the audit line that says so, for recordItems.
func (w *orderWF) itemChange(it *ordermsg.Item, status order.Status, actor order.Actor, action, detail string) records.ItemChange {
	from := it.Status
	it.Status = status
	c := records.ItemChange{Event: w.event(actor, action, string(from), string(status), string(it.Kind)+" "+it.Name+": "+detail),
		Status: status, Error: it.Error}
	if it.Kind == order.OnService {
		c.ServiceID = it.ID
	} else {
		c.DomainID, c.Registrar = it.ID, it.Module
	}
	return c
}

// recordItems writes items' changes in one step.
func (w *orderWF) recordItems(ctx workflow.Context, cs records.ItemChanges) {
	if err := record(ctx, w, recs.RecordItems, cs); err != nil {
		w.logger.Error("Items not recorded", "Error", err)
	}
}
