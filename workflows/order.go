package workflows

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
// order is deleted. It is the only writer of the order's lifecycle state.
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

	emails      bool // this run sends emails (workflow version 2 on)
	domainWatch bool // this run follows pending domains at their registrar (version 3 on)
	mailSeq     int  // numbers emails, for their keys
	mailing     int  // emails still being sent

	unpaidWatch     bool      // this run keeps the unpaid-cancel timer (workflow version 1 on)
	unpaidAfterDays int       // 0: never cancel for non-payment
	unpaidSince     time.Time // when the wait for payment began: placement or set-pending

	published State // what the search attributes and the database last showed
}

// command is one message waiting for the main loop. Updates wait for done; signals do not.
type command struct {
	action  string
	req     order.ActionRequest
	fraud   FraudCheck
	payment PaymentReceived
	refund  PaymentRefunded
	// a registrar's news of a pending domain
	domainID int64
	status   string
	done     bool
	result   Result
	err      error
}

const (
	kindService = "service"
	kindDomain  = "domain"

	opCreate    = "create"
	opRegister  = "register"
	opTerminate = "terminate"
)

func newOrderWF(ctx workflow.Context, in Input) *orderWF {
	w := &orderWF{
		in:           in,
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
		w.st.Items = append(w.st.Items, Item{Kind: kindService, Name: name, Module: s.Module, AutoSetup: s.AutoSetup, Status: order.Pending})
	}
	for _, d := range in.Order.Domains {
		w.st.Items = append(w.st.Items, Item{Kind: kindDomain, Name: d.Domain, Module: d.AutoRegistrar,
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
	if err := workflow.SetUpdateHandler(ctx, UpdatePlace, func(ctx workflow.Context) (Placed, error) {
		if err := workflow.Await(ctx, func() bool { return w.created || w.createErr != nil }); err != nil {
			return Placed{}, err
		}
		return w.placed, w.createErr
	}); err != nil {
		return fmt.Errorf("register place update: %w", err)
	}
	actions := append([]string{order.ActionAccept, order.ActionCancel, order.ActionFraud, order.ActionSetPending,
		order.ActionRetry, order.ActionSkip, order.ActionDelete, order.ActionFraudCheck}, order.ItemActions...)
	for _, action := range actions {
		action := action
		err := workflow.SetUpdateHandlerWithOptions(ctx, action,
			func(ctx workflow.Context, req order.ActionRequest) (Result, error) {
				cmd := w.enqueue(&command{action: action, req: req})
				if err := workflow.Await(ctx, func() bool { return cmd.done }); err != nil {
					return Result{}, err
				}
				return cmd.result, cmd.err
			},
			workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, req order.ActionRequest) error {
				if err := w.checkRequest(action, req); err != nil {
					return stateError(err)
				}
				return nil
			}})
		if err != nil {
			return fmt.Errorf("register %s update: %w", action, err)
		}
	}
	w.listenForSignals(ctx, actions)
	return nil
}

// listenForSignals queues signals in the order they arrive. The admin actions are also signals
// so that an operator can act from the Temporal CLI or Web UI.
func (w *orderWF) listenForSignals(ctx workflow.Context, actions []string) {
	sel := workflow.NewSelector(ctx)
	for _, action := range actions {
		receive(ctx, sel, action, func(req order.ActionRequest) { w.enqueue(&command{action: action, req: req}) })
	}
	receive(ctx, sel, SignalPaymentReceived, func(p PaymentReceived) { w.enqueue(&command{action: SignalPaymentReceived, payment: p}) })
	receive(ctx, sel, SignalFraudCheck, func(f FraudCheck) { w.enqueue(&command{action: SignalFraudCheck, fraud: f}) })
	receive(ctx, sel, SignalPaymentRefunded, func(p PaymentRefunded) { w.enqueue(&command{action: SignalPaymentRefunded, refund: p}) })
	receive(ctx, sel, SignalUnpaidPolicy, func(p UnpaidPolicy) {
		w.unpaidAfterDays = p.CancelAfterDays // the timer follows on its own
	})
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			sel.Select(ctx)
		}
	})
}

// receive hands each signal called name, decoded, to fn.
func receive[T any](ctx workflow.Context, sel workflow.Selector, name string, fn func(T)) {
	sel.AddReceive(workflow.GetSignalChannel(ctx, name), func(c workflow.ReceiveChannel, _ bool) {
		var v T
		c.Receive(ctx, &v)
		fn(v)
	})
}

func (w *orderWF) enqueue(c *command) *command {
	w.queue = append(w.queue, c)
	return c
}

// run writes the order, then serves commands, the fraud check and auto-setup one at a time, so
// that no two steps of one order ever interleave.
func (w *orderWF) run(ctx workflow.Context) error {
	// Version 1 added the unpaid-cancel timer, version 2 the emails, version 3 the registrar
	// status polls; orders started before go on without them.
	v := workflow.GetVersion(ctx, "unpaid-cancel", workflow.DefaultVersion, 3)
	if v >= 1 {
		w.unpaidWatch = true
		w.watchUnpaid(ctx)
	}
	w.emails, w.domainWatch = v >= 2, v >= 3
	var created activities.Created
	if err := w.record(ctx, "CreateOrder", w.in.Order, &created); err != nil {
		w.createErr = err
		w.logger.Error("Order not created", "Error", err)
		_ = workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
		return err
	}
	w.onCreated(created)
	if !w.in.Order.NoEmail {
		w.sendEmail(ctx, activities.EmailInput{Template: email.OrderConfirmation})
	}
	w.publish(ctx)

	for !w.deleted {
		if err := workflow.Await(ctx, func() bool { return len(w.queue) > 0 || w.fraudPending || w.autoWorkDue() }); err != nil {
			return err
		}
		switch {
		case len(w.queue) > 0:
			cmd := w.queue[0]
			w.queue = w.queue[1:]
			w.execute(ctx, cmd)
		case w.fraudPending:
			w.checkFraud(ctx)
		default:
			w.autoSetup(ctx)
		}
		if len(w.queue) == 0 && !w.fraudPending && !w.autoWorkDue() {
			w.publish(ctx) // only settled states: no "admin-review" while setup is still to run
		}
	}
	// The order is gone: answer whatever is still queued, then let the handlers return.
	for _, cmd := range w.queue {
		cmd.err, cmd.done = temporal.NewNonRetryableApplicationError("Order ID Not Found", ErrNotFound, nil), true
	}
	w.queue = nil
	return workflow.Await(ctx, func() bool { return w.mailing == 0 && workflow.AllHandlersFinished(ctx) })
}

func (w *orderWF) onCreated(c activities.Created) {
	w.st.OrderNumber = c.OrderNumber
	var si, di int
	for i := range w.st.Items {
		it := &w.st.Items[i]
		if it.Kind == kindService {
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
func (w *orderWF) waitingFor() string {
	switch {
	case w.deleted:
		return ""
	case w.failedCount() > 0:
		return order.WaitingProvisioningFailed
	case w.st.Status != order.Pending:
		return ""
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
		now.Status = "Deleted"
	}
	last := w.published
	if now.Status == last.Status && now.PaymentStatus == last.PaymentStatus && now.WaitingFor == last.WaitingFor {
		return
	}
	w.published = now
	err := workflow.UpsertTypedSearchAttributes(ctx,
		AttrOrderStatus.ValueSet(now.Status),
		AttrOrderNumber.ValueSet(strconv.FormatInt(now.OrderNumber, 10)),
		AttrClientID.ValueSet(w.in.Order.ClientID),
		AttrPaymentStatus.ValueSet(now.PaymentStatus),
		AttrWaitingFor.ValueSet(now.WaitingFor))
	if err != nil {
		w.logger.Warn("Search attributes not updated", "Error", err)
	}
	details := fmt.Sprintf("**%s** · invoice %s", now.Status, now.PaymentStatus)
	if now.WaitingFor != "" {
		details += " · waiting for " + now.WaitingFor
	}
	workflow.SetCurrentDetails(ctx, details)
	if !w.deleted && now.WaitingFor != last.WaitingFor {
		if err := w.record(ctx, "RecordWaiting", activities.Waiting{OrderID: w.in.Order.ID, WaitingFor: now.WaitingFor}, nil); err != nil {
			w.logger.Error("Waiting-for not recorded", "Error", err)
		}
	}
}

// event numbers the next audit line.
func (w *orderWF) event(actor, action, from, to, detail string) activities.Event {
	w.seq++
	return activities.Event{OrderID: w.in.Order.ID, Key: fmt.Sprintf("wf-%d", w.seq), Actor: actor, Action: action,
		From: from, To: to, Detail: detail}
}

// record runs a database activity. It runs locally first (no extra round trip to the server);
// if PostgreSQL stays away longer than that allows, it goes on as a regular activity that
// retries with backoff for as long as it takes, across worker restarts.
func (w *orderWF) record(ctx workflow.Context, name string, arg any, result any) error {
	lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		ScheduleToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 100 * time.Millisecond, MaximumInterval: 5 * time.Second,
			NonRetryableErrorTypes: []string{activities.ErrPermanent}},
	})
	err := workflow.ExecuteLocalActivity(lctx, name, arg).Get(ctx, result)
	if err == nil || isPermanent(err) {
		return err
	}
	w.logger.Warn("Database write failed, retrying as a regular activity", "Activity", name, "Error", err)
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute,
			NonRetryableErrorTypes: []string{activities.ErrPermanent}},
	})
	return workflow.ExecuteActivity(actx, name, arg).Get(ctx, result)
}
