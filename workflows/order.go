package workflows

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
// Which state allows which action is order.Actions; what each does is the method of the same
// name below. Facts arrive as signals (payment-received, payment-refunded, fraud-result,
// unpaid-policy) and are applied in the same queue as the actions, one step at a time; payment
// facts are read back from PostgreSQL. A long-lived or settled order continues as new.

import (
	"fmt"
	"strconv"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/order"
)

// Order is the workflow of one order, id order-<id>. It writes the order's rows, checks it for
// fraud, waits for payment, runs auto-setup, and then serves the admin's actions until the
// order is deleted.
func Order(ctx workflow.Context, in Input) error {
	w := newOrderWF(ctx, in)
	if err := w.setup(ctx); err != nil {
		return err
	}
	return w.run(ctx)
}

type orderWF struct {
	in     Input
	st     State
	logger log.Logger

	created   bool
	createErr error
	placed    Placed
	deleted   bool

	queue []*command
	seq   int // numbers audit events, so a retried write is recognised

	fraudPending  bool // the placement check has yet to run; auto-setup waits for it
	pendingAccept *order.AcceptOptions

	paymentSeq    int64           // the ledger position of the newest payment fact heard
	paymentReview bool            // a closed order holds money: refund it or reopen
	legacy        map[string]bool // change ids of actionChanges an action being replayed predates

	polling    bool                // the registrar poller runs
	alone      map[int64]time.Time // domains a per-domain poller (before batch-domain-polls) follows, since when
	asking     bool                // and is waiting for the registrars' answer
	noContinue bool                // this run is from before continue-as-new: it never does

	emails      bool // this run sends emails (versionEmails on)
	domainWatch bool // this run follows pending domains at their registrar (versionDomainWatch on)
	mailSeq     int  // numbers emails, for their keys
	mailing     int  // emails still being sent

	unpaidWatch     bool      // this run keeps the unpaid-cancel timer (versionUnpaidCancel on)
	unpaidAfterDays int       // 0: never cancel for non-payment
	unpaidSince     time.Time // when the wait for payment began: placement or set-pending
	policyHeard     int       // unpaid-policy signals heard: each is newer than any value read before it

	published State // what the search attributes and the database last showed
}

// command is one step waiting for its turn in the main loop: an admin action, a fact from a
// signal, or a timer's or poller's news. Updates wait for done; signals do not.
type command struct {
	run  func(ctx workflow.Context)
	done bool
	gone bool // never run: the order was deleted first
}

// The "unpaid-cancel" change id gates three behaviours added one after another, before each
// new behaviour got an id of its own; its versions are frozen. New behaviour takes a new id,
// asked where the behaviour first differs, so that running orders take it up too.
const (
	changeUnpaidCancel  = "unpaid-cancel"
	versionUnpaidCancel = 1 // the unpaid-cancel timer
	versionEmails       = 2 // emails
	versionDomainWatch  = 3 // registrar status polls of pending domains

	// Closing and reopening an order decide its invoice from the ledger, under its lock.
	changeSettleInvoice = "settle-invoice"
	// Payment facts are taken in ledger order and read back from PostgreSQL.
	changeConfirmPayment = "confirm-payment"
	// No delete while an account still runs on a panel or a step has failed.
	changeDeleteGuard = "delete-guard"
	// Pending domains are polled together, one activity a tick, backing off.
	changeBatchPolls = "batch-domain-polls"
	// Long-lived and settled orders continue as new.
	changeContinueAsNew = "continue-as-new"
	// Database writes are retried for a week, not for ever; the order's first write only while
	// its caller waits.
	changeBoundedWrites = "bounded-writes"
	// Accept refuses Send to Registrar for a domain without a registrar.
	changeAcceptRegistrar = "accept-needs-registrar"
	// Run Fraud Check may name the IP address to check the order from.
	changeFraudCheckIP = "fraud-check-ip"
	// A signal taken in the task where the order would continue as new is served first.
	changeSignalsBeforeContinue = "signals-before-continue"
	// No delete while money sits on the invoice.
	changeDeleteMoney = "delete-keeps-money"
	// A first write whose outcome is unknown is undone before the run fails.
	changeDiscardUnplaced = "discard-unplaced"
	// A closed order holding any money, part of its total too, waits for payment-review.
	changeCloseReview = "close-review"
	// The unpaid-cancel timer reads the invoice and the setting before it cancels.
	changeUnpaidRecheck = "unpaid-recheck"
	// The unpaid-cancel setting is read as the order starts to wait for payment (its first
	// write, a reopen), not taken from the input alone.
	changeUnpaidSetting = "unpaid-setting-read"
	// Money due again after a full refund starts the wait for payment afresh.
	changeUnpaidAgain = "unpaid-again"
)

// actionChanges are the admin actions whose rules changes made stricter: replaying a history
// from before a change, the action runs without that change's rule.
var actionChanges = map[order.Action][]string{
	order.ActionDelete: {changeDeleteGuard, changeDeleteMoney},
	order.ActionAccept: {changeAcceptRegistrar},
}

// createBudget is how long the order's first write is retried: less than the API's wait for it.
const createBudget = 20 * time.Second

// versioned reports whether this run takes up the behaviour of change.
func versioned(ctx workflow.Context, change string) bool {
	return workflow.GetVersion(ctx, change, workflow.DefaultVersion, 1) == 1
}

func newOrderWF(ctx workflow.Context, in Input) *orderWF {
	w := &orderWF{
		in:           in,
		legacy:       map[string]bool{},
		alone:        map[int64]time.Time{},
		logger:       log.With(workflow.GetLogger(ctx), "OrderID", in.Order.ID),
		fraudPending: in.FraudCheck,

		unpaidAfterDays: in.CancelUnpaidAfterDays,
		unpaidSince:     workflow.GetInfo(ctx).WorkflowStartTime,
	}
	w.st = State{OrderID: in.Order.ID, OrderNumber: in.Order.Number, Status: order.Pending, PaymentStatus: order.InvoiceUnpaid}
	for _, s := range in.Order.Services {
		name := s.ProductName
		if s.Domain != "" {
			name += " - " + s.Domain
		}
		w.st.Items = append(w.st.Items, Item{Kind: order.OnService, Name: name, Module: s.Module, AutoSetup: s.AutoSetup, Status: order.Pending})
	}
	for _, d := range in.Order.Domains {
		w.st.Items = append(w.st.Items, Item{Kind: order.OnDomain, Name: d.Domain, Module: d.AutoRegistrar,
			Transfer: d.Type == order.DomainTransfer, Status: order.Pending})
	}
	return w
}

// setup registers every handler. The SDK holds messages that arrive before their handler, so
// nothing is lost by registering them only now.
func (w *orderWF) setup(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (State, error) { return w.snapshot(), nil }); err != nil {
		return fmt.Errorf("register state query: %w", err)
	}
	err := workflow.SetUpdateHandlerWithOptions(ctx, UpdatePlace, func(ctx workflow.Context, _ string) (Placed, error) {
		if err := workflow.Await(ctx, func() bool { return w.created || w.createErr != nil }); err != nil {
			return Placed{}, err
		}
		return w.placed, w.createErr
	}, workflow.UpdateHandlerOptions{Validator: func(_ workflow.Context, token string) error {
		// Orders started before placements carried a token accept any.
		if w.in.Token != "" && token != w.in.Token {
			return temporal.NewNonRetryableApplicationError("this order id belongs to another placement", ErrStalePlacement, nil)
		}
		return nil
	}})
	if err != nil {
		return fmt.Errorf("register place update: %w", err)
	}
	sel := workflow.NewSelector(ctx)
	for _, spec := range order.Actions {
		if spec.On == order.OnOrder && actionMethods[spec.Action] == nil {
			return fmt.Errorf("order action %s has no workflow method", spec.Action)
		}
		err := workflow.SetUpdateHandlerWithOptions(ctx, string(spec.Action),
			func(ctx workflow.Context, req order.ActionRequest) (Result, error) {
				var res Result
				var err error
				cmd := w.enqueue(func(ctx workflow.Context) { res, err = w.act(ctx, spec, req) })
				if err := workflow.Await(ctx, func() bool { return cmd.done }); err != nil {
					return Result{}, err
				}
				if cmd.gone {
					return Result{}, errGone
				}
				return res, err
			},
			workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, req order.ActionRequest) error {
				return w.check(spec, req)
			}})
		if err != nil {
			return fmt.Errorf("register %s update: %w", spec.Action, err)
		}
		// The same action as a signal, so that an operator can act from the Temporal CLI or Web UI.
		receive(ctx, sel, string(spec.Action), func(req order.ActionRequest) {
			w.enqueue(func(ctx workflow.Context) { _, _ = w.act(ctx, spec, req) })
		})
	}
	w.listenForFacts(ctx, sel)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			sel.Select(ctx)
		}
	})
	return nil
}

// listenForFacts queues the facts that signals bring, in the order they arrive. The selector's
// cases keep the order they had before fraud-result was added, so that signals buffered
// together replay in their recorded order.
func (w *orderWF) listenForFacts(ctx workflow.Context, sel workflow.Selector) {
	fraudResult := func(f FraudResult) { w.enqueue(func(ctx workflow.Context) { w.fraudResult(ctx, f) }) }
	receive(ctx, sel, SignalPaymentReceived, func(p PaymentReceived) {
		w.enqueue(func(ctx workflow.Context) { w.paymentReceived(ctx, p) })
	})
	receive(ctx, sel, signalFraudResultV1, fraudResult)
	receive(ctx, sel, SignalPaymentRefunded, func(p PaymentRefunded) {
		w.enqueue(func(ctx workflow.Context) { w.paymentRefunded(ctx, p) })
	})
	receive(ctx, sel, SignalUnpaidPolicy, func(p UnpaidPolicy) {
		w.unpaidAfterDays = p.CancelAfterDays // the timer follows on its own
		w.policyHeard++
	})
	receive(ctx, sel, SignalFraudResult, fraudResult)
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
var errGone = temporal.NewNonRetryableApplicationError(order.ReasonNotFound, ErrNotFound, nil)

// run writes the order, then serves commands, the fraud check and auto-setup one at a time, so
// that no two steps of one order ever interleave.
func (w *orderWF) run(ctx workflow.Context) error {
	v := workflow.GetVersion(ctx, changeUnpaidCancel, workflow.DefaultVersion, versionDomainWatch)
	if v >= versionUnpaidCancel {
		w.unpaidWatch = true
		w.watchUnpaid(ctx)
	}
	w.emails, w.domainWatch = v >= versionEmails, v >= versionDomainWatch
	if r := w.in.Resume; r != nil {
		w.resume(ctx, *r)
	} else if err := w.create(ctx); err != nil {
		return err
	}
	w.publish(ctx)

	for !w.deleted {
		err := workflow.Await(ctx, func() bool {
			return len(w.queue) > 0 || w.fraudPending || w.autoWorkDue() || w.mayContinue(ctx)
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
		case w.fraudPending:
			w.checkFraud(ctx)
		case w.autoWorkDue():
			w.autoSetup(ctx)
		case !versioned(ctx, changeContinueAsNew):
			w.noContinue = true
		case w.stillMayContinue(ctx):
			return w.continueAsNew(ctx)
		}
		if len(w.queue) == 0 && !w.fraudPending && !w.autoWorkDue() {
			w.publish(ctx) // only settled states: no "admin-review" while setup is still to run
		}
	}
	// The order is gone: answer whatever is still queued, then let the handlers return.
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
	var created activities.Created
	var err error
	heard := w.policyHeard
	if versioned(ctx, changeBoundedWrites) {
		err = w.writeLocal(ctx, acts.CreateOrder, w.in.Order, &created, createBudget)
	} else {
		created, err = recordResult(ctx, w, acts.CreateOrder, w.in.Order)
	}
	if err != nil {
		w.createErr = err
		w.logger.Error("Order not created", "Error", err)
		_ = workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
		if isPermanent(err) || !versioned(ctx, changeDiscardUnplaced) {
			return err // refused: the write rolled back
		}
		if created, err = w.discard(ctx); err != nil {
			return err
		}
	}
	w.onCreated(created)
	if versioned(ctx, changeUnpaidSetting) && w.policyHeard == heard {
		// The setting as the write read it, unless a change of it was heard meanwhile: the
		// change came after the write (it waits for the write's lock), so it is the newer.
		w.unpaidAfterDays = created.CancelUnpaidAfterDays
	}
	if !w.in.Order.NoEmail {
		w.sendEmail(ctx, activities.EmailInput{Template: email.OrderConfirmation})
	}
	return nil
}

// discard undoes a first write that may have committed though the workflow never heard so
// (PostgreSQL stalled past the write's budget): the caller was told the order failed, so its
// rows must not hold its domains and promotion, or take payments that nobody would watch.
// The write is retried, for a week at most, until it is known. If money is on the order by
// then, the order is kept and run after all: created says what it holds.
func (w *orderWF) discard(ctx workflow.Context) (created activities.Created, err error) {
	// Keyed by the run, not numbered: a retry of the placement numbers the order's lines afresh.
	e := activities.Event{OrderID: w.in.Order.ID, Key: "discarded-" + workflow.GetInfo(ctx).WorkflowExecution.RunID,
		Actor: order.System, Action: "discarded", From: string(order.Pending),
		Detail: "the order's first write was not confirmed in time and its caller was told it failed"}
	var discarded bool
	if derr := w.write(ctx, acts.DiscardOrder, e, &discarded); derr != nil || discarded {
		if derr != nil {
			w.logger.Error("Unconfirmed order not discarded: check whether its rows exist", "Error", derr)
		}
		return created, w.createErr
	}
	w.logger.Warn("Unconfirmed order has payments: running it after all")
	if created, err = recordResult(ctx, w, acts.CreateOrder, w.in.Order); err != nil {
		return created, err
	}
	w.createErr = nil
	return created, nil
}

func (w *orderWF) onCreated(c activities.Created) {
	w.st.OrderNumber = c.OrderNumber
	var si, di int
	for i := range w.st.Items {
		it := &w.st.Items[i]
		if it.Kind == order.OnService {
			it.ID = c.ServiceIDs[si]
			si++
		} else {
			it.ID = c.DomainIDs[di]
			di++
		}
	}
	if c.InvoicePaid {
		w.st.PaymentStatus = order.InvoicePaid
	}
	w.placed = Placed{OrderID: w.in.Order.ID, OrderNumber: c.OrderNumber, InvoiceID: c.InvoiceID,
		ServiceIDs: c.ServiceIDs, DomainIDs: c.DomainIDs, Status: order.Pending}
	w.created = true
}

// waitingFor names what the order waits for: the WaitingFor search attribute.
func (w *orderWF) waitingFor() order.WaitingFor {
	switch {
	case w.deleted:
		return order.NotWaiting
	case w.failedCount() > 0:
		return order.WaitingProvisioningFailed
	case w.paymentReview:
		return order.WaitingPaymentReview
	case w.st.Status != order.Pending:
		return order.NotWaiting
	case w.st.FraudReview:
		return order.WaitingFraudReview
	case !w.paid():
		return order.WaitingPayment
	default:
		return order.WaitingAdminReview
	}
}

// paid reports whether the invoice is paid: payment-based setup may run.
func (w *orderWF) paid() bool { return w.st.PaymentStatus == order.InvoicePaid }

func (w *orderWF) failedCount() int {
	n := 0
	for _, it := range w.st.Items {
		if it.FailedOp != "" {
			n++
		}
	}
	return n
}

func (w *orderWF) snapshot() State {
	s := w.st
	s.WaitingFor = w.waitingFor()
	s.AcceptPending = w.pendingAccept != nil
	if d := w.unpaidDeadline(); !d.IsZero() {
		s.CancelUnpaidAt = &d
	}
	s.Items = append([]Item(nil), w.st.Items...)
	return s
}

// publish shows the order's state where operators look: the search attributes and current
// details in the Web UI, and waiting_for in PostgreSQL.
func (w *orderWF) publish(ctx workflow.Context) {
	now := w.snapshot()
	if w.deleted {
		now.Status = order.Deleted
	}
	last := w.published
	if now.Status == last.Status && now.PaymentStatus == last.PaymentStatus && now.WaitingFor == last.WaitingFor {
		return
	}
	w.published = now
	err := workflow.UpsertTypedSearchAttributes(ctx,
		AttrOrderStatus.ValueSet(string(now.Status)),
		AttrOrderNumber.ValueSet(strconv.FormatInt(now.OrderNumber, 10)),
		AttrClientID.ValueSet(w.in.Order.ClientID),
		AttrPaymentStatus.ValueSet(string(now.PaymentStatus)),
		AttrWaitingFor.ValueSet(string(now.WaitingFor)))
	if err != nil {
		w.logger.Warn("Search attributes not updated", "Error", err)
	}
	details := fmt.Sprintf("**%s** · invoice %s", now.Status, now.PaymentStatus)
	if now.WaitingFor != order.NotWaiting {
		details += " · waiting for " + string(now.WaitingFor)
	}
	workflow.SetCurrentDetails(ctx, details)
	if !w.deleted && now.WaitingFor != last.WaitingFor {
		if err := record(ctx, w, acts.RecordWaiting, activities.Waiting{OrderID: w.in.Order.ID, WaitingFor: now.WaitingFor}); err != nil {
			w.logger.Error("Waiting-for not recorded", "Error", err)
		}
	}
}
