package workflows

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/order"
)

func transferOrder() Input {
	in := hostingOrder(order.SetupNever)
	in.Order.Domains[0].Type = order.DomainTransfer
	return in
}

func TestPendingTransferBecomesActiveWhenTheRegistrarSaysSo(t *testing.T) {
	h := newHarness(t)
	polls := 0
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) { return order.PendingTransfer, nil })
	h.onModule(acts.DomainStatus, func(_ context.Context, in activities.DomainInput) (order.Status, error) {
		require.Equal(t, activities.DomainInput{DomainID: 200, Registrar: "namecheap"}, in)
		polls++
		if polls < 3 {
			return order.PendingTransfer, nil
		}
		return order.Active, nil
	})
	h.at(time.Second, pay(h))
	h.at(time.Minute, func() { require.Equal(t, order.PendingTransfer, h.state().Items[1].Status) })
	h.at(2*time.Hour+time.Minute, func() { require.Equal(t, order.PendingTransfer, h.state().Items[1].Status) })
	h.at(3*time.Hour+time.Minute, func() {
		require.Equal(t, order.Active, h.state().Items[1].Status)
		require.Equal(t, 3, polls)
		h.mustUpdate(order.ActionCancel)
	})
	h.at(30*time.Hour, func() {
		require.Equal(t, 3, polls, "an Active domain is not asked after")
		h.mustUpdate(order.ActionDelete)
	})
	h.run(transferOrder())
	require.NoError(t, h.env.GetWorkflowError())
	last := h.items[len(h.items)-1]
	require.Equal(t, "registrar-status", last.Action)
	require.Equal(t, order.Active, last.Status)
}

func TestPendingDomainWatchStopsWhenTheOrderIsCancelled(t *testing.T) {
	h := newHarness(t)
	polls := 0
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) { return order.PendingTransfer, nil })
	h.onModule(acts.DomainStatus, func(context.Context, activities.DomainInput) (order.Status, error) {
		polls++
		return order.PendingTransfer, nil
	}).Maybe()
	h.at(time.Second, pay(h))
	h.at(90*time.Minute, func() { h.mustUpdate(order.ActionCancel) })
	h.at(15*24*time.Hour, func() {
		require.Equal(t, 1, polls, "a cancelled order's domain is not asked after")
		h.mustUpdate(order.ActionDelete)
	})
	h.run(transferOrder())
	require.NoError(t, h.env.GetWorkflowError())
}

func TestPendingDomainGivesUpAfterTwoWeeks(t *testing.T) {
	h := newHarness(t)
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) { return order.PendingTransfer, nil })
	h.onModule(acts.DomainStatus, func(context.Context, activities.DomainInput) (order.Status, error) { return order.PendingTransfer, nil })
	h.at(time.Second, pay(h))
	h.at(15*24*time.Hour, func() {
		require.Equal(t, order.PendingTransfer, h.state().Items[1].Status)
		h.mustUpdate(order.ActionCancel)
	})
	h.at(15*24*time.Hour+time.Second, func() { h.mustUpdate(order.ActionDelete) })
	h.run(transferOrder())
	require.NoError(t, h.env.GetWorkflowError())
	var gaveUp bool
	for _, e := range h.events {
		gaveUp = gaveUp || e.Action == "registrar-status"
	}
	require.True(t, gaveUp, "the order says the registrar never answered")
}
