package workflows

import (
	"slices"

	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/registrar"
)

// check is the rule for an admin action in the order's current state. Update validators use it
// to refuse at once; execute uses it again, since a queued action may find the state changed.
func (w *orderWF) check(action string) error {
	if w.deleted {
		return &order.StateError{Action: action, Reason: "Order ID Not Found"}
	}
	if action == order.ActionRetry || action == order.ActionSkip {
		return order.CheckRetry(action, w.failedCount())
	}
	return order.Check(action, w.st.Status)
}

// checkRequest is check, with the item actions' own rule.
func (w *orderWF) checkRequest(action string, req order.ActionRequest) error {
	if w.deleted || !slices.Contains(order.ItemActions, action) {
		return w.check(action)
	}
	return w.checkItem(action, req)
}

func (w *orderWF) execute(ctx workflow.Context, cmd *command) {
	defer func() { cmd.done = true }()
	switch cmd.action {
	case SignalPaymentReceived:
		w.paymentReceived(ctx, cmd.payment)
		return
	case SignalFraudCheck:
		w.fraudSignal(ctx, cmd.fraud)
		return
	case SignalPaymentRefunded:
		w.paymentRefunded(cmd.refund)
		return
	case cmdCancelUnpaid:
		w.cancelUnpaid(ctx)
		return
	case cmdDomainStatus:
		w.domainStatus(ctx, cmd.domainID, cmd.status)
		return
	}
	if err := w.checkRequest(cmd.action, cmd.req); err != nil {
		w.logger.Warn("Action refused", "Action", cmd.action, "Actor", cmd.req.Actor, "Reason", err.Error())
		cmd.err = stateError(err)
		return
	}
	actor := cmd.req.Actor
	if actor == "" {
		actor = "operator"
	}
	if slices.Contains(order.ItemActions, cmd.action) {
		cmd.err = w.itemAction(ctx, actor, cmd.action, cmd.req)
		cmd.result = Result{Status: w.st.Status, WaitingFor: w.waitingFor()}
		return
	}
	switch cmd.action {
	case order.ActionAccept:
		opts := order.AcceptOptions{}
		if cmd.req.Accept != nil {
			opts = *cmd.req.Accept
		}
		w.accept(ctx, actor, opts)
	case order.ActionCancel:
		w.close(ctx, actor, order.ActionCancel, order.Cancelled, "")
	case order.ActionFraud:
		w.close(ctx, actor, order.ActionFraud, order.Fraud, "")
	case order.ActionSetPending:
		w.setPending(ctx, actor)
	case order.ActionRetry:
		w.retry(ctx, actor)
	case order.ActionSkip:
		w.skip(ctx, actor)
	case order.ActionDelete:
		w.delete(ctx, actor)
	case order.ActionFraudCheck:
		w.checkFraudNow(ctx, actor)
	}
	cmd.result = Result{Status: w.st.Status, WaitingFor: w.waitingFor()}
	if w.deleted {
		cmd.result.Status = "Deleted"
	}
	for _, it := range w.st.Items {
		if it.FailedOp != "" {
			cmd.result.Failures = append(cmd.result.Failures, it)
		}
	}
}

// accept runs what Accept Order asks for each item not yet active, then makes the order
// Active. If a module fails, the order stays Pending until the admin retries or skips.
func (w *orderWF) accept(ctx workflow.Context, actor string, opts order.AcceptOptions) {
	w.fraudPending, w.st.FraudReview = false, false // the admin has decided
	services := 0
	for _, it := range w.st.Items {
		if it.Kind == kindService && it.Status == order.Pending {
			services++
		}
	}
	for i := range w.st.Items {
		it := &w.st.Items[i]
		if it.Status != order.Pending {
			continue
		}
		if it.Kind == kindService {
			run := it.Module != provisioning.None && it.AutoSetup != order.SetupNever
			if opts.RunModuleCreate != nil {
				run = *opts.RunModuleCreate && it.Module != provisioning.None
			}
			if !run {
				w.setItem(ctx, it, order.Active, actor, "accept", "set up by hand")
				continue
			}
			in := activities.CreateAccountInput{ServiceID: it.ID, ServerID: opts.ServerID}
			if services == 1 { // a username or password only makes sense for one account
				in.Username, in.PasswordSealed = opts.Username, opts.PasswordSealed
			}
			if w.runItem(ctx, it, opCreate, actor, in) {
				w.announce(ctx, it, opts.SendWelcomeEmail)
			}
			continue
		}
		reg := opts.Registrar
		if reg == "" {
			reg = it.Module
		}
		send := reg != "" && reg != registrar.None
		if opts.SendToRegistrar != nil {
			send = *opts.SendToRegistrar && reg != ""
		}
		if !send {
			status := order.Active
			if it.Transfer {
				status = order.DomainPendingTransfer
			}
			w.setItem(ctx, it, status, actor, "accept", "handled by hand")
			continue
		}
		it.Module = reg
		if w.runItem(ctx, it, opRegister, actor, nil) {
			w.announce(ctx, it, nil)
		}
	}
	if w.failedCount() > 0 {
		w.pendingAccept = &opts
		return
	}
	w.finishAccept(ctx, actor)
}

func (w *orderWF) finishAccept(ctx workflow.Context, actor string) {
	w.pendingAccept = nil
	w.transition(ctx, activities.Transition{Event: w.event(actor, order.ActionAccept, w.st.Status, order.Active, "")})
}

// close cancels the order or marks it fraud: active accounts are terminated through their
// module, every item follows the order, and an unpaid invoice is cancelled. An account whose
// terminate fails keeps its status and error, and the order waits for a retry or skip.
func (w *orderWF) close(ctx workflow.Context, actor, action, to, detail string) {
	from := w.st.Status
	w.pendingAccept, w.fraudPending, w.st.FraudReview = nil, false, false
	w.st.Status = to
	var keep []int64
	for i := range w.st.Items {
		it := &w.st.Items[i]
		if it.FailedOp != opTerminate {
			it.FailedOp, it.Error = "", "" // a failed create or registration no longer matters
		}
		if it.Kind == kindService && (it.Status == order.Active || it.Status == order.ServiceSuspended) && it.Module != provisioning.None {
			if !w.runItem(ctx, it, opTerminate, actor, nil) {
				keep = append(keep, it.ID)
			}
		}
	}
	t := activities.Transition{Event: w.event(actor, action, from, to, detail), ItemStatus: to, KeepItems: keep}
	if w.st.PaymentStatus == order.InvoiceUnpaid {
		t.InvoiceFrom, t.InvoiceTo = order.InvoiceUnpaid, order.InvoiceCancelled
		w.st.PaymentStatus = order.InvoiceCancelled
	}
	for i := range w.st.Items {
		if it := &w.st.Items[i]; it.FailedOp != opTerminate {
			it.Status = to
		}
	}
	w.transition(ctx, t)
}

// setPending reopens the order: it and its items are Pending again, a cancelled invoice is
// Unpaid again, and payment and review are waited for again.
func (w *orderWF) setPending(ctx workflow.Context, actor string) {
	from := w.st.Status
	w.st.Status = order.Pending
	w.pendingAccept, w.fraudPending, w.st.FraudReview = nil, false, false
	w.unpaidSince = workflow.Now(ctx) // a reopened order gets the full time to pay again
	for i := range w.st.Items {
		it := &w.st.Items[i]
		it.Status, it.FailedOp, it.Error, it.autoDone = order.Pending, "", "", false
	}
	t := activities.Transition{Event: w.event(actor, order.ActionSetPending, from, order.Pending, ""), ItemStatus: order.Pending}
	if w.st.PaymentStatus == order.InvoiceCancelled {
		t.InvoiceFrom, t.InvoiceTo = order.InvoiceCancelled, order.InvoiceUnpaid
		w.st.PaymentStatus = order.InvoiceUnpaid
	}
	w.transition(ctx, t)
}

// retry runs every failed step again; when the last one succeeds, a pending Accept completes.
func (w *orderWF) retry(ctx workflow.Context, actor string) {
	for i := range w.st.Items {
		it := &w.st.Items[i]
		if it.FailedOp == "" {
			continue
		}
		var in any
		if it.FailedOp == opCreate {
			in = activities.CreateAccountInput{ServiceID: it.ID}
		}
		op := it.FailedOp
		if w.runItem(ctx, it, op, actor, in) && op != opTerminate {
			var welcome *bool
			if w.pendingAccept != nil {
				welcome = w.pendingAccept.SendWelcomeEmail
			}
			w.announce(ctx, it, welcome)
		}
	}
	if w.failedCount() == 0 && w.pendingAccept != nil && w.st.Status == order.Pending {
		w.finishAccept(ctx, actor)
	}
}

// skip gives up on every failed step: the admin takes it over by hand.
func (w *orderWF) skip(ctx workflow.Context, actor string) {
	for i := range w.st.Items {
		it := &w.st.Items[i]
		if it.FailedOp == "" {
			continue
		}
		status := it.Status
		if it.FailedOp == opTerminate {
			status = w.st.Status
		}
		detail := "skipped " + it.FailedOp + " after: " + it.Error
		it.FailedOp, it.Error = "", ""
		w.setItem(ctx, it, status, actor, order.ActionSkip, detail)
	}
	if w.pendingAccept != nil && w.st.Status == order.Pending {
		w.finishAccept(ctx, actor)
	}
}

func (w *orderWF) delete(ctx workflow.Context, actor string) {
	if err := w.record(ctx, "DeleteOrder", w.event(actor, order.ActionDelete, w.st.Status, "", ""), nil); err != nil {
		w.logger.Error("Order not deleted", "Error", err)
		return
	}
	w.deleted = true
}

// paymentReceived takes the news that the invoice is paid. The API signals only after it marked
// the invoice Paid, so that is the invoice's status whatever the workflow thought, also when the
// signal comes after a Cancel that raced it.
func (w *orderWF) paymentReceived(ctx workflow.Context, p PaymentReceived) {
	if w.paid() {
		return // the same news twice changes nothing
	}
	w.st.PaymentStatus = order.InvoicePaid
	w.logger.Info("Invoice paid", "InvoiceID", p.InvoiceID, "Gateway", p.Gateway)
}

// paymentRefunded takes the news that the invoice is fully refunded. Nothing is undone: what
// to do with a refunded order is the admin's call.
func (w *orderWF) paymentRefunded(p PaymentRefunded) {
	if w.st.PaymentStatus != order.InvoicePaid {
		return
	}
	w.st.PaymentStatus = order.InvoiceRefunded
	w.logger.Info("Invoice refunded", "InvoiceID", p.InvoiceID, "Gateway", p.Gateway)
}

func (w *orderWF) transition(ctx workflow.Context, t activities.Transition) {
	w.st.Status = t.To
	if err := w.record(ctx, "RecordTransition", t, nil); err != nil {
		w.logger.Error("Transition not recorded", "To", t.To, "Error", err)
	}
}

// setItem records an item's new status without a module call.
func (w *orderWF) setItem(ctx workflow.Context, it *Item, status, actor, action, detail string) {
	from := it.Status
	it.Status = status
	c := activities.ItemChange{Event: w.event(actor, action, from, status, it.Kind+" "+it.Name+": "+detail), Status: status, Error: it.Error}
	if it.Kind == kindService {
		c.ServiceID = it.ID
	} else {
		c.DomainID, c.Registrar = it.ID, it.Module
	}
	if err := w.record(ctx, "RecordItem", c, nil); err != nil {
		w.logger.Error("Item not recorded", "Item", it.ID, "Error", err)
	}
}
