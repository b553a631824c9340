package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
	"github.com/hostflow/hostflow/workflows/orderstate"
)

// announce queues the email a finished step calls for: the hosting account's welcome email
// after a create (welcome says whether; nil leaves it to the product's setting), the
// registration confirmation after a domain is registered, the transfer notice after one is
// sent to the registrar.
func (w *orderWF) announce(it *ordermsg.Item, welcome *bool) {
	switch {
	case it.Kind == order.OnService && (welcome == nil || *welcome):
		w.sendEmail(activities.EmailInput{Template: email.HostingWelcome, ServiceID: it.ID, IfProductSays: welcome == nil})
	case it.Kind == order.OnDomain && it.Transfer:
		w.sendEmail(activities.EmailInput{Template: email.DomainTransfer, DomainID: it.ID})
	case it.Kind == order.OnDomain:
		w.sendEmail(activities.EmailInput{Template: email.DomainRegistration, DomainID: it.ID})
	}
}

// placementEmails queues the emails of a new order (orderstate.PlacementEmails). They go in
// one batch, as the confirmation alone did before 0.2.0: an email added to a batch that goes
// anyway changes no command a history holds, so no change id is needed.
func (w *orderWF) placementEmails() {
	for _, t := range orderstate.PlacementEmails(w.in.Order) {
		w.sendEmail(activities.EmailInput{Template: t})
	}
}

// paidEmail marks the Invoice Payment Confirmation due when news of the invoice finds it newly
// Paid (a payment's signal, or the invoice a close, a reopen or the unpaid check read); the
// step's flush sends it with the step's other emails. Every place that takes the invoice's
// status calls it first.
func (w *orderWF) paidEmail(was, now order.InvoiceStatus) {
	w.receiptDue = w.receiptDue || orderstate.ReceiptDue(w.in.Order, was, now)
}

// queueReceipt queues the due receipt with the step's other emails. Riding on a batch that
// goes anyway it changes no command; a batch of the receipt alone is new since 0.1.0, so only
// that asks changeInvoiceEmails, and an order started before it replays without.
func (w *orderWF) queueReceipt(ctx workflow.Context) {
	if !w.receiptDue {
		return
	}
	w.receiptDue = false
	if len(w.outgoing) > 0 || workflow.GetVersion(ctx, changeInvoiceEmails, workflow.DefaultVersion, 1) == 1 {
		w.sendEmail(activities.EmailInput{Template: email.InvoicePaymentConfirmation})
	}
}

// sendEmail queues an email for the end of the step. Its key names the event it is for: a
// retried send finds the email already sent.
func (w *orderWF) sendEmail(in activities.EmailInput) {
	w.MailSeq++
	in.OrderID = w.in.Order.ID
	in.Key = fmt.Sprintf("order-%d/%s/%d", w.in.Order.ID, in.Template, w.MailSeq)
	w.outgoing = append(w.outgoing, in)
}

// flushEmails sends the emails the steps since the last flush queued, in one activity and in the
// background, so that an email never holds up the order. Each refused for good is noted on the
// order.
//
// When nobody waits for the step (auto-setup after a payment, a timer), the batch is first
// handed to the relay by a local activity: it rides on the workflow task that settled the step
// instead of costing a round trip and six events of its own. A caller waiting for an update
// would wait for the relay too, so then, and whenever the local try fails, the batch goes as a
// regular activity with its hours of retries.
func (w *orderWF) flushEmails(ctx workflow.Context) {
	w.queueReceipt(ctx)
	if len(w.outgoing) == 0 {
		return
	}
	batch := w.outgoing
	w.outgoing = nil
	w.mailing++
	local := workflow.AllHandlersFinished(ctx)
	workflow.Go(ctx, func(ctx workflow.Context) {
		defer func() { w.mailing-- }()
		var failed []activities.EmailFailure
		var err error
		if local {
			lctx := workflow.WithLocalActivityOptions(ctx, emailLocalOptions)
			err = workflow.ExecuteLocalActivity(lctx, acts.SendEmails, batch).Get(ctx, &failed)
		}
		if !local || err != nil {
			failed, err = callResult(ctx, ordermsg.EmailOptions, acts.SendEmails, batch)
		}
		if err != nil {
			failed = nil
			for _, in := range batch {
				failed = append(failed, activities.EmailFailure{Template: in.Template, Error: errorMessage(err)})
			}
		}
		for _, f := range failed {
			w.logger.Warn("Email not sent", "Template", f.Template, "Error", f.Error)
			w.note(ctx, w.event(order.System, "email-failed", "", "", f.Template+": "+f.Error))
		}
	})
}

// emailLocalOptions bound the local try: one attempt, and a relay slower than this gets the
// regular activity (SendEmails skips what the local try already sent).
var emailLocalOptions = workflow.LocalActivityOptions{
	ScheduleToCloseTimeout: 10 * time.Second,
	RetryPolicy:            &temporal.RetryPolicy{MaximumAttempts: 1},
}
