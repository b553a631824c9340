package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/fraud"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

func TestItemActionsOnAnAcceptedOrder(t *testing.T) {
	h := newHarness(t)
	suspendErr := error(temporal.NewNonRetryableApplicationError("suspendacct: The user “examplec” does not exist.", permanent.Type, errors.New("x")))
	var suspendReason string
	h.onModule(acts.CreateAccount, func(context.Context, activities.CreateAccountInput) error { return nil })
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) { return order.Active, nil })
	h.onModule(acts.SuspendAccount, func(_ context.Context, in activities.SuspendInput) error {
		suspendReason = in.Reason
		err := suspendErr
		suspendErr = nil
		return err
	})
	h.onModule(acts.UnsuspendAccount, func(context.Context, int64) error { return nil })
	h.onModule(acts.TerminateAccount, func(context.Context, int64) error { return nil })
	item := func(action order.Action, id int64, check func(error)) {
		h.update(action, order.ActionRequest{Actor: order.WHMCSAPI, ItemID: id, Reason: "Abuse"}, func(_ ordermsg.Result, err error) { check(err) })
	}
	ok := func(err error) { require.NoError(t, err) }
	refusedWith := func(reason string) func(error) { return func(err error) { require.ErrorContains(t, err, reason) } }
	h.steps(time.Second,
		func() { h.mustUpdate(order.ActionAccept) },
		func() { item(order.ActionModuleSuspend, 100, refusedWith("does not exist")) }, // the module's words, to the caller
		func() {
			s := h.state()
			require.Equal(t, order.Active, s.Items[0].Status, "a failed suspend changes nothing")
			require.Empty(t, s.WaitingFor, "and leaves nothing waiting")
			item(order.ActionModuleSuspend, 100, ok)
		},
		func() {
			require.Equal(t, order.Suspended, h.state().Items[0].Status)
			require.Equal(t, "Abuse", suspendReason)
			item(order.ActionModuleSuspend, 100, refusedWith("Only an Active service can be suspended"))
		},
		func() { item(order.ActionModuleUnsuspend, 100, ok) },
		func() { item(order.ActionModuleTerminate, 100, ok) },
		func() {
			s := h.state()
			require.Equal(t, order.Terminated, s.Items[0].Status)
			require.Equal(t, order.Active, s.Status, "item actions leave the order alone")
			item(order.ActionModuleSuspend, 200, refusedWith("Service ID not found")) // 200 is the domain
			item(order.ActionDomainRegister, 100, refusedWith("Domain Not Found"))    // 100 is the service
			item(order.ActionDomainRegister, 200, refusedWith("The domain is already Active"))
		},
		func() { h.mustUpdate(order.ActionFraud) },
		func() { h.mustUpdate(order.ActionDelete) },
	)
	h.run(hostingOrder(order.SetupOnAccept))
	require.NoError(t, h.env.GetWorkflowError())
	var failed bool
	for _, e := range h.events {
		failed = failed || e.Action == "module-suspend-failed"
	}
	require.True(t, failed, "the failure is on the order's events")
}

// TestFraudCheckFromAnotherAddress: Run Fraud Check with an address scores the order from it
// (WHMCS's OrderFraudCheck ipaddress); without one, from the order's own.
func TestFraudCheckFromAnotherAddress(t *testing.T) {
	h := newHarness(t)
	h.onModule(acts.CheckFraud, func(context.Context, int64) (fraud.Result, error) {
		return fraud.Result{Module: "maxmind", Score: 5}, nil
	})
	var asked []string
	h.onModule(acts.CheckFraudFrom, func(_ context.Context, in activities.FraudCheckInput) (fraud.Result, error) {
		asked = append(asked, in.IP)
		return fraud.Result{Module: "maxmind", Score: 90}, nil
	})
	h.onModule(acts.TerminateAccount, func(context.Context, int64) error { return nil }).Maybe()
	h.steps(time.Second,
		func() { require.Equal(t, 5.0, h.state().FraudScore, "placed: from the order's address") },
		func() {
			h.update(order.ActionFraudCheck, order.ActionRequest{Actor: "admin:1", IPAddress: "198.51.100.66"},
				func(_ ordermsg.Result, err error) { require.NoError(t, err) })
		},
		func() {
			require.Equal(t, []string{"198.51.100.66"}, asked)
			require.Equal(t, order.Fraud, h.state().Status, "scored from the risky address")
		},
		func() { h.mustUpdate(order.ActionDelete) },
	)
	in := hostingOrder(order.SetupNever)
	in.FraudCheck = true
	h.run(in)
	require.NoError(t, h.env.GetWorkflowError())
}

func TestFraudCheckRunAgain(t *testing.T) {
	h := newHarness(t)
	score := 5.0
	h.onModule(acts.CheckFraud, func(context.Context, int64) (fraud.Result, error) {
		return fraud.Result{Module: "maxmind", Score: score}, nil
	})
	h.onModule(acts.TerminateAccount, func(context.Context, int64) error { return nil }).Maybe()
	h.steps(time.Second,
		func() { require.Equal(t, 5.0, h.state().FraudScore) },
		func() { score = 80; h.mustUpdate(order.ActionFraudCheck) },
		func() {
			require.Equal(t, order.Fraud, h.state().Status, "over the threshold now")
			h.refused(order.ActionFraudCheck, order.ReasonNotPending)
		},
		func() { h.mustUpdate(order.ActionDelete) },
	)
	in := hostingOrder(order.SetupNever)
	in.FraudCheck = true
	h.run(in)
	require.NoError(t, h.env.GetWorkflowError())
}
