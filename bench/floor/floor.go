// Package floor is the engine's floor for `make bench`: a workflow with the message pattern of
// an order (update-with-start with one local activity, a signal, a query poll, an update with
// one local activity, search attributes upserted at each step) and no-op activities, no
// database. What hostflow's order costs above it is hostflow's own.
package floor

import (
	"context"
	"strconv"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/workflows"
)

// Message names, as the order workflow's.
const (
	UpdatePlace   = "place"
	SignalPaid    = "payment-received"
	QueryState    = "state"
	UpdateAccept  = "accept"
	StateProvided = "provisioned"
)

// Register adds the floor workflow and its activities to w.
func Register(w worker.Worker) {
	w.RegisterWorkflow(Order)
	w.RegisterActivity(Provision)
}

// Record is the floor's local activity, where an order writes its rows: it does nothing.
func Record(context.Context, int64) error { return nil }

// Provision is the floor's one activity, where an order creates its account and registers its
// domain: it does nothing.
func Provision(context.Context, int64) error { return nil }

// Order is the floor's order: placed (update-with-start, one local activity), paid (signal),
// provisioned (one activity), accepted (update, one local activity), done.
func Order(ctx workflow.Context, id int64) (string, error) {
	state := "placing"
	local := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{ScheduleToCloseTimeout: 20 * time.Second})
	publish := func(status, payment, waiting string) {
		_ = workflow.UpsertTypedSearchAttributes(ctx,
			workflows.AttrOrderStatus.ValueSet(status),
			workflows.AttrOrderNumber.ValueSet(strconv.FormatInt(1000000000+id, 10)),
			workflows.AttrClientID.ValueSet(id),
			workflows.AttrPaymentStatus.ValueSet(payment),
			workflows.AttrWaitingFor.ValueSet(waiting))
	}
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (string, error) { return state, nil }); err != nil {
		return "", err
	}
	created := false
	if err := workflow.SetUpdateHandler(ctx, UpdatePlace, func(ctx workflow.Context) (int64, error) {
		if err := workflow.Await(ctx, func() bool { return created }); err != nil {
			return 0, err
		}
		return id, nil
	}); err != nil {
		return "", err
	}
	accepted := false
	if err := workflow.SetUpdateHandler(ctx, UpdateAccept, func(ctx workflow.Context) (string, error) {
		if err := workflow.ExecuteLocalActivity(local, Record, id).Get(ctx, nil); err != nil {
			return "", err
		}
		publish("Active", "Paid", "")
		state, accepted = "accepted", true
		return state, nil
	}); err != nil {
		return "", err
	}
	if err := workflow.ExecuteLocalActivity(local, Record, id).Get(ctx, nil); err != nil {
		return "", err
	}
	publish("Pending", "Unpaid", "payment")
	state, created = "payment", true

	workflow.GetSignalChannel(ctx, SignalPaid).Receive(ctx, nil)
	publish("Pending", "Paid", "")
	act := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second}})
	if err := workflow.ExecuteActivity(act, Provision, id).Get(ctx, nil); err != nil {
		return "", err
	}
	publish("Pending", "Paid", "admin-review")
	state = StateProvided
	if err := workflow.Await(ctx, func() bool { return accepted && workflow.AllHandlersFinished(ctx) }); err != nil {
		return "", err
	}
	return state, nil
}
