package orderstate

import (
	"fmt"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/registrar"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// Check is the rule for an admin action in the order's current state: nil lets it in, and a
// refusal is an *order.StateError in WHMCS's words where it has them. Update validators ask it
// to refuse at once, and the workflow asks again when the action's turn comes, since a queued
// action may find the state changed. order.Actions says which statuses allow which action;
// Check adds what only the order's items and money tell. A deleted order is the caller's to
// refuse.
func (o *Order) Check(spec order.Spec, req order.ActionRequest) error {
	if spec.On != order.OnOrder {
		return o.checkItem(spec, req)
	}
	if err := spec.Check(o.State.Status, o.FailedCount()); err != nil {
		return err
	}
	switch spec.Action {
	case order.ActionDelete:
		return o.checkNothingLeft()
	case order.ActionAccept:
		return o.checkAcceptOptions(req)
	}
	return nil
}

// checkNothingLeft refuses to delete an order that still has a live account or a failed step
// (the delete would remove the only record of an account still running on a panel), or money
// on its invoice (the payments would be left on no invoice). DeleteOrder checks the money
// again under the invoice's lock, for a payment recorded since.
func (o *Order) checkNothingLeft() error {
	if o.PaymentReview || o.Paid() && !o.PaidAtOnce {
		return &order.StateError{Action: order.ActionDelete, Status: o.State.Status, Reason: order.ReasonMoneyOnInvoice}
	}
	for _, it := range o.State.Items {
		switch {
		case it.FailedOp != "":
			return &order.StateError{Action: order.ActionDelete, Status: o.State.Status,
				Reason: fmt.Sprintf("The %s of %s failed: retry or skip it before deleting the order", it.FailedOp, it.Name)}
		case it.Kind == order.OnService && provisioning.LiveAccount(it.Status, it.Module):
			return &order.StateError{Action: order.ActionDelete, Status: o.State.Status,
				Reason: fmt.Sprintf("The account of %s is still %s on the server: terminate it before deleting the order", it.Name, it.Status)}
		}
	}
	return nil
}

// checkAcceptOptions refuses an Accept that asks to send a domain to a registrar when the
// domain has none: it would otherwise be marked done though nobody registered it.
func (o *Order) checkAcceptOptions(req order.ActionRequest) error {
	if req.Accept == nil {
		return nil
	}
	for i := range o.State.Items {
		it := &o.State.Items[i]
		if it.Kind != order.OnDomain || it.Status != order.Pending {
			continue
		}
		choice := req.Accept.Domain(it.ID)
		reg, _ := acceptRegistrar(choice, it)
		if choice.SendToRegistrar != nil && *choice.SendToRegistrar && (reg == "" || reg == registrar.None) {
			return &order.StateError{Action: order.ActionAccept, Status: o.State.Status,
				Reason: fmt.Sprintf("Send to Registrar needs a registrar for %s: choose one", it.Name)}
		}
	}
	return nil
}

// checkItem is the rule for an item action (ModuleCreate, DomainRegister, ...): the item must
// be the order's and its status must allow the action.
func (o *Order) checkItem(spec order.Spec, req order.ActionRequest) error {
	it := o.Item(spec.On, req.ItemID)
	if it == nil {
		return &order.StateError{Action: spec.Action, Reason: spec.On.NotFound()}
	}
	automated := it.Module != "" && it.Module != provisioning.None && it.Module != registrar.None
	switch {
	case spec.Action == order.ActionDomainTransfer && !it.Transfer:
		return &order.StateError{Action: spec.Action, Status: it.Status, Reason: "The domain was ordered as a registration"}
	case spec.Action == order.ActionDomainRegister && it.Transfer:
		return &order.StateError{Action: spec.Action, Status: it.Status, Reason: "The domain was ordered as a transfer"}
	}
	return spec.CheckItem(it.Status, automated)
}

// CheckPayable refuses online payment (Pay Now) of an order the fraud check stopped or still
// weighs: paying it is what the check prevents.
func (o *Order) CheckPayable() error {
	if o.State.Status == order.Fraud || o.FraudPending || o.State.FraudReview {
		return &order.StateError{Action: ordermsg.UpdateCheckout, Status: o.State.Status, Reason: order.ReasonPaymentNotOpen}
	}
	return nil
}
