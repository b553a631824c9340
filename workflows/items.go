package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// itemAction runs a module or registrar command on one item for an admin. Unlike a failure
// during set-up, a failure here is the caller's answer: the item keeps its status and nothing
// waits for a retry. A read answers with what it read (nameservers).
func (w *orderWF) itemAction(ctx workflow.Context, actor order.Actor, spec order.Spec, req order.ActionRequest) ([]string, error) {
	it := w.Item(spec.On, req.ItemID)
	if registrarCommands[spec.Action] {
		return w.registrarCommand(ctx, actor, spec, it, req)
	}
	var err error
	to := it.Status
	switch spec.Action {
	case order.ActionModuleCreate:
		err = call(ctx, moduleOptions, acts.CreateAccount, activities.CreateAccountInput{ServiceID: it.ID})
		to = order.Active
	case order.ActionModuleSuspend:
		err = call(ctx, moduleOptions, acts.SuspendAccount, activities.SuspendInput{ServiceID: it.ID, Reason: req.Reason})
		to = order.Suspended
	case order.ActionModuleUnsuspend:
		err = call(ctx, moduleOptions, acts.UnsuspendAccount, it.ID)
		to = order.Active
	case order.ActionModuleTerminate:
		err = call(ctx, moduleOptions, acts.TerminateAccount, it.ID)
		to = order.Terminated
	case order.ActionModuleChangePackage:
		err = call(ctx, moduleOptions, acts.ChangePackage, activities.ChangePackageInput{ServiceID: it.ID, Package: req.Package})
	case order.ActionModuleChangePw:
		err = call(ctx, moduleOptions, acts.ChangePassword, activities.ChangePasswordInput{ServiceID: it.ID, PasswordSealed: req.PasswordSealed})
	case order.ActionDomainRegister, order.ActionDomainTransfer:
		in := activities.DomainInput{DomainID: it.ID, Registrar: it.Module, EPPCodeSealed: req.EPPCodeSealed}
		to, err = callResult(ctx, moduleOptions, acts.RegisterDomain, in)
	}
	if err != nil {
		return nil, w.itemFailed(ctx, actor, spec, it, err)
	}
	it.FailedOp, it.Error = "", ""
	w.setItem(ctx, it, to, actor, string(spec.Action), "done through "+it.Module)
	// A command run by hand sends no email: the admin or the script decides what to tell.
	if spec.On == order.OnDomain && order.PendingAtRegistrar(to) {
		w.watchDomain(ctx, it)
	}
	return nil, nil
}

// itemFailed notes an item command's failure on the order and answers it in the module's words.
func (w *orderWF) itemFailed(ctx workflow.Context, actor order.Actor, spec order.Spec, it *ordermsg.Item, err error) error {
	msg := errorMessage(err)
	w.note(ctx, w.event(actor, string(spec.Action)+"-failed", string(it.Status), string(it.Status), string(it.Kind)+" "+it.Name+": "+msg))
	return stateError(&order.StateError{Action: spec.Action, Status: it.Status, Reason: msg})
}
