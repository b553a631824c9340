package workflows

import "go.temporal.io/sdk/workflow"

// paymentFact takes news of the invoice's money in ledger order (seq), and believes only what
// PostgreSQL says: a stale signal, or a forged one from whoever can reach Temporal, provisions
// nothing. review says the money came for a closed order.
func (w *orderWF) paymentFact(ctx workflow.Context, seq int64, review bool) {
	if !w.TakeFact(seq) {
		return // older than news already taken
	}
	w.readInvoice(ctx, review)
	w.logger.Info("Invoice news", "Status", w.State.PaymentStatus, "Seq", seq)
}

// readInvoice takes the invoice's money as PostgreSQL has it now.
func (w *orderWF) readInvoice(ctx workflow.Context, review bool) {
	inv, err := recordResult(ctx, w, recs.ReadInvoice, w.in.Order.ID)
	if err != nil {
		w.logger.Error("Invoice not read", "Error", err)
		return
	}
	w.paidEmail(w.State.PaymentStatus, inv.Status)
	w.InvoiceRead(inv.Status, inv.Paid, review, workflow.Now(ctx))
}
