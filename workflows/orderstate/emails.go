package orderstate

import (
	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/order"
)

// PlacementEmails are the emails a new order calls for: the client's Order Confirmation and
// Invoice Created (nothing is due on an order paid at once, and noinvoiceemail leaves it out),
// and the staff's New Order Notification unless an admin placed the order in the console (they
// know). no_email leaves out all of them, and the receipt (ReceiptDue): an order imported or
// placed for a client who is not to be emailed. The welcome and the domain's emails follow
// the product's setting and Accept's options.
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

// ReceiptDue reports whether news of the invoice calls for the Invoice Payment Confirmation:
// it finds the invoice Paid when it was not, and the order is not one placed with no_email.
func ReceiptDue(o order.NewOrder, was, now order.InvoiceStatus) bool {
	return !o.NoEmail && was != order.InvoicePaid && now == order.InvoicePaid
}
