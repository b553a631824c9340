package workflows

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

func transferOrder() ordermsg.Input {
	in := hostingOrder(order.SetupNever)
	in.Order.Domains[0].Type = order.DomainTransfer
	return in
}

// onStatuses answers the registrar polls, domain by domain, with status, and counts the polls.
func (h *harness) onStatuses(status func(activities.DomainInput) order.Status) *int {
	polls := new(int)
	h.onModule(acts.DomainStatuses, func(_ context.Context, in []activities.DomainInput) ([]activities.DomainNews, error) {
		*polls++
		out := make([]activities.DomainNews, len(in))
		for i, d := range in {
			out[i] = activities.DomainNews{DomainID: d.DomainID, Status: status(d)}
		}
		return out, nil
	}).Maybe()
	return polls
}

func TestPendingTransferBecomesActiveWhenTheRegistrarSaysSo(t *testing.T) {
	h := newHarness(t)
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) { return order.PendingTransfer, nil })
	var polls *int
	polls = h.onStatuses(func(in activities.DomainInput) order.Status {
		require.Equal(t, activities.DomainInput{DomainID: 200, Registrar: "namecheap"}, in)
		if *polls < 3 {
			return order.PendingTransfer
		}
		return order.Active
	})
	h.at(time.Second, pay(h))
	h.at(time.Minute, func() { require.Equal(t, order.PendingTransfer, h.state().Items[1].Status) })
	h.at(2*time.Hour+time.Minute, func() { require.Equal(t, order.PendingTransfer, h.state().Items[1].Status) })
	h.at(3*time.Hour+time.Minute, func() {
		require.Equal(t, order.Active, h.state().Items[1].Status)
		require.Equal(t, 3, *polls)
		h.mustUpdate(order.ActionCancel)
	})
	h.at(30*time.Hour-time.Second, refund(h))
	h.at(30*time.Hour, func() {
		require.Equal(t, 3, *polls, "an Active domain is not asked after")
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
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) { return order.PendingTransfer, nil })
	polls := h.onStatuses(func(activities.DomainInput) order.Status { return order.PendingTransfer })
	h.at(time.Second, pay(h))
	h.at(90*time.Minute, func() { h.mustUpdate(order.ActionCancel) })
	h.at(15*24*time.Hour-time.Second, refund(h))
	h.at(15*24*time.Hour, func() {
		require.Equal(t, 1, *polls, "a cancelled order's domain is not asked after")
		h.mustUpdate(order.ActionDelete)
	})
	h.run(transferOrder())
	require.NoError(t, h.env.GetWorkflowError())
}

func TestPendingDomainGivesUpAfterTwoWeeks(t *testing.T) {
	h := newHarness(t)
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) { return order.PendingTransfer, nil })
	h.onStatuses(func(activities.DomainInput) order.Status { return order.PendingTransfer })
	h.at(time.Second, pay(h))
	h.at(15*24*time.Hour, func() {
		require.Equal(t, order.PendingTransfer, h.state().Items[1].Status)
		h.mustUpdate(order.ActionCancel)
	})
	h.at(15*24*time.Hour+time.Second, refund(h))
	h.at(15*24*time.Hour+2*time.Second, func() { h.mustUpdate(order.ActionDelete) })
	h.run(transferOrder())
	require.NoError(t, h.env.GetWorkflowError())
	var gaveUp bool
	for _, e := range h.events {
		gaveUp = gaveUp || e.Action == "registrar-status"
	}
	require.True(t, gaveUp, "the order says the registrar never answered")
}

// An order with 100 domains pending for two weeks asks its registrars once a tick for all of
// them, backing off: a few dozen timers and activities, where one poller a domain, hourly, took
// 100 × 336 of each and ran into Temporal's history limit (51,200 events).
func TestManyPendingDomainsKeepTheHistorySmall(t *testing.T) {
	h := newHarness(t)
	in := transferOrder()
	in.Order.Services = nil
	in.Order.Domains = nil
	for i := range 100 {
		in.Order.Domains = append(in.Order.Domains, order.NewDomain{Domain: fmt.Sprintf("d%d.com", i), Type: order.DomainTransfer,
			Period: 1, Amount: 1000, AutoRegistrar: "namecheap"})
	}
	registered := 0
	h.onModule(acts.RegisterDomain, func(context.Context, activities.DomainInput) (order.Status, error) {
		registered++
		return order.PendingTransfer, nil
	})
	var start time.Time
	polls := h.onStatuses(func(d activities.DomainInput) order.Status {
		if h.env.Now().Sub(start) > 13*24*time.Hour && d.DomainID%2 == 0 {
			return order.Active // half go through on the thirteenth day
		}
		return order.PendingTransfer
	})
	h.at(0, func() { start = h.env.Now() })
	h.at(time.Second, pay(h))
	h.at(15*24*time.Hour, func() {
		items := h.state().Items
		active := 0
		for _, it := range items {
			if it.Status == order.Active {
				active++
			}
		}
		require.Equal(t, 50, active)
		h.mustUpdate(order.ActionCancel)
	})
	h.at(15*24*time.Hour+time.Second, refund(h))
	h.at(15*24*time.Hour+2*time.Second, func() { h.mustUpdate(order.ActionDelete) })
	h.run(in)
	require.NoError(t, h.env.GetWorkflowError())
	require.Equal(t, 100, registered)
	// Each tick is a timer (2 events), an activity (3) and a workflow task (3); each domain's
	// registration an activity, a workflow task, an item record and an email: about 12.
	const perTick, perDomain, around = 8, 12, 200
	events := *polls*perTick + len(in.Order.Domains)*perDomain*2 + around // the news of each: twice the room
	require.Less(t, *polls, 80, "one poll a tick for all domains, backing off")
	require.Less(t, events, 10_000)
	t.Logf("%d polls for 100 domains over two weeks: about %d history events", *polls, events)
}
