package ordermsg

import "github.com/hostflow/hostflow/order"

// UpdateRefund asks the order's workflow to give back a payment of its invoice through the
// payment's gateway (billing.RefundGateway): the refund is a step of the order, sent once
// however often the worker is killed.
const UpdateRefund = "refund"

// RefundRequest is a refund of one payment of the order's invoice.
type RefundRequest struct {
	InvoiceID     int64       `json:"invoice_id"`
	TransactionID string      `json:"transaction_id"` // the payment
	Amount        string      `json:"amount"`         // decimal; empty: all that is left of it
	Actor         order.Actor `json:"actor"`
}

// Refunded is a refund the gateway made and the ledger holds.
type Refunded struct {
	RefundID      int64               `json:"refund_id"`      // hostflow's
	TransactionID string              `json:"transaction_id"` // the gateway's (Stripe's re_…)
	Payment       string              `json:"payment"`        // the payment it gave back
	Amount        int64               `json:"amount"`         // minor units
	Currency      string              `json:"currency"`
	InvoiceStatus order.InvoiceStatus `json:"invoice_status"`
	Balance       int64               `json:"balance"`
	Duplicate     bool                `json:"duplicate,omitempty"` // recorded before: nothing changed
	// Error says why the gateway did not refund (Cancel & Refund's answer; a refund asked
	// for alone fails with it instead).
	Error string `json:"error,omitempty"`
}
