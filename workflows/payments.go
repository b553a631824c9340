package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/order"
)

// paymentReceived takes the news that the invoice is paid. The API signals only after it marked
// the invoice Paid; orders from before confirm-payment took that on trust.
func (w *orderWF) paymentReceived(ctx workflow.Context, p PaymentReceived) {
	if versioned(ctx, changeConfirmPayment) {
		w.paymentFact(ctx, p.Seq, p.Review)
		return
	}
	if w.paid() {
		return // the same news twice changes nothing
	}
	w.st.PaymentStatus = order.InvoicePaid
	w.logger.Info("Invoice paid", "InvoiceID", p.InvoiceID, "Gateway", p.Gateway)
}

// paymentRefunded takes the news that the invoice is fully refunded. Nothing is undone: what
// to do with a refunded order is the admin's call.
func (w *orderWF) paymentRefunded(ctx workflow.Context, p PaymentRefunded) {
	if versioned(ctx, changeConfirmPayment) {
		w.paymentFact(ctx, p.Seq, false)
		return
	}
	if w.st.PaymentStatus != order.InvoicePaid {
		return
	}
	w.st.PaymentStatus = order.InvoiceRefunded
	w.logger.Info("Invoice refunded", "InvoiceID", p.InvoiceID, "Gateway", p.Gateway)
}

// paymentFact takes news of the invoice's money in ledger order (seq), and believes only what
// PostgreSQL says: a stale signal, or a forged one from whoever can reach Temporal, provisions
// nothing. review says the money came for a closed order.
func (w *orderWF) paymentFact(ctx workflow.Context, seq int64, review bool) {
	if seq != 0 && seq <= w.paymentSeq {
		return // older than news already taken
	}
	w.paymentSeq = max(w.paymentSeq, seq)
	inv, err := recordResult(ctx, w, acts.ReadInvoice, w.in.Order.ID)
	if err != nil {
		w.logger.Error("Invoice not read", "Error", err)
		return
	}
	if w.st.PaymentStatus == order.InvoiceRefunded && inv.Status == order.InvoiceUnpaid && versioned(ctx, changeUnpaidAgain) {
		// Paid in part after a full refund: money is due again, and the order gets the full
		// time to pay, as after Set Back to Pending, not a deadline counted from its placement.
		w.unpaidSince = workflow.Now(ctx)
	}
	w.st.PaymentStatus = inv.Status
	closed := w.st.Status == order.Cancelled || w.st.Status == order.Fraud
	switch {
	case closed && review:
		w.paymentReview = true
	case inv.Paid <= 0:
		w.paymentReview = false // refunded: nothing left to decide
	}
	w.logger.Info("Invoice news", "Status", inv.Status, "Seq", seq)
}
