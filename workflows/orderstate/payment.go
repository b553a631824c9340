package orderstate

import (
	"time"

	"github.com/hostflow/hostflow/order"
)

// TakeFact reports whether news of the invoice's money at ledger position seq is news, and if
// so takes its position: a fact no newer than one already taken changes nothing, whatever it
// says. A fact without a position (0) is always taken.
func (o *Order) TakeFact(seq int64) bool {
	if seq != 0 && seq <= o.PaymentSeq {
		return false
	}
	o.PaymentSeq = max(o.PaymentSeq, seq)
	return true
}

// InvoiceRead takes the invoice as PostgreSQL holds it, read at now on news of its money: its
// status, and paid, the money on it. review says the money came for a closed order: someone
// must refund it or reopen the order, until it is refunded.
func (o *Order) InvoiceRead(status order.InvoiceStatus, paid int64, review bool, now time.Time) {
	if o.State.PaymentStatus == order.InvoiceRefunded && status == order.InvoiceUnpaid {
		// Paid in part after a full refund: money is due again, and the order gets the full
		// time to pay, as after Set Back to Pending, not a deadline counted from its placement.
		o.UnpaidSince = now
	}
	o.State.PaymentStatus = status
	closed := o.State.Status == order.Cancelled || o.State.Status == order.Fraud
	switch {
	case closed && review:
		o.PaymentReview = true
	case paid <= 0:
		o.PaymentReview = false // refunded: nothing left to decide
	}
}

// CheckoutAttempt numbers the online payment session (Pay Now) to open at now: the last one's
// attempt while that session is open, so that the gateway answers with the same session (a
// double click, a retry), else the next.
func (o *Order) CheckoutAttempt(now time.Time) int {
	if o.Checkout.Attempt == 0 || !now.Before(o.Checkout.ExpiresAt) {
		o.Checkout.Attempt++
	}
	return o.Checkout.Attempt
}
