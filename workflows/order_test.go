package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/fraud"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// harness runs the order workflow on the SDK's test environment with every activity mocked, and
// remembers what the workflow asked the database and the modules to do.
type harness struct {
	t            *testing.T
	env          *testsuite.TestWorkflowEnvironment
	transitions  []records.Transition
	items        []records.ItemChange
	calls        []string
	emails       []activities.EmailInput
	failEmails   error  // each email's refusal, if set
	emailBatches int    // SendEmails calls
	emailLocal   []bool // whether each SendEmails call ran as a local activity
	events       []records.Event
	invoice      records.Invoice // the invoice as PostgreSQL holds it
	creates      int             // CreateOrder calls
	unpaidDays   int             // the unpaid-cancel setting as PostgreSQL holds it
	deletes      int             // orders DeleteOrder removed
	discards     int             // DiscardOrder calls
	lostAnswers  bool            // CreateOrder writes, but its answer never comes back
	onDiscard    func()          // runs as DiscardOrder starts
	setups       int             // SetUpItems calls
	// The module mocks (onModule) SetUpItems runs.
	createAccount  func(context.Context, activities.CreateAccountInput) error
	registerDomain func(context.Context, activities.DomainInput) (order.Status, error)
}

func newHarness(t *testing.T) *harness {
	var s testsuite.WorkflowTestSuite
	h := &harness{t: t, env: s.NewTestWorkflowEnvironment()}
	h.env.RegisterWorkflow(Order)
	h.env.RegisterActivity(&activities.Activities{})
	h.env.OnActivity(recs.CreateOrder, mock.Anything, mock.Anything).Return(
		func(_ context.Context, o order.NewOrder) (records.Created, error) {
			h.creates++
			c := records.Created{InvoiceID: 7, OrderNumber: o.Number, InvoicePaid: o.Total() == 0, CancelUnpaidAfterDays: h.unpaidDays}
			h.invoice = records.Invoice{Status: order.InvoiceUnpaid, Total: o.Total()}
			if c.InvoicePaid {
				h.invoice.Status = order.InvoicePaid
			}
			for i := range o.Services {
				c.ServiceIDs = append(c.ServiceIDs, int64(100+i))
			}
			for i := range o.Domains {
				c.DomainIDs = append(c.DomainIDs, int64(200+i))
			}
			if h.lostAnswers {
				return records.Created{}, errors.New("read tcp 127.0.0.1:5432: i/o timeout")
			}
			return c, nil
		}).Maybe()
	h.env.OnActivity(recs.DiscardOrder, mock.Anything, mock.Anything).Return(
		func(context.Context, records.Event) (bool, error) {
			h.discards++
			h.lostAnswers = false // PostgreSQL is back
			if h.onDiscard != nil {
				h.onDiscard()
			}
			return h.invoice.Paid == 0, nil
		}).Maybe()
	h.env.OnActivity(recs.RecordTransition, mock.Anything, mock.Anything).Return(
		func(_ context.Context, tr records.Transition) (records.Settled, error) {
			h.transitions = append(h.transitions, tr)
			h.items = append(h.items, tr.Items...)
			inv := &h.invoice
			switch {
			case tr.Settle && tr.InvoiceTo == order.InvoiceCancelled:
				inv.Status = order.InvoiceOnClose(inv.Status, inv.Paid, inv.Total)
			case tr.Settle:
				inv.Status = order.InvoiceOnReopen(inv.Status, inv.Paid, inv.Total)
				return records.Settled{Status: inv.Status, Paid: inv.Paid, CancelUnpaidAfterDays: h.unpaidDays}, nil
			case tr.InvoiceTo != "" && inv.Status == tr.InvoiceFrom:
				inv.Status = tr.InvoiceTo
			default:
				return records.Settled{}, nil
			}
			return records.Settled{Status: inv.Status, Paid: inv.Paid}, nil
		}).Maybe()
	h.env.OnActivity(recs.ReadInvoice, mock.Anything, mock.Anything).Return(
		func(context.Context, int64) (records.Invoice, error) { return h.invoice, nil }).Maybe()
	h.env.OnActivity(recs.CancelUnpaidInvoice, mock.Anything, mock.Anything).Return(
		func(_ context.Context, c records.UnpaidCheck) (records.Unpaid, error) {
			due := h.unpaidDays > 0 && !h.env.Now().Before(c.Since.Add(time.Duration(h.unpaidDays)*24*time.Hour))
			u := records.Unpaid{CancelAfterDays: h.unpaidDays}
			if due && h.invoice.Status == order.InvoiceUnpaid && h.invoice.Paid < h.invoice.Total {
				h.invoice.Status, u.Cancelled = order.InvoiceCancelled, true
			}
			u.Invoice = h.invoice
			return u, nil
		}).Maybe()
	h.env.OnActivity(recs.DeleteOrder, mock.Anything, mock.Anything).Return(
		func(context.Context, records.Event) error {
			if h.invoice.Paid != 0 {
				return temporal.NewNonRetryableApplicationError(order.ReasonMoneyOnInvoice, permanent.Type, nil)
			}
			h.deletes++
			h.calls = append(h.calls, "DeleteOrder")
			return nil
		}).Maybe()
	h.env.OnActivity(recs.RecordItems, mock.Anything, mock.Anything).Return(
		func(_ context.Context, cs records.ItemChanges) error { h.items = append(h.items, cs...); return nil }).Maybe()
	h.env.OnActivity(acts.SetUpItems, mock.Anything, mock.Anything).Return(
		func(ctx context.Context, items []activities.SetupItem) ([]activities.SetupOutcome, error) {
			h.setups++
			var out []activities.SetupOutcome
			for _, it := range items {
				if it.Domain != nil {
					out = append(out, activities.Outcome(h.registerDomain(ctx, *it.Domain)))
				} else {
					out = append(out, activities.Outcome(order.Active, h.createAccount(ctx, activities.CreateAccountInput{ServiceID: it.ServiceID})))
				}
			}
			return out, nil
		}).Maybe()
	h.env.OnActivity(acts.SendEmails, mock.Anything, mock.Anything).Return(
		func(ctx context.Context, ins []activities.EmailInput) ([]activities.EmailFailure, error) {
			h.emails = append(h.emails, ins...)
			h.emailBatches++
			h.emailLocal = append(h.emailLocal, activity.GetInfo(ctx).IsLocalActivity)
			var failed []activities.EmailFailure
			for _, in := range ins {
				if h.failEmails != nil {
					failed = append(failed, activities.EmailFailure{Template: in.Template, Error: errorMessage(h.failEmails)})
				}
			}
			return failed, nil
		}).Maybe()
	h.env.OnActivity(recs.RecordEvent, mock.Anything, mock.Anything).Return(
		func(_ context.Context, e records.Event) error { h.events = append(h.events, e); return nil }).Maybe()
	for name, activity := range map[string]any{"RecordWaiting": recs.RecordWaiting, "RecordFraud": recs.RecordFraud} {
		h.env.OnActivity(activity, mock.Anything, mock.Anything).Return(nil).
			Run(func(mock.Arguments) { h.calls = append(h.calls, name) }).Maybe()
	}
	return h
}

// onModule mocks an activity, named by method value, with fn.
// onModule mocks a module activity with fn. Auto-setup's SetUpItems runs the mocks of
// CreateAccount and RegisterDomain for its items, as the real activity runs theirs.
func (h *harness) onModule(activity, fn any) *testsuite.MockCallWrapper {
	switch f := fn.(type) {
	case func(context.Context, activities.CreateAccountInput) error:
		h.createAccount = f
	case func(context.Context, activities.DomainInput) (order.Status, error):
		h.registerDomain = f
	}
	return h.env.OnActivity(activity, mock.Anything, mock.Anything).Return(fn).Maybe()
}

// at schedules fn at d into the workflow's (skipped) time.
func (h *harness) at(d time.Duration, fn func()) { h.env.RegisterDelayedCallback(fn, d) }

// update sends an admin update; check sees its outcome when the workflow has answered.
func (h *harness) update(name order.Action, req order.ActionRequest, check func(ordermsg.Result, error)) {
	h.env.UpdateWorkflow(string(name), "", &testsuite.TestUpdateCallback{
		OnAccept: func() {},
		OnReject: func(err error) { check(ordermsg.Result{}, err) },
		OnComplete: func(r any, err error) {
			res, _ := r.(ordermsg.Result)
			check(res, err)
		},
	}, req)
}

// mustUpdate sends an admin update that must succeed.
func (h *harness) mustUpdate(name order.Action) {
	h.update(name, order.ActionRequest{Actor: "admin:1"}, func(_ ordermsg.Result, err error) { require.NoError(h.t, err, string(name)) })
}

// refused sends an admin update that must be refused with reason.
func (h *harness) refused(name order.Action, reason string) {
	h.update(name, order.ActionRequest{}, func(_ ordermsg.Result, err error) { require.ErrorContains(h.t, err, reason, string(name)) })
}

// steps runs each step a second of workflow time after the previous one, from start.
func (h *harness) steps(start time.Duration, steps ...func()) {
	for i, fn := range steps {
		h.at(start+time.Duration(i)*time.Second, fn)
	}
}

func (h *harness) state() ordermsg.State {
	v, err := h.env.QueryWorkflow(ordermsg.QueryState)
	require.NoError(h.t, err)
	var s ordermsg.State
	require.NoError(h.t, v.Get(&s))
	return s
}

// run starts the workflow; the test's callbacks must end with a delete or the env's timeout.
func (h *harness) run(in ordermsg.Input) {
	h.env.SetTestTimeout(time.Minute)
	h.env.ExecuteWorkflow(Order, in)
}

func (h *harness) statuses() []order.Status {
	var out []order.Status
	for _, t := range h.transitions {
		out = append(out, order.Status(t.To))
	}
	return out
}

func hostingOrder(autoSetup order.AutoSetup) ordermsg.Input {
	return ordermsg.Input{Order: order.NewOrder{ID: 1, Number: 1234567890, ClientID: 9, Currency: "USD", Amount: 2000, Actor: "admin:1",
		Services: []order.NewService{{ProductID: 3, ProductName: "Basic", Module: "cpanel", AutoSetup: autoSetup, Domain: "example.com", BillingCycle: "monthly", Amount: 1000}},
		Domains:  []order.NewDomain{{Domain: "example.com", Type: order.DomainRegister, Period: 1, Amount: 1000, AutoRegistrar: "namecheap"}},
	}, FraudThreshold: 20}
}

// pay pays the invoice in full, as the API does: the ledger first, then the signal. Money for
// a Cancelled invoice is recorded and asks for a review.
func pay(h *harness) func() {
	return func() {
		review := h.invoice.Status == order.InvoiceCancelled
		h.invoice.Paid = h.invoice.Total
		if h.invoice.Status == order.InvoiceUnpaid {
			h.invoice.Status = order.InvoicePaid
		}
		h.env.SignalWorkflow(ordermsg.SignalPaymentReceived, ordermsg.PaymentReceived{InvoiceID: 7, Gateway: "manual", TransactionID: "t1", Review: review})
	}
}

// refund gives the invoice's money back in full, as the API does: the ledger first, then the
// signal.
func refund(h *harness) func() {
	return func() {
		h.invoice.Paid = 0
		if h.invoice.Status == order.InvoicePaid {
			h.invoice.Status = order.InvoiceRefunded
		}
		h.env.SignalWorkflow(ordermsg.SignalPaymentRefunded, ordermsg.PaymentRefunded{InvoiceID: 7, Gateway: "manual", TransactionID: "r1"})
	}
}

func TestPaymentRunsAutoSetupAndOrderStaysPending(t *testing.T) {
	h := newHarness(t)
	var created, registered int
	h.onModule(acts.CreateAccount, func(context.Context, activities.CreateAccountInput) error { created++; return nil })
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) {
		registered++
		return order.Active, nil
	})
	h.onModule(acts.TerminateAccount, func(context.Context, int64) error { return nil })
	h.steps(time.Second,
		func() {
			require.Equal(t, order.WaitingPayment, h.state().WaitingFor)
			require.Equal(t, 0, created, "payment setup must wait for payment")
		},
		pay(h),
		pay(h), // redelivered: changes nothing
		func() {
			s := h.state()
			require.Equal(t, order.Pending, s.Status, "auto-setup never accepts the order")
			require.Equal(t, order.WaitingAdminReview, s.WaitingFor)
			require.Equal(t, order.Active, s.Items[0].Status)
			require.Equal(t, order.Active, s.Items[1].Status)
			require.Equal(t, 1, h.setups, "the account and the domain are set up side by side, in one activity")
			require.Len(t, h.items, 2)
			require.Equal(t, []string{"create", "register"}, []string{h.items[0].Action, h.items[1].Action})
			require.Nil(t, h.items[0].Waiting)
			require.Equal(t, order.WaitingAdminReview, *h.items[1].Waiting, "the step's write says what the order waits for")
			h.update(order.ActionAccept, order.ActionRequest{Actor: "admin:1"}, func(res ordermsg.Result, err error) {
				require.NoError(t, err)
				require.Equal(t, order.Active, res.Status)
				require.Empty(t, res.Failures)
			})
		},
		func() {
			require.Equal(t, 1, created, "accept must not create an account twice")
			require.Equal(t, 1, registered)
			h.mustUpdate(order.ActionFraud)
		},
		refund(h), // a closed order keeps no money when deleted
		func() { h.mustUpdate(order.ActionDelete) },
	)
	h.run(hostingOrder(order.SetupOnPayment))
	require.NoError(t, h.env.GetWorkflowError())
	require.Equal(t, []order.Status{order.Active, order.Fraud}, h.statuses())
	require.Contains(t, h.calls, "DeleteOrder")
}

func TestAutoSetupOnOrderRunsBeforePayment(t *testing.T) {
	h := newHarness(t)
	var created int
	h.onModule(acts.CreateAccount, func(context.Context, activities.CreateAccountInput) error { created++; return nil })
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) {
		t.Error("a domain must never be registered before payment")
		return "", nil
	}).Maybe()
	h.onModule(acts.TerminateAccount, func(context.Context, int64) error { return nil })
	h.steps(time.Second,
		func() {
			require.Equal(t, 1, created)
			require.Equal(t, order.Active, h.state().Items[0].Status)
			h.mustUpdate(order.ActionCancel)
		},
		func() { h.mustUpdate(order.ActionDelete) },
	)
	h.run(hostingOrder(order.SetupOnOrder))
	require.NoError(t, h.env.GetWorkflowError())
}

func TestAcceptRunsModuleCreateAndRegistrar(t *testing.T) {
	h := newHarness(t)
	var in activities.CreateAccountInput
	h.onModule(acts.CreateAccount, func(_ context.Context, got activities.CreateAccountInput) error { in = got; return nil })
	h.onModule(acts.RegisterDomain, func(_ context.Context, d activities.DomainInput) (order.Status, error) {
		require.Equal(t, "enom", d.Registrar)
		return "Pending Registration", nil
	})
	h.onModule(acts.TerminateAccount, func(context.Context, int64) error { return nil })
	h.steps(time.Second,
		func() {
			h.update(order.ActionAccept, order.ActionRequest{Actor: "admin:1",
				Accept: &order.AcceptOptions{ServerID: 4, Username: "bob", Registrar: "enom"}}, func(res ordermsg.Result, err error) {
				require.NoError(t, err)
				require.Equal(t, order.Active, res.Status)
			})
		},
		func() {
			require.Equal(t, activities.CreateAccountInput{ServiceID: 100, ServerID: 4, Username: "bob"}, in)
			s := h.state()
			require.Equal(t, order.Active, s.Items[0].Status)
			require.Equal(t, order.PendingRegistration, s.Items[1].Status)
			require.Equal(t, order.NotWaiting, s.WaitingFor)
			h.refused(order.ActionAccept, order.ReasonNotPending)
			h.refused(order.ActionCancel, order.ReasonNotPending)
		},
		func() { h.mustUpdate(order.ActionSetPending) },
		func() {
			s := h.state()
			require.Equal(t, order.Pending, s.Items[0].Status)
			require.Equal(t, order.WaitingPayment, s.WaitingFor)
			h.mustUpdate(order.ActionCancel)
		},
		func() { h.mustUpdate(order.ActionDelete) },
	)
	h.run(hostingOrder(order.SetupOnAccept))
	require.NoError(t, h.env.GetWorkflowError())
	require.Equal(t, []order.Status{order.Active, order.Pending, order.Cancelled}, h.statuses())
	require.Equal(t, order.InvoiceCancelled, h.transitions[2].InvoiceTo)
}

func TestAcceptWithoutModuleCreateSetsItemsActive(t *testing.T) {
	h := newHarness(t)
	no := false
	h.onModule(acts.TerminateAccount, func(context.Context, int64) error { return nil })
	h.steps(time.Second,
		func() {
			h.update(order.ActionAccept, order.ActionRequest{Accept: &order.AcceptOptions{RunModuleCreate: &no, SendToRegistrar: &no}},
				func(res ordermsg.Result, err error) {
					require.NoError(t, err)
					require.Equal(t, order.Active, res.Status)
				})
		},
		func() {
			s := h.state()
			require.Equal(t, order.Active, s.Items[0].Status)
			require.Equal(t, order.Active, s.Items[1].Status)
			h.mustUpdate(order.ActionFraud)
		},
		func() { h.mustUpdate(order.ActionDelete) },
	)
	h.run(hostingOrder(order.SetupOnAccept))
	require.NoError(t, h.env.GetWorkflowError())
	require.Len(t, h.transitions[0].Items, 2, "the items set up by hand are written with the accept, in one step")
}

func TestProvisioningFailureWaitsForRetry(t *testing.T) {
	h := newHarness(t)
	attempts := 0
	h.onModule(acts.CreateAccount, func(context.Context, activities.CreateAccountInput) error {
		attempts++
		if attempts <= 6 {
			return errors.New("connection refused")
		}
		return nil
	})
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) {
		return "", temporal.NewNonRetryableApplicationError("Domain not available", permanent.Type, nil)
	})
	h.onModule(acts.TerminateAccount, func(context.Context, int64) error { return nil })
	h.at(time.Second, pay(h))
	h.steps(10*time.Minute,
		func() {
			s := h.state()
			require.Equal(t, order.Pending, s.Status)
			require.Equal(t, order.WaitingProvisioningFailed, s.WaitingFor)
			require.Equal(t, 6, attempts, "tried beside the domain, then five times on its own with backoff, then handed to an admin")
			require.Equal(t, "connection refused", s.Items[0].Error)
			require.Equal(t, order.Pending, s.Items[0].Status, "a failed create never shows Active")
			require.Equal(t, "Domain not available", s.Items[1].Error)
			h.mustUpdate(order.ActionAccept)
		},
		func() {
			s := h.state()
			require.Equal(t, order.Pending, s.Status, "accept waits while the registrar fails")
			require.True(t, s.AcceptPending)
			require.Equal(t, order.Active, s.Items[0].Status, "accept ran the create again")
			h.update(order.ActionSkip, order.ActionRequest{}, func(res ordermsg.Result, err error) {
				require.NoError(t, err)
				require.Equal(t, order.Active, res.Status, "skip completes the pending accept")
				require.Empty(t, res.Failures)
			})
		},
		func() {
			h.refused(order.ActionRetry, order.ReasonNothingToRetry)
			h.mustUpdate(order.ActionFraud)
		},
		refund(h), // a closed order keeps no money when deleted
		func() { h.mustUpdate(order.ActionDelete) },
	)
	h.run(hostingOrder(order.SetupOnPayment))
	require.NoError(t, h.env.GetWorkflowError())
	require.Equal(t, 7, attempts)
}

func TestTerminateFailureKeepsAccountActiveUntilRetry(t *testing.T) {
	h := newHarness(t)
	h.onModule(acts.CreateAccount, func(context.Context, activities.CreateAccountInput) error { return nil })
	fail := true
	h.onModule(acts.TerminateAccount, func(context.Context, int64) error {
		if fail {
			return temporal.NewNonRetryableApplicationError("Account suspended by root", permanent.Type, nil)
		}
		return nil
	})
	no := false
	h.steps(time.Second,
		func() {
			h.update(order.ActionAccept, order.ActionRequest{Accept: &order.AcceptOptions{SendToRegistrar: &no}}, func(_ ordermsg.Result, err error) { require.NoError(t, err) })
		},
		func() {
			h.update(order.ActionFraud, order.ActionRequest{}, func(res ordermsg.Result, err error) {
				require.NoError(t, err)
				require.Equal(t, order.Fraud, res.Status)
				require.Len(t, res.Failures, 1)
			})
		},
		func() {
			s := h.state()
			require.Equal(t, order.Active, s.Items[0].Status, "the account still exists")
			require.Equal(t, order.Fraud, s.Items[1].Status)
			require.Equal(t, order.WaitingProvisioningFailed, s.WaitingFor)
			require.Equal(t, []int64{100}, h.transitions[len(h.transitions)-1].KeepItems)
			h.refused(order.ActionDelete, "retry or skip it before deleting the order") // the only record of a live account
			fail = false
			h.mustUpdate(order.ActionRetry)
		},
		func() {
			require.Equal(t, order.Fraud, h.state().Items[0].Status)
			h.mustUpdate(order.ActionDelete)
		},
	)
	h.run(hostingOrder(order.SetupOnAccept))
	require.NoError(t, h.env.GetWorkflowError())
}

func TestFraudScoreOverThresholdSkipsPending(t *testing.T) {
	h := newHarness(t)
	h.onModule(acts.CheckFraud, func(context.Context, int64) (fraud.Result, error) {
		return fraud.Result{Module: "maxmind", Score: 42.5}, nil
	})
	h.onModule(acts.CreateAccount, func(context.Context, activities.CreateAccountInput) error {
		t.Error("a fraud order must not be provisioned")
		return nil
	}).Maybe()
	h.steps(time.Second,
		pay(h),
		func() {
			s := h.state()
			require.Equal(t, order.Fraud, s.Status)
			require.Equal(t, 42.5, s.FraudScore)
			h.refused(order.ActionAccept, order.ReasonNotPending)
		},
		refund(h), // a closed order keeps no money when deleted
		func() { h.mustUpdate(order.ActionDelete) },
	)
	in := hostingOrder(order.SetupOnOrder)
	in.FraudCheck = true
	h.run(in)
	require.NoError(t, h.env.GetWorkflowError())
	require.Equal(t, []order.Status{order.Fraud}, h.statuses())
	require.Equal(t, order.InvoiceCancelled, h.transitions[0].InvoiceTo)
}

// A fraud service that keeps failing leaves the order waiting for a reviewer's fraud-result.
func TestFraudServiceDownWaitsForReviewSignal(t *testing.T) {
	for _, signal := range []string{ordermsg.SignalFraudResult} {
		t.Run(signal, func(t *testing.T) {
			h := newHarness(t)
			h.onModule(acts.CheckFraud, func(context.Context, int64) (fraud.Result, error) {
				return fraud.Result{}, errors.New("minFraud: 503")
			})
			var created int
			h.onModule(acts.CreateAccount, func(context.Context, activities.CreateAccountInput) error { created++; return nil })
			h.onModule(acts.TerminateAccount, func(context.Context, int64) error { return nil })
			h.steps(10*time.Minute,
				func() {
					s := h.state()
					require.Equal(t, order.WaitingFraudReview, s.WaitingFor)
					require.Equal(t, 0, created, "no setup before the fraud check passes")
					h.env.SignalWorkflow(signal, ordermsg.FraudResult{Actor: "admin:1", Module: "manual", Verdict: ordermsg.VerdictPass})
				},
				func() {
					require.Equal(t, order.WaitingPayment, h.state().WaitingFor)
					require.Equal(t, 1, created)
					h.mustUpdate(order.ActionFraud)
				},
				func() { h.mustUpdate(order.ActionDelete) },
			)
			in := hostingOrder(order.SetupOnOrder)
			in.FraudCheck = true
			h.run(in)
			require.NoError(t, h.env.GetWorkflowError())
			require.Equal(t, "fraud-check-failed", h.events[0].Action)
		})
	}
}

func TestSignalsAreAdminActionsToo(t *testing.T) {
	h := newHarness(t)
	// Signals sent before the workflow has written the order are held and applied in order.
	h.at(0, func() {
		h.env.SignalWorkflow(string(order.ActionCancel), order.ActionRequest{Actor: "operator"})
		h.env.SignalWorkflow(string(order.ActionCancel), order.ActionRequest{Actor: "operator"}) // refused: not Pending
		h.env.SignalWorkflow(string(order.ActionDelete), order.ActionRequest{Actor: "operator"})
	})
	h.run(hostingOrder(order.SetupNever))
	require.NoError(t, h.env.GetWorkflowError())
	require.Equal(t, []order.Status{order.Cancelled}, h.statuses())
	require.Contains(t, h.calls, "DeleteOrder")
}

func TestZeroTotalOrderIsPaidAtOnce(t *testing.T) {
	h := newHarness(t)
	h.steps(time.Second,
		func() {
			s := h.state()
			require.Equal(t, order.InvoicePaid, s.PaymentStatus)
			require.Equal(t, order.WaitingAdminReview, s.WaitingFor)
			h.mustUpdate(order.ActionCancel)
		},
		func() { h.mustUpdate(order.ActionDelete) },
	)
	in := hostingOrder(order.SetupNever)
	in.Order.Services[0].Amount, in.Order.Domains = 0, nil
	h.run(in)
	require.NoError(t, h.env.GetWorkflowError())
	require.Equal(t, order.InvoicePaid, h.invoice.Status, "a paid invoice is not cancelled")
}

func TestDeleteOnlyFromCancelledOrFraud(t *testing.T) {
	h := newHarness(t)
	h.steps(time.Second,
		func() { h.refused(order.ActionDelete, order.ReasonDeleteNotClosed) },
		func() { h.mustUpdate(order.ActionFraud) },
		func() { h.refused(order.ActionFraud, "already Fraud") },
		func() { h.mustUpdate(order.ActionDelete) },
	)
	h.run(hostingOrder(order.SetupNever))
	require.NoError(t, h.env.GetWorkflowError())
}

// A payment committed just before a Cancel reaches the workflow after it: the invoice is Paid
// (as PostgreSQL says), and nothing is provisioned for the cancelled order.
func TestPaymentAfterCancelIsRecordedButProvisionsNothing(t *testing.T) {
	h := newHarness(t)
	h.onModule(acts.CreateAccount, func(context.Context, activities.CreateAccountInput) error {
		t.Error("a cancelled order must not be provisioned")
		return nil
	}).Maybe()
	registered := 0
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) {
		registered++
		return order.Active, nil
	})
	var signal func()
	h.steps(time.Second,
		func() {
			h.invoice.Status, h.invoice.Paid = order.InvoicePaid, h.invoice.Total // committed; its signal not yet heard
			h.mustUpdate(order.ActionCancel)
		},
		func() {
			s := h.state()
			require.Equal(t, order.Cancelled, s.Status)
			require.Equal(t, order.InvoicePaid, s.PaymentStatus, "the close found the money under the invoice's lock")
			require.Equal(t, order.WaitingPaymentReview, s.WaitingFor, "and someone must refund it or reopen the order")
			signal = pay(h)
			signal() // the signal of that payment, late: changes nothing
		},
		func() {
			require.Equal(t, order.WaitingPaymentReview, h.state().WaitingFor)
			h.refused(order.ActionCancel, order.ReasonNotPending)
			h.mustUpdate(order.ActionSetPending)
		},
		func() {
			s := h.state()
			require.Equal(t, order.InvoicePaid, s.PaymentStatus, "reopened with its money: nothing to wait for")
			require.Equal(t, order.WaitingAdminReview, s.WaitingFor)
			require.Equal(t, 1, registered, "the paid domain went to its registrar")
			h.mustUpdate(order.ActionFraud)
		},
		refund(h), // a closed order keeps no money when deleted
		func() { h.mustUpdate(order.ActionDelete) },
	)
	h.run(hostingOrder(order.SetupNever))
	require.NoError(t, h.env.GetWorkflowError())
}

// Money for an order already cancelled is recorded, and the order waits for an admin: set back
// to Pending, it has its money, and payment-based setup runs at once.
func TestPaymentForCancelledOrderWaitsForReview(t *testing.T) {
	h := newHarness(t)
	var created int
	h.onModule(acts.CreateAccount, func(context.Context, activities.CreateAccountInput) error { created++; return nil })
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) { return order.Active, nil })
	h.onModule(acts.TerminateAccount, func(context.Context, int64) error { return nil })
	h.steps(time.Second,
		func() { h.mustUpdate(order.ActionCancel) },
		pay(h),
		func() {
			s := h.state()
			require.Equal(t, order.InvoiceCancelled, s.PaymentStatus, "the invoice stays Cancelled; the money is on it")
			require.Equal(t, order.WaitingPaymentReview, s.WaitingFor)
			require.Equal(t, 0, created)
			h.mustUpdate(order.ActionSetPending)
		},
		func() {
			s := h.state()
			require.Equal(t, order.InvoicePaid, s.PaymentStatus)
			require.Equal(t, order.WaitingAdminReview, s.WaitingFor)
			require.Equal(t, 1, created, "payment-based setup ran on reopening")
			h.mustUpdate(order.ActionCancel)
		},
		refund(h), // a closed order keeps no money when deleted
		func() { h.mustUpdate(order.ActionDelete) },
	)
	h.run(hostingOrder(order.SetupOnPayment))
	require.NoError(t, h.env.GetWorkflowError())
}

// A payment signal that PostgreSQL does not bear out (forged, or sent to the wrong order)
// provisions nothing; a fact older than one already taken changes nothing.
func TestPaymentFactsAreReadFromTheLedger(t *testing.T) {
	h := newHarness(t)
	var created int
	h.onModule(acts.CreateAccount, func(context.Context, activities.CreateAccountInput) error { created++; return nil })
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) { return order.Active, nil }).Maybe()
	h.onModule(acts.TerminateAccount, func(context.Context, int64) error { return nil }).Maybe()
	h.steps(time.Second,
		func() {
			h.env.SignalWorkflow(ordermsg.SignalPaymentReceived, ordermsg.PaymentReceived{InvoiceID: 7, Gateway: "forged", TransactionID: "x", Seq: 1})
		},
		func() {
			s := h.state()
			require.Equal(t, order.InvoiceUnpaid, s.PaymentStatus)
			require.Equal(t, order.WaitingPayment, s.WaitingFor)
			require.Equal(t, 0, created, "nothing is provisioned on a signal alone")
			// Paid, then refunded; the refund's fact overtakes the payment's.
			h.invoice.Status, h.invoice.Paid = order.InvoiceRefunded, 0
			h.env.SignalWorkflow(ordermsg.SignalPaymentRefunded, ordermsg.PaymentRefunded{InvoiceID: 7, Gateway: "stripe", TransactionID: "r", Seq: 3})
		},
		func() {
			h.invoice.Status = order.InvoicePaid // were PostgreSQL to say so, a stale fact is still not heard
			h.env.SignalWorkflow(ordermsg.SignalPaymentReceived, ordermsg.PaymentReceived{InvoiceID: 7, Gateway: "stripe", TransactionID: "p", Seq: 2})
		},
		func() {
			require.Equal(t, order.InvoiceRefunded, h.state().PaymentStatus)
			require.Equal(t, 0, created)
			h.mustUpdate(order.ActionCancel)
		},
		refund(h), // a closed order keeps no money when deleted
		func() { h.mustUpdate(order.ActionDelete) },
	)
	h.run(hostingOrder(order.SetupOnPayment))
	require.NoError(t, h.env.GetWorkflowError())
}
