package workflows

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// A settled order continues as new into a fresh, small run, which takes up where the last one
// stopped: it writes no rows again, and its audit and email keys go on from the old run's.
func TestSettledOrderContinuesAsNew(t *testing.T) {
	h := newHarness(t)
	h.env.SetCurrentHistoryLength(settledHistory + 1)
	h.at(time.Second, func() {
		h.mustUpdate(order.ActionAccept) // with nothing to set up, the order settles at once
	})
	in := hostingOrder(order.SetupNever)
	in.Order.Domains[0].AutoRegistrar = "none"
	in.Order.Services[0].Module = "none"
	h.run(in)
	var can *workflow.ContinueAsNewError
	require.True(t, errors.As(h.env.GetWorkflowError(), &can), "got %v", h.env.GetWorkflowError())
	var next ordermsg.Input
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &next))
	require.NotNil(t, next.Resume)
	require.Equal(t, order.Active, next.Resume.State.Status)
	require.Equal(t, int64(7), next.Resume.Placed.InvoiceID)

	h2 := newHarness(t)
	h2.invoice = h.invoice
	h2.steps(time.Second,
		func() {
			s := h2.state()
			require.Equal(t, order.Active, s.Status)
			require.Len(t, s.Items, 2)
			h2.mustUpdate(order.ActionFraud)
		},
		func() { h2.mustUpdate(order.ActionDelete) },
	)
	h2.run(next)
	require.NoError(t, h2.env.GetWorkflowError())
	require.Equal(t, []order.Status{order.Fraud}, h2.statuses())
	require.Zero(t, h2.creates, "the next run does not write the order again")
	require.Equal(t, fmt.Sprintf("wf-%d", next.Resume.Seq+1), h2.transitions[0].Key, "event keys go on")
}
