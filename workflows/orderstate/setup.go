package orderstate

import (
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// AutoSetupDue lists the items due for auto-setup: services by their product's setting (on
// order, or on payment once paid), domains with an auto-registrar once paid. Each runs once,
// whatever came of it, and an item whose step failed waits for Retry or Skip instead. Nothing
// runs before the fraud check passes, nor on a closed order.
func (o *Order) AutoSetupDue() []*ordermsg.Item {
	if o.State.Status != order.Pending && o.State.Status != order.Active || !o.FraudResolved() {
		return nil
	}
	var due []*ordermsg.Item
	for i := range o.State.Items {
		it := &o.State.Items[i]
		if it.Status != order.Pending || it.AutoDone || it.FailedOp != "" || it.Module == "" || it.Module == provisioning.None {
			continue
		}
		if it.Kind == order.OnService && (it.AutoSetup == order.SetupOnOrder || it.AutoSetup == order.SetupOnPayment && o.Paid()) ||
			it.Kind == order.OnDomain && o.Paid() {
			due = append(due, it)
		}
	}
	return due
}

// SetupOp is an item's auto-setup step: an account for a service, the registrar for a domain.
func SetupOp(it *ordermsg.Item) ordermsg.Op {
	if it.Kind == order.OnService {
		return ordermsg.OpCreate
	}
	return ordermsg.OpRegister
}

// AutoWorkDue reports whether any item is due for auto-setup (AutoSetupDue).
func (o *Order) AutoWorkDue() bool { return len(o.AutoSetupDue()) > 0 }
