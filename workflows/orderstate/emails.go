package orderstate

import (
	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/order"
)

// PlacementEmails are the emails a new order calls for: the client's Order Confirmation and
// Invoice Created (nothing is due on an order paid at once, and noinvoiceemail leaves it out),
// and the staff's New Order Notification unless an admin placed the order in the console (they
// know). no_email leaves out all of them (the emails of placement only: the receipt, the
// welcome and the domain's emails still go).
func PlacementEmails(o order.NewOrder) []string {
	if o.NoEmail {
		return nil
	}
	out := []string{email.OrderConfirmation}
	if !o.NoInvoiceEmail && !o.PaidAtOnce() {
		out = append(out, email.InvoiceCreated)
	}
	if !o.Actor.InConsole() {
		out = append(out, email.NewOrderNotification)
	}
	return out
}

// NewlyPaid reports whether news of the invoice finds it Paid when it was not: the moment for
// the Invoice Payment Confirmation.
func NewlyPaid(was, now order.InvoiceStatus) bool {
	return was != order.InvoicePaid && now == order.InvoicePaid
}
