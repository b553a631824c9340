package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/registrar"
)

// checkItem is the rule for an item action (ModuleCreate, DomainRegister, ...): the item must
// be the order's and its status must allow the action.
func (w *orderWF) checkItem(action string, req order.ActionRequest) error {
	kind := itemKind(action)
	it := w.item(kind, req.ItemID)
	if it == nil {
		reason := "Service ID not found"
		if kind == kindDomain {
			reason = "Domain Not Found"
		}
		return &order.StateError{Action: action, Reason: reason}
	}
	automated := it.Module != "" && it.Module != provisioning.None && it.Module != registrar.None
	switch {
	case action == order.ActionDomainTransfer && !it.Transfer:
		return &order.StateError{Action: action, Status: it.Status, Reason: "The domain was ordered as a registration"}
	case action == order.ActionDomainRegister && it.Transfer:
		return &order.StateError{Action: action, Status: it.Status, Reason: "The domain was ordered as a transfer"}
	}
	return order.CheckItem(action, it.Status, automated)
}

// itemAction runs a module or registrar command on one item for an admin. Unlike a failure
// during set-up, a failure here is the caller's answer: the item keeps its status and nothing
// waits for a retry.
func (w *orderWF) itemAction(ctx workflow.Context, actor, action string, req order.ActionRequest) error {
	it := w.item(itemKind(action), req.ItemID)
	actx := workflow.WithActivityOptions(ctx, moduleOptions)
	var err error
	to := it.Status
	switch action {
	case order.ActionModuleCreate:
		err = workflow.ExecuteActivity(actx, "CreateAccount", activities.CreateAccountInput{ServiceID: it.ID}).Get(ctx, nil)
		to = order.Active
	case order.ActionModuleSuspend:
		err = workflow.ExecuteActivity(actx, "SuspendAccount", activities.SuspendInput{ServiceID: it.ID, Reason: req.Reason}).Get(ctx, nil)
		to = order.ServiceSuspended
	case order.ActionModuleUnsuspend:
		err = workflow.ExecuteActivity(actx, "UnsuspendAccount", it.ID).Get(ctx, nil)
		to = order.Active
	case order.ActionModuleTerminate:
		err = workflow.ExecuteActivity(actx, "TerminateAccount", it.ID).Get(ctx, nil)
		to = order.ServiceTerminated
	case order.ActionDomainRegister, order.ActionDomainTransfer:
		in := activities.DomainInput{DomainID: it.ID, Registrar: it.Module, EPPCodeSealed: req.EPPCodeSealed}
		err = workflow.ExecuteActivity(actx, "RegisterDomain", in).Get(ctx, &to)
	}
	if err != nil {
		msg := errorMessage(err)
		e := w.event(actor, action+"-failed", it.Status, it.Status, it.Kind+" "+it.Name+": "+msg)
		if rerr := w.record(ctx, "RecordEvent", e, nil); rerr != nil {
			w.logger.Error("Event not recorded", "Error", rerr)
		}
		return stateError(&order.StateError{Action: action, Status: it.Status, Reason: msg})
	}
	it.FailedOp, it.Error = "", ""
	w.setItem(ctx, it, to, actor, action, "done through "+it.Module)
	// A command run by hand sends no email: the admin or the script decides what to tell.
	if order.IsDomainAction(action) && pendingAtRegistrar(to) {
		w.watchDomain(ctx, it)
	}
	return nil
}

func itemKind(action string) string {
	if order.IsDomainAction(action) {
		return kindDomain
	}
	return kindService
}
