package order

import "time"

// InvoiceOnClose is what an order's invoice becomes when the order is cancelled or marked
// fraud, decided from the ledger under the invoice's lock: an unpaid invoice is cancelled; one
// that got paid meanwhile stays Paid (the money was taken, and an admin must see it).
func InvoiceOnClose(now InvoiceStatus, paid, total int64) InvoiceStatus {
	if now == InvoiceUnpaid && paid < total {
		return InvoiceCancelled
	}
	return now
}

// InvoiceOnReopen is what an order's invoice becomes when the order is set back to Pending: a
// Cancelled or Refunded one is decided from the ledger, Paid if it covers the total (nothing more
// to wait for), Unpaid otherwise (the order waits for its money again, and can be paid). Left
// Refunded, no payment would ever move it.
func InvoiceOnReopen(now InvoiceStatus, paid, total int64) InvoiceStatus {
	switch {
	case now != InvoiceCancelled && now != InvoiceRefunded:
		return now
	case paid >= total:
		return InvoicePaid
	default:
		return InvoiceUnpaid
	}
}

// UnpaidDeadline is when an order that has waited for its payment since since is cancelled
// for non-payment, days (the setting) later; zero when the setting is off.
func UnpaidDeadline(since time.Time, days int) time.Time {
	if days <= 0 {
		return time.Time{}
	}
	return since.Add(time.Duration(days) * 24 * time.Hour)
}

// SettingCancelUnpaidAfterDays is the setting that cancels an order whose invoice is still
// unpaid this many days after it was placed (or set back to Pending); 0, the default, never
// does. A change applies to orders already waiting.
const SettingCancelUnpaidAfterDays = "cancel_unpaid_after_days"
