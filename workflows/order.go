// Package workflows is the order workflow, one durable execution per order from placement to
// deletion: the handlers of its messages (package ordermsg), the queue that serves them one
// step at a time, its timers and pollers, and the activities it calls. The order's state and
// the rules read from it (what the order waits for, whether an action is allowed now, what
// Accept or auto-setup does with each item) are package orderstate's, plain Go tested without
// Temporal; this package runs the steps they allow. workflows/clientmail is the client
// account's emails, a workflow each.
//
// The order's life, as docs/design.md draws it. The workflow is its only writer:
//
//	place ──► written (order, items, invoice) ── fraud check ──► score over threshold: Fraud
//	  │                                            └─ check unanswered: waits for fraud-review
//	  ▼
//	Pending ── waits for payment; once paid, auto-setup runs per item (order / payment), and
//	  │        the ORDER stays Pending, waiting for admin-review
//	  ├── accept       (Pending)            ──► Active     runs what Accept asks of each item
//	  ├── cancel       (Pending)            ──► Cancelled  accounts terminated, items follow,
//	  │                                                    the invoice Cancelled unless paid
//	  ├── cancel-refund (Pending)           ──► Cancelled  as cancel, then what is left of each
//	  │                                                    payment refunded through its gateway
//	  ├── fraud        (any but Fraud)      ──► Fraud      as cancel
//	  ├── unpaid for N days (the setting)   ──► Cancelled  by system
//	  ├── set-pending  (any but Pending)    ──► Pending    items Pending; the invoice Paid if its
//	  │                                                    money is there, else Unpaid
//	  ├── retry / skip (a step failed)          a failed module step again, or by hand;
//	  │                                         the order waits for provisioning-failed
//	  └── delete       (Cancelled, Fraud;   ──► gone       rows removed, the workflow ends
//	                    no live account,
//	                    no money held)
//	Cancelled or Fraud holding money (paid before, during or after the close): waits for
//	payment-review until it is refunded or the order set back to Pending.
//
// Which state allows which action is order.Actions, and what the order's items and money add
// to it is orderstate's Order.Check; what each action does is the method of the same name in
// actions.go. Facts arrive as signals (payment-received, payment-refunded, fraud-result,
// unpaid-policy) and are applied in the same queue as the actions, one step at a time; payment
// facts are read back from PostgreSQL. A long-lived or settled order continues as new.
package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
	"github.com/hostflow/hostflow/workflows/orderstate"
)

// Order is the workflow of one order, id order-<id>. It writes the order's rows, checks it for
// fraud, waits for payment, runs auto-setup, and then serves the admin's actions until the
// order is deleted.
func Order(ctx workflow.Context, in ordermsg.Input) error {
	w := newOrderWF(ctx, in)
	if err := w.setup(ctx); err != nil {
		return err
	}
	return w.run(ctx)
}

type orderWF struct {
	// Order is the order's state and the rules read from it (package orderstate): its fields
	// and methods (capitalised) are the order's, and its Durable is what continue-as-new hands
	// to the next run, whole. The fields below are this run's own and start afresh in each run.
	orderstate.Order
	in     ordermsg.Input
	logger log.Logger

	createErr error
	queue     []*command

	polling  bool                    // the registrar poller runs
	asking   bool                    // and is waiting for the registrars' answer
	outgoing []activities.EmailInput // emails the steps queued, sent when the order settles
	mailing  int                     // email activities still running
	// receiptDue: the invoice was found newly Paid, and its receipt goes with the next flush.
	// Run-local: a flush always follows the step before the run may continue as new.
	receiptDue  bool
	policyHeard int  // unpaid-policy signals heard: each is newer than any value read before it
	checkingOut bool // a payment session is being opened
	refunding   bool // a refund is being sent
	// refunds are what the last Cancel & Refund gave back, for its answer.
	refunds []ordermsg.Refunded

	published ordermsg.State   // what the search attributes last showed
	recorded  order.WaitingFor // what the database's waiting_for last showed
}

// command is one step waiting for its turn in the main loop: an admin action, a fact from a
// signal, or a timer's or poller's news. Updates wait for done; signals do not.
type command struct {
	run  func(ctx workflow.Context)
	done bool
	gone bool // never run: the order was deleted first
}

// Workflow changes. Release 0.1.0 is the baseline: every behaviour before it is folded in.
// From it on, a change that alters the commands a history records gets a change id here,
// asked through workflow.GetVersion where the behaviour first differs, so that running
// orders replay (see CHANGELOG.md and docs/design.md).
const (
	// changeInvoiceEmails (0.2.0): the Invoice Payment Confirmation in a batch of its own
	// (queueReceipt). The other emails of 0.2.0 ride on batches that went before.
	changeInvoiceEmails = "invoice-emails"
)

// createBudget is how long the order's first write is retried: less than the API's wait for it.
const createBudget = 20 * time.Second

func newOrderWF(ctx workflow.Context, in ordermsg.Input) *orderWF {
	w := &orderWF{in: in, logger: log.With(workflow.GetLogger(ctx), "OrderID", in.Order.ID)}
	if in.Resume != nil {
		w.Order = orderstate.Resume(in) // the order's rows exist already
		return w
	}
	w.Order = orderstate.New(in, workflow.GetInfo(ctx).WorkflowStartTime)
	w.published = orderstate.Initial(in.Order)
	return w
}

// setup registers every handler. The SDK holds messages that arrive before their handler, so
// nothing is lost by registering them only now.
func (w *orderWF) setup(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, ordermsg.QueryState, func() (ordermsg.State, error) { return w.Snapshot(), nil }); err != nil {
		return fmt.Errorf("register state query: %w", err)
	}
	err := workflow.SetUpdateHandlerWithOptions(ctx, ordermsg.UpdatePlace, func(ctx workflow.Context, _ string) (ordermsg.Placed, error) {
		if err := workflow.Await(ctx, func() bool { return w.Created || w.createErr != nil }); err != nil {
			return ordermsg.Placed{}, err
		}
		return w.Placed, w.createErr
	}, workflow.UpdateHandlerOptions{Validator: func(_ workflow.Context, token string) error {
		// Orders started before placements carried a token accept any.
		if w.in.Token != "" && token != w.in.Token {
			return temporal.NewNonRetryableApplicationError("this order id belongs to another placement", ordermsg.ErrStalePlacement, nil)
		}
		return nil
	}})
	if err != nil {
		return fmt.Errorf("register place update: %w", err)
	}
	err = workflow.SetUpdateHandlerWithOptions(ctx, ordermsg.UpdateRefund, w.refund, workflow.UpdateHandlerOptions{
		Validator: func(workflow.Context, ordermsg.RefundRequest) error {
			if !w.Created || w.Deleted {
				return errGone
			}
			return nil
		}})
	if err != nil {
		return fmt.Errorf("register refund update: %w", err)
	}
	err = workflow.SetUpdateHandlerWithOptions(ctx, ordermsg.UpdateCheckout, w.checkout, workflow.UpdateHandlerOptions{
		Validator: func(workflow.Context, ordermsg.CheckoutRequest) error {
			if !w.Created || w.Deleted {
				return errGone
			}
			if err := w.CheckPayable(); err != nil {
				return stateError(err)
			}
			return nil
		}})
	if err != nil {
		return fmt.Errorf("register checkout update: %w", err)
	}
	for _, spec := range order.Actions {
		if spec.On == order.OnOrder && actionMethods[spec.Action] == nil {
			return fmt.Errorf("order action %s has no workflow method", spec.Action)
		}
		err := workflow.SetUpdateHandlerWithOptions(ctx, string(spec.Action),
			func(ctx workflow.Context, req order.ActionRequest) (ordermsg.Result, error) {
				var res ordermsg.Result
				var err error
				cmd := w.enqueue(func(ctx workflow.Context) { res, err = w.act(ctx, spec, req) })
				if err := workflow.Await(ctx, func() bool { return cmd.done }); err != nil {
					return ordermsg.Result{}, err
				}
				if cmd.gone {
					return ordermsg.Result{}, errGone
				}
				return res, err
			},
			workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, req order.ActionRequest) error {
				return w.check(spec, req)
			}})
		if err != nil {
			return fmt.Errorf("register %s update: %w", spec.Action, err)
		}
	}
	sel, err := w.listen(ctx)
	if err != nil {
		return err
	}
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			sel.Select(ctx)
		}
	})
	return nil
}

// listen queues every signal in the order it arrives, through one selector whose cases follow
// the fixed list of signals (ordermsg.Signals): facts, and the admin actions as signals too, so that
// an operator can act from the Temporal CLI or Web UI.
func (w *orderWF) listen(ctx workflow.Context) (workflow.Selector, error) {
	sel := workflow.NewSelector(ctx)
	for _, name := range ordermsg.Signals {
		switch name {
		case ordermsg.SignalPaymentReceived:
			receive(ctx, sel, name, func(p ordermsg.PaymentReceived) {
				w.enqueue(func(ctx workflow.Context) { w.paymentFact(ctx, p.Seq, p.Review) })
			})
		case ordermsg.SignalPaymentRefunded:
			receive(ctx, sel, name, func(p ordermsg.PaymentRefunded) {
				w.enqueue(func(ctx workflow.Context) { w.paymentFact(ctx, p.Seq, false) })
			})
		case ordermsg.SignalFraudResult:
			receive(ctx, sel, name, func(f ordermsg.FraudResult) { w.enqueue(func(ctx workflow.Context) { w.fraudResult(ctx, f) }) })
		case ordermsg.SignalUnpaidPolicy:
			receive(ctx, sel, name, func(p ordermsg.UnpaidPolicy) {
				w.UnpaidAfterDays = p.CancelAfterDays // the timer follows on its own
				w.policyHeard++
			})
		default:
			spec, ok := order.Lookup(order.Action(name))
			if !ok {
				return nil, fmt.Errorf("signal %s is neither a fact nor an order action", name)
			}
			receive(ctx, sel, name, func(req order.ActionRequest) {
				w.enqueue(func(ctx workflow.Context) { _, _ = w.act(ctx, spec, req) })
			})
		}
	}
	return sel, nil
}

// receive hands each signal called name, decoded, to fn.
func receive[T any](ctx workflow.Context, sel workflow.Selector, name string, fn func(T)) {
	sel.AddReceive(workflow.GetSignalChannel(ctx, name), func(c workflow.ReceiveChannel, _ bool) {
		var v T
		c.Receive(ctx, &v)
		fn(v)
	})
}

func (w *orderWF) enqueue(run func(workflow.Context)) *command {
	c := &command{run: run}
	w.queue = append(w.queue, c)
	return c
}

// errGone answers an action that was still queued when its order was deleted.
var errGone = temporal.NewNonRetryableApplicationError(order.ReasonNotFound, ordermsg.ErrNotFound, nil)

// run writes the order, then serves commands, the fraud check and auto-setup one at a time, so
// that no two steps of one order ever interleave.
func (w *orderWF) run(ctx workflow.Context) error {
	w.watchUnpaid(ctx)
	if w.in.Resume != nil {
		if len(w.WatchedNow()) > 0 {
			w.pollRegistrars(ctx)
		}
	} else if err := w.create(ctx); err != nil {
		return err
	}
	w.settle(ctx)

	for !w.Deleted {
		err := workflow.Await(ctx, func() bool {
			return len(w.queue) > 0 || w.FraudPending || w.AutoWorkDue() || w.mayContinue(ctx)
		})
		if err != nil {
			return err
		}
		switch {
		case len(w.queue) > 0:
			cmd := w.queue[0]
			w.queue = w.queue[1:]
			cmd.run(ctx)
			cmd.done = true
		case w.FraudPending:
			w.checkFraud(ctx)
		case w.AutoWorkDue():
			w.autoSetup(ctx)
		case w.stillMayContinue(ctx):
			return w.continueAsNew(ctx)
		}
		if w.settled() {
			w.settle(ctx) // only settled states: no "admin-review" while setup is still to run
		}
	}
	// The order is gone: send what it queued, answer whatever is still queued, then let the
	// handlers return.
	w.flushEmails(ctx)
	for _, cmd := range w.queue {
		cmd.gone, cmd.done = true, true
	}
	w.queue = nil
	return workflow.Await(ctx, func() bool { return w.mailing == 0 && workflow.AllHandlersFinished(ctx) })
}

// create writes the order's rows: the place update waits for this. The first write is tried
// only while its caller waits: if it fails, the caller hears why and no workflow is left
// running for an order that does not exist (a retry with the same Idempotency-Key starts a new
// run).
func (w *orderWF) create(ctx workflow.Context) error {
	heard := w.policyHeard
	var created records.Created
	o := w.in.Order
	o.WaitingFor = w.published.WaitingFor // as the workflow's start showed it
	err := w.writeLocal(ctx, recs.CreateOrder, o, &created, createBudget)
	if err != nil {
		w.createErr = err
		w.logger.Error("Order not created", "Error", err)
		_ = workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
		if isPermanent(err) {
			return err // refused: the write rolled back
		}
		if created, err = w.discard(ctx); err != nil {
			return err
		}
	}
	w.Written(ordermsg.Placed{OrderID: w.in.Order.ID, OrderNumber: created.OrderNumber, InvoiceID: created.InvoiceID,
		ServiceIDs: created.ServiceIDs, DomainIDs: created.DomainIDs, Status: order.Pending}, created.InvoicePaid)
	w.recorded = o.WaitingFor
	if w.policyHeard == heard {
		// The setting as the write read it, unless a change of it was heard meanwhile: the
		// change came after the write (it waits for the write's lock), so it is the newer.
		w.UnpaidAfterDays = created.CancelUnpaidAfterDays
	}
	w.placementEmails()
	return nil
}

// discard undoes a first write that may have committed though the workflow never heard so
// (PostgreSQL stalled past the write's budget): the caller was told the order failed, so its
// rows must not hold its domains and promotion, or take payments that nobody would watch.
// The write is retried, for a week at most, until it is known. If money is on the order by
// then, the order is kept and run after all: created says what it holds.
func (w *orderWF) discard(ctx workflow.Context) (created records.Created, err error) {
	// Keyed by the run, not numbered: a retry of the placement numbers the order's lines afresh.
	e := records.Event{OrderID: w.in.Order.ID, Key: "discarded-" + workflow.GetInfo(ctx).WorkflowExecution.RunID,
		Actor: order.System, Action: "discarded", From: string(order.Pending),
		Detail: "the order's first write was not confirmed in time and its caller was told it failed"}
	var discarded bool
	if derr := w.write(ctx, recs.DiscardOrder, e, &discarded); derr != nil || discarded {
		if derr != nil {
			w.logger.Error("Unconfirmed order not discarded: check whether its rows exist", "Error", derr)
		}
		return created, w.createErr
	}
	w.logger.Warn("Unconfirmed order has payments: running it after all")
	if created, err = recordResult(ctx, w, recs.CreateOrder, w.in.Order); err != nil {
		return created, err
	}
	w.createErr = nil
	return created, nil
}

// InitialAttributes are the search attributes of orderstate.Initial, set as the workflow starts.
func InitialAttributes(o order.NewOrder) temporal.SearchAttributes {
	return temporal.NewSearchAttributes(orderstate.Initial(o).Attributes(o.ClientID)...)
}

// settled reports whether the order has nothing left to do on its own after the step that runs:
// no step queued, no fraud check or auto-setup due.
func (w *orderWF) settled() bool { return len(w.queue) == 0 && !w.FraudPending && !w.AutoWorkDue() }

// settle shows the order's state where operators look, once it has settled after a step, and
// sends the emails the steps queued.
func (w *orderWF) settle(ctx workflow.Context) {
	w.publish(ctx)
	w.flushEmails(ctx)
}

// publish shows the order's state where operators look: the search attributes and current
// details in the Web UI, and waiting_for in PostgreSQL. Each is written only when it changed:
// a step's own write usually carries waiting_for already (stamp).
func (w *orderWF) publish(ctx workflow.Context) {
	now := w.Snapshot()
	if w.Deleted {
		now.Status = order.Deleted
	}
	details := fmt.Sprintf("**%s** · invoice %s", now.Status, now.PaymentStatus)
	if now.WaitingFor != order.NotWaiting {
		details += " · waiting for " + string(now.WaitingFor)
	}
	workflow.SetCurrentDetails(ctx, details)
	last := w.published
	if now.Status != last.Status || now.PaymentStatus != last.PaymentStatus || now.WaitingFor != last.WaitingFor ||
		now.OrderNumber != last.OrderNumber {
		w.published = now
		if err := workflow.UpsertTypedSearchAttributes(ctx, now.Attributes(w.in.Order.ClientID)...); err != nil {
			w.logger.Warn("Search attributes not updated", "Error", err)
		}
	}
	if !w.Deleted && now.WaitingFor != w.recorded {
		if err := record(ctx, w, recs.RecordWaiting, records.Waiting{OrderID: w.in.Order.ID, WaitingFor: now.WaitingFor}); err != nil {
			w.logger.Error("Waiting-for not recorded", "Error", err)
		} else {
			w.recorded = now.WaitingFor
		}
	}
}

// stamp has a step's write carry what the order waits for once the step is done, when the
// order will have settled by then: publish then has nothing left to write.
func (w *orderWF) stamp(e records.Event) records.Event {
	if w.settled() && !w.Deleted {
		wf := w.WaitingFor()
		e.Waiting = &wf
	}
	return e
}
