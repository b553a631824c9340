package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/order"
)

// paymentFact takes news of the invoice's money in ledger order (seq), and believes only what
// PostgreSQL says: a stale signal, or a forged one from whoever can reach Temporal, provisions
// nothing. review says the money came for a closed order.
func (w *orderWF) paymentFact(ctx workflow.Context, seq int64, review bool) {
	if seq != 0 && seq <= w.PaymentSeq {
		return // older than news already taken
	}
	w.PaymentSeq = max(w.PaymentSeq, seq)
	inv, err := recordResult(ctx, w, recs.ReadInvoice, w.in.Order.ID)
	if err != nil {
		w.logger.Error("Invoice not read", "Error", err)
		return
	}
	if w.State.PaymentStatus == order.InvoiceRefunded && inv.Status == order.InvoiceUnpaid {
		// Paid in part after a full refund: money is due again, and the order gets the full
		// time to pay, as after Set Back to Pending, not a deadline counted from its placement.
		w.UnpaidSince = workflow.Now(ctx)
	}
	w.paidEmail(w.State.PaymentStatus, inv.Status)
	w.State.PaymentStatus = inv.Status
	closed := w.State.Status == order.Cancelled || w.State.Status == order.Fraud
	switch {
	case closed && review:
		w.PaymentReview = true
	case inv.Paid <= 0:
		w.PaymentReview = false // refunded: nothing left to decide
	}
	w.logger.Info("Invoice news", "Status", inv.Status, "Seq", seq)
}
