package orderstate

import (
	"cmp"
	"time"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/registrar"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// AcceptStep is what Accept does with one item still Pending: run it through its module (a
// service's account created, a domain sent to its registrar), or set it by hand.
type AcceptStep struct {
	Item *ordermsg.Item
	// Run: through the module or registrar; else the admin has set it up by hand, and the item
	// becomes Status, with Detail on its audit line.
	Run    bool
	Status order.Status
	Detail string
	// Service is a service's options for its account: server, username, password, welcome email.
	Service order.ServiceChoice
	// Registrar is the registrar a domain goes to.
	Registrar string
}

// AcceptSteps is what Accept with opts does with each item still Pending, in the items' order.
// A service's account is created when the admin says so, else when its module creates on
// accept for the product's auto-setup; with one service only, the order-wide username and
// password are its own. A domain goes to the registrar chosen, else its own, when the admin says
// so, else when that registrar takes orders on accept. An item not run is set up by hand: Active,
// or Pending Transfer for a transfer, which the losing registrar still has to let go.
func (o *Order) AcceptSteps(opts order.AcceptOptions) []AcceptStep {
	services := 0
	for _, it := range o.State.Items {
		if it.Kind == order.OnService && it.Status == order.Pending {
			services++
		}
	}
	var steps []AcceptStep
	for i := range o.State.Items {
		it := &o.State.Items[i]
		if it.Status != order.Pending {
			continue
		}
		if it.Kind == order.OnService {
			choice := opts.Service(it.ID, services == 1)
			run := provisioning.CreatesOnAccept(it.Module, it.AutoSetup)
			if choice.RunModuleCreate != nil {
				run = *choice.RunModuleCreate && it.Module != provisioning.None
			}
			steps = append(steps, AcceptStep{Item: it, Run: run, Status: order.Active, Detail: "set up by hand", Service: choice})
			continue
		}
		reg, send := acceptRegistrar(opts.Domain(it.ID), it)
		step := AcceptStep{Item: it, Run: send, Status: order.Active, Detail: "handled by hand", Registrar: reg}
		if it.Transfer {
			step.Status = order.PendingTransfer
		}
		steps = append(steps, step)
	}
	return steps
}

// acceptRegistrar is the registrar Accept sends a domain to with choice, and whether it sends it.
func acceptRegistrar(choice order.DomainChoice, it *ordermsg.Item) (reg string, send bool) {
	reg = cmp.Or(choice.Registrar, it.Module)
	send = registrar.SendsOnAccept(reg)
	if choice.SendToRegistrar != nil {
		send = *choice.SendToRegistrar && reg != ""
	}
	return reg, send
}

// Skip gives up on an item's failed step, which the admin takes over by hand: the item has
// failed no more. It answers with the status the item is left in, its own, or after a
// terminate the order's (the admin saw to the account), and the audit line's words.
func (o *Order) Skip(it *ordermsg.Item) (status order.Status, detail string) {
	status = it.Status
	if it.FailedOp == ordermsg.OpTerminate {
		status = o.State.Status
	}
	detail = "skipped " + string(it.FailedOp) + " after: " + it.Error
	it.FailedOp, it.Error = "", ""
	return status, detail
}

// Reopen sets the order back to Pending at now (Set Back to Pending): it and its items are
// Pending again, with nothing failed and auto-setup to run again; no Accept, fraud review or
// payment review is awaited; and the order has the full time to pay again. Its invoice is the
// ledger's to decide.
func (o *Order) Reopen(now time.Time) {
	o.State.Status = order.Pending
	o.PendingAccept = nil
	o.ClearReview()
	o.UnpaidSince = now
	for i := range o.State.Items {
		it := &o.State.Items[i]
		it.Status, it.FailedOp, it.Error, it.AutoDone = order.Pending, "", "", false
	}
	o.PaymentReview = false
}
