package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// ModuleChangePackage and ModuleChangePw run through the order's workflow on an Active or
// Suspended service: the module's failure is the caller's answer, and the service keeps its
// status either way.
func TestChangePackageAndPassword(t *testing.T) {
	h := newHarness(t)
	var packages []string
	var passwords [][]byte
	pwErr := error(temporal.NewNonRetryableApplicationError("passwd: Sorry, the password you selected cannot be used", permanent.Type, errors.New("x")))
	h.onModule(acts.CreateAccount, func(context.Context, activities.CreateAccountInput) error { return nil })
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) { return order.Active, nil })
	h.onModule(acts.SuspendAccount, func(context.Context, activities.SuspendInput) error { return nil })
	h.onModule(acts.TerminateAccount, func(context.Context, int64) error { return nil })
	h.onModule(acts.ChangePackage, func(_ context.Context, in activities.ChangePackageInput) error {
		require.Equal(t, int64(100), in.ServiceID)
		packages = append(packages, in.Package)
		return nil
	})
	h.onModule(acts.ChangePassword, func(_ context.Context, in activities.ChangePasswordInput) error {
		require.Equal(t, int64(100), in.ServiceID)
		err := pwErr
		pwErr = nil
		if err == nil {
			passwords = append(passwords, in.PasswordSealed)
		}
		return err
	})
	change := func(action order.Action, req order.ActionRequest, check func(error)) {
		req.Actor = order.WHMCSAPI
		h.update(action, req, func(_ ordermsg.Result, err error) { check(err) })
	}
	ok := func(err error) { require.NoError(t, err) }
	refusedWith := func(reason string) func(error) { return func(err error) { require.ErrorContains(t, err, reason) } }
	sealed := []byte("sealed new password")
	h.steps(time.Second,
		func() {
			change(order.ActionModuleChangePackage, order.ActionRequest{ItemID: 100, Package: "gold"},
				refusedWith("Only an Active or Suspended service can be changed")) // still Pending
		},
		func() { h.mustUpdate(order.ActionAccept) },
		func() { change(order.ActionModuleChangePackage, order.ActionRequest{ItemID: 100, Package: "gold"}, ok) },
		func() { change(order.ActionModuleChangePackage, order.ActionRequest{ItemID: 100}, ok) }, // the product's package
		func() {
			change(order.ActionModuleChangePw, order.ActionRequest{ItemID: 100, PasswordSealed: sealed}, refusedWith("cannot be used"))
		},
		func() {
			require.Equal(t, order.Active, h.state().Items[0].Status, "a failed change leaves the service as it was")
			require.Empty(t, h.state().WaitingFor, "and nothing waiting")
			change(order.ActionModuleSuspend, order.ActionRequest{ItemID: 100}, ok)
		},
		func() {
			change(order.ActionModuleChangePw, order.ActionRequest{ItemID: 100, PasswordSealed: sealed}, ok)
		},
		func() { change(order.ActionModuleChangePw, order.ActionRequest{ItemID: 100}, ok) }, // the stored password again
		func() {
			s := h.state()
			require.Equal(t, order.Suspended, s.Items[0].Status, "a change keeps the service's status")
			require.Equal(t, order.Active, s.Status, "and the order's")
			change(order.ActionModuleChangePw, order.ActionRequest{ItemID: 200}, refusedWith(order.ReasonServiceNotFound))
		},
		func() { change(order.ActionModuleTerminate, order.ActionRequest{ItemID: 100}, ok) },
		func() {
			change(order.ActionModuleChangePackage, order.ActionRequest{ItemID: 100}, refusedWith("Only an Active or Suspended"))
		},
		func() { h.mustUpdate(order.ActionFraud) },
		func() { h.mustUpdate(order.ActionDelete) },
	)
	h.run(hostingOrder(order.SetupOnAccept))
	require.NoError(t, h.env.GetWorkflowError())
	require.Equal(t, []string{"gold", ""}, packages)
	require.Equal(t, [][]byte{sealed, nil}, passwords)
	var failed bool
	for _, e := range h.events {
		failed = failed || e.Action == "module-change-password-failed"
	}
	require.True(t, failed, "the failure is on the order's events")
}
