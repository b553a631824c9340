// Package orderstate is an order's state as its workflow holds it, and the rules read from it:
// what the order waits for, whether an admin action is allowed now, what Accept does with each
// item, which items are due for auto-setup, what news of the invoice changes. It calls nothing
// and reads no clock (a rule that needs the time is handed it), so that every rule is a plain
// function of the state, tested as a table without Temporal. Package workflows holds an Order
// and runs the steps the rules allow; the steps change the Order as they go.
package orderstate

import (
	"time"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// Order is an order's state: ordermsg.Durable, which continue-as-new hands to the next run whole
// (a field added there is carried over without anyone remembering to), and the few facts each
// run knows for itself.
type Order struct {
	ordermsg.Durable
	// Created: the order's rows exist. A run that continues as new was created, so the next
	// run is too, and is not told.
	Created bool
	// Deleted: the order's rows are gone, and its workflow ends; it never continues as new.
	Deleted bool
	// PaidAtOnce: the order costs nothing, so its invoice is Paid with no money on it. It is
	// the placed order's (ordermsg.Input), which every run is started with.
	PaidAtOnce bool
}

// New is the state of an order whose workflow started at start, before its first write: it
// and its items Pending, the items as the placement lists them (services, then domains: the
// order in which the first write numbers them).
func New(in ordermsg.Input, start time.Time) Order {
	o := Order{PaidAtOnce: in.Order.PaidAtOnce()}
	o.FraudPending = in.FraudCheck
	o.UnpaidAfterDays = in.CancelUnpaidAfterDays
	o.UnpaidSince = start
	o.State = Initial(in.Order)
	o.State.WaitingFor = order.NotWaiting // derived when asked (Snapshot), not kept
	for _, s := range in.Order.Services {
		name := s.ProductName
		if s.Domain != "" {
			name += " - " + s.Domain
		}
		o.State.Items = append(o.State.Items, ordermsg.Item{Kind: order.OnService, Name: name, Module: s.Module, AutoSetup: s.AutoSetup, Status: order.Pending})
	}
	for _, d := range in.Order.Domains {
		o.State.Items = append(o.State.Items, ordermsg.Item{Kind: order.OnDomain, Name: d.Domain, Module: d.AutoRegistrar,
			Transfer: d.Type == order.DomainTransfer, Status: order.Pending})
	}
	return o
}

// Resume takes up the state an earlier run of the order handed over as it continued as new.
func Resume(in ordermsg.Input) Order {
	return Order{Durable: *in.Resume, Created: true, PaidAtOnce: in.Order.PaidAtOnce()}
}

// Initial is what an order shows from its start until its workflow has anything new to say:
// the starter sets these search attributes as it starts the workflow, and the order's first
// write sets waiting_for to match, so that publishing them again costs no event.
func Initial(o order.NewOrder) ordermsg.State {
	s := ordermsg.State{OrderID: o.ID, OrderNumber: o.Number, Status: order.Pending, PaymentStatus: order.InvoiceUnpaid, WaitingFor: order.WaitingPayment}
	if o.PaidAtOnce() {
		s.PaymentStatus, s.WaitingFor = order.InvoicePaid, order.WaitingAdminReview // paid at once
	}
	return s
}

// Written takes up what the order's first write made of it (p): its number, its items' ids
// (services and domains are numbered apart, each in the order New lists them), and whether its
// invoice is paid already.
func (o *Order) Written(p ordermsg.Placed, invoicePaid bool) {
	o.State.OrderNumber = p.OrderNumber
	var si, di int
	for i := range o.State.Items {
		it := &o.State.Items[i]
		if it.Kind == order.OnService {
			it.ID = p.ServiceIDs[si]
			si++
		} else {
			it.ID = p.DomainIDs[di]
			di++
		}
	}
	if invoicePaid {
		o.State.PaymentStatus = order.InvoicePaid
	}
	o.Placed = p
	o.Created = true
}

// Item finds a service or domain by id: the two are numbered apart, so the kind is needed.
func (o *Order) Item(kind order.ItemKind, id int64) *ordermsg.Item {
	for i := range o.State.Items {
		if o.State.Items[i].Kind == kind && o.State.Items[i].ID == id {
			return &o.State.Items[i]
		}
	}
	return nil
}
