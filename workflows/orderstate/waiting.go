package orderstate

import (
	"time"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// WaitingFor names what the order waits for: the WaitingFor search attribute and waiting_for
// in PostgreSQL. The first that holds wins: a failed step needs an admin whatever the order's
// status, money on a closed order too; a Pending order waits for its fraud review, then its
// payment, then the admin's Accept.
func (o *Order) WaitingFor() order.WaitingFor {
	switch {
	case o.Deleted:
		return order.NotWaiting
	case o.FailedCount() > 0:
		return order.WaitingProvisioningFailed
	case o.PaymentReview:
		return order.WaitingPaymentReview
	case o.State.Status != order.Pending:
		return order.NotWaiting
	case o.State.FraudReview:
		return order.WaitingFraudReview
	case !o.Paid():
		return order.WaitingPayment
	default:
		return order.WaitingAdminReview
	}
}

// Paid reports whether the invoice is paid: payment-based setup may run.
func (o *Order) Paid() bool { return o.State.PaymentStatus == order.InvoicePaid }

// Failed lists the items whose module step failed and waits for Retry or Skip, in order.
func (o *Order) Failed() []*ordermsg.Item {
	var out []*ordermsg.Item
	for i := range o.State.Items {
		if it := &o.State.Items[i]; it.FailedOp != "" {
			out = append(out, it)
		}
	}
	return out
}

// FailedCount is the number of items whose module step failed and waits for Retry or Skip.
func (o *Order) FailedCount() int {
	n := 0
	for _, it := range o.State.Items {
		if it.FailedOp != "" {
			n++
		}
	}
	return n
}

// Snapshot is what the state query answers: the state with what is derived from it (what the
// order waits for, a pending Accept, the unpaid deadline), its items copied so that the answer
// shares nothing with the state the workflow goes on changing.
func (o *Order) Snapshot() ordermsg.State {
	s := o.State
	s.WaitingFor = o.WaitingFor()
	s.AcceptPending = o.PendingAccept != nil
	if d := o.UnpaidDeadline(); !d.IsZero() {
		s.CancelUnpaidAt = &d
	}
	s.Items = append([]ordermsg.Item(nil), o.State.Items...)
	return s
}

// Result answers an admin action on the order with its state after it: its status (Deleted
// once it is gone), what it waits for, and the items whose step failed.
func (o *Order) Result() ordermsg.Result {
	res := ordermsg.Result{Status: o.State.Status, WaitingFor: o.WaitingFor()}
	if o.Deleted {
		res.Status = order.Deleted
	}
	for _, it := range o.State.Items {
		if it.FailedOp != "" {
			res.Failures = append(res.Failures, it)
		}
	}
	return res
}

// Steady reports whether the order has nothing of its own still to come: closed or active,
// nothing failed, no domain pending at a registrar. Only admin actions change it now, so its
// run may continue as new once its history has grown.
func (o *Order) Steady() bool {
	return o.State.Status != order.Pending && o.FailedCount() == 0 && len(o.WatchedNow()) == 0
}

// UnpaidDeadline is when the order cancels itself for non-payment, or zero if it will not:
// only a Pending order with an Unpaid invoice waits, once its rows exist, and only while the
// setting is on.
func (o *Order) UnpaidDeadline() time.Time {
	if !o.Created || o.Deleted || o.State.Status != order.Pending || o.State.PaymentStatus != order.InvoiceUnpaid {
		return time.Time{}
	}
	return order.UnpaidDeadline(o.UnpaidSince, o.UnpaidAfterDays)
}

// UnpaidDue reports whether the unpaid-cancel deadline has passed at now.
func (o *Order) UnpaidDue(now time.Time) bool {
	d := o.UnpaidDeadline()
	return !d.IsZero() && !now.Before(d)
}
