package order

import (
	"testing"
	"time"
)

func TestInvoiceOnCloseAndReopen(t *testing.T) {
	for _, tc := range []struct {
		now           InvoiceStatus
		paid, total   int64
		close, reopen InvoiceStatus
	}{
		{InvoiceUnpaid, 0, 1000, InvoiceCancelled, InvoiceUnpaid},
		{InvoiceUnpaid, 400, 1000, InvoiceCancelled, InvoiceUnpaid},   // a part payment stays on the ledger
		{InvoicePaid, 1000, 1000, InvoicePaid, InvoicePaid},           // paid while the order closed
		{InvoiceRefunded, 0, 1000, InvoiceRefunded, InvoiceUnpaid},    // refunded: the money is due again
		{InvoiceRefunded, -500, 1000, InvoiceRefunded, InvoiceUnpaid}, // more refunded than kept
		{InvoiceRefunded, 400, 1000, InvoiceRefunded, InvoiceUnpaid},  // paid in part after the refund
		{InvoiceRefunded, 1000, 1000, InvoiceRefunded, InvoicePaid},   // paid again after the refund
		{InvoiceRefunded, 1200, 1000, InvoiceRefunded, InvoicePaid},   // overpaid
		{InvoicePaid, 400, 1000, InvoicePaid, InvoicePaid},            // a part refund leaves it Paid
		{InvoiceCancelled, 0, 1000, InvoiceCancelled, InvoiceUnpaid},
		{InvoiceCancelled, 1000, 1000, InvoiceCancelled, InvoicePaid}, // money came for the closed order
		{InvoiceCancelled, 0, 0, InvoiceCancelled, InvoicePaid},       // nothing to pay
	} {
		if got := InvoiceOnClose(tc.now, tc.paid, tc.total); got != tc.close {
			t.Errorf("close %s %d/%d = %s, want %s", tc.now, tc.paid, tc.total, got, tc.close)
		}
		if got := InvoiceOnReopen(tc.now, tc.paid, tc.total); got != tc.reopen {
			t.Errorf("reopen %s %d/%d = %s, want %s", tc.now, tc.paid, tc.total, got, tc.reopen)
		}
	}
}

func TestUnpaidDeadline(t *testing.T) {
	since := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		days int
		want time.Time
	}{
		{0, time.Time{}}, // the setting off: never
		{-1, time.Time{}},
		{1, since.Add(24 * time.Hour)},
		{30, since.AddDate(0, 0, 30)},
	} {
		if got := UnpaidDeadline(since, tc.days); !got.Equal(tc.want) {
			t.Errorf("UnpaidDeadline(%v, %d) = %v, want %v", since, tc.days, got, tc.want)
		}
	}
}
