package orderstate

import (
	"testing"
	"time"

	"github.com/hostflow/hostflow/order"
)

func TestTakeFact(t *testing.T) {
	o := placed(hosting(order.SetupNever))
	for _, tc := range []struct {
		seq  int64
		news bool
	}{{3, true}, {3, false}, {2, false}, {0, true}, {5, true}, {4, false}} {
		if got := o.TakeFact(tc.seq); got != tc.news {
			t.Errorf("TakeFact(%d) = %v, want %v", tc.seq, got, tc.news)
		}
	}
	if o.PaymentSeq != 5 {
		t.Errorf("PaymentSeq = %d, want the newest position taken", o.PaymentSeq)
	}
}

func TestInvoiceRead(t *testing.T) {
	later := start.Add(50 * time.Hour)
	for _, tc := range []struct {
		name       string
		status     order.Status
		before     order.InvoiceStatus
		review     bool // PaymentReview before
		read       order.InvoiceStatus
		paid       int64
		fact       bool // the fact's review
		wantReview bool
		wantSince  time.Time
	}{
		{"paid", order.Pending, order.InvoiceUnpaid, false, order.InvoicePaid, 2000, false, false, start},
		{"refunded", order.Pending, order.InvoicePaid, false, order.InvoiceRefunded, 0, false, false, start},
		{"paid in part after a full refund", order.Pending, order.InvoiceRefunded, false, order.InvoiceUnpaid, 500, false, false, later},
		{"money for a cancelled order", order.Cancelled, order.InvoiceCancelled, false, order.InvoiceCancelled, 2000, true, true, start},
		{"money for a fraud order", order.Fraud, order.InvoiceCancelled, false, order.InvoiceCancelled, 2000, true, true, start},
		{"money for a pending order asks no review", order.Pending, order.InvoiceUnpaid, false, order.InvoicePaid, 2000, true, false, start},
		{"a closed order's money refunded", order.Cancelled, order.InvoiceCancelled, true, order.InvoiceCancelled, 0, false, false, start},
		{"part of a closed order's money refunded", order.Cancelled, order.InvoiceCancelled, true, order.InvoiceCancelled, 500, false, true, start},
	} {
		o := placed(hosting(order.SetupNever))
		o.State.Status, o.State.PaymentStatus, o.PaymentReview = tc.status, tc.before, tc.review
		o.InvoiceRead(tc.read, tc.paid, tc.fact, later)
		if o.State.PaymentStatus != tc.read || o.PaymentReview != tc.wantReview || !o.UnpaidSince.Equal(tc.wantSince) {
			t.Errorf("%s: payment %s, review %v, unpaid since %v; want %s, %v, %v", tc.name,
				o.State.PaymentStatus, o.PaymentReview, o.UnpaidSince, tc.read, tc.wantReview, tc.wantSince)
		}
	}
}

func TestCheckoutAttempt(t *testing.T) {
	o := placed(hosting(order.SetupNever))
	if a := o.CheckoutAttempt(start); a != 1 {
		t.Errorf("first attempt = %d", a)
	}
	o.Checkout.ExpiresAt = start.Add(30 * time.Minute) // the session the gateway opened
	if a := o.CheckoutAttempt(start.Add(time.Minute)); a != 1 {
		t.Errorf("attempt while the session is open = %d, want 1 again", a)
	}
	if a := o.CheckoutAttempt(start.Add(30 * time.Minute)); a != 2 {
		t.Errorf("attempt once it has expired = %d, want 2", a)
	}
}
