package order

// InvoiceOnClose is what an order's invoice becomes when the order is cancelled or marked
// fraud, decided from the ledger under the invoice's lock: an unpaid invoice is cancelled; one
// that got paid meanwhile stays Paid (the money was taken, and an admin must see it).
func InvoiceOnClose(now InvoiceStatus, paid, total int64) InvoiceStatus {
	if now == InvoiceUnpaid && paid < total {
		return InvoiceCancelled
	}
	return now
}

// InvoiceOnReopen is what a cancelled order's invoice becomes when the order is set back to
// Pending: Paid if the ledger covers it (nothing more to wait for), Unpaid otherwise.
func InvoiceOnReopen(now InvoiceStatus, paid, total int64) InvoiceStatus {
	switch {
	case now != InvoiceCancelled:
		return now
	case paid >= total:
		return InvoicePaid
	default:
		return InvoiceUnpaid
	}
}
