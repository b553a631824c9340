package workflows

import (
	"context"
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// acts names the activities by method value, so that a wrong name or argument fails to compile.
// The SDK takes the activity's name from the method and runs the instance the worker
// registered, so a nil receiver is enough (as in Temporal's reference app).
var acts *activities.Activities

// recs names the record activities likewise: they are methods of records.Records, which
// activities.Activities embeds, and a method value of a nil *Activities cannot reach them.
var recs *records.Records

// call runs an activity that answers only with an error.
func call[A any](ctx workflow.Context, opts workflow.ActivityOptions, fn func(context.Context, A) error, arg A) error {
	return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), fn, arg).Get(ctx, nil)
}

// callResult runs an activity that answers with a value.
func callResult[A, R any](ctx workflow.Context, opts workflow.ActivityOptions, fn func(context.Context, A) (R, error), arg A) (R, error) {
	var r R
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), fn, arg).Get(ctx, &r)
	return r, err
}

// record runs a database activity that answers only with an error.
func record[A any](ctx workflow.Context, w *orderWF, fn func(context.Context, A) error, arg A) error {
	return w.write(ctx, fn, arg, nil)
}

// recordResult runs a database activity that answers with a value.
func recordResult[A, R any](ctx workflow.Context, w *orderWF, fn func(context.Context, A) (R, error), arg A) (R, error) {
	var r R
	err := w.write(ctx, fn, arg, &r)
	return r, err
}

// write runs a database activity. It runs locally first (no extra round trip to the server);
// if PostgreSQL stays away longer than that allows, it goes on as a regular activity that
// retries with backoff, across worker restarts, for up to a week. What PostgreSQL refuses for
// good (permanent) is not retried at all.
func (w *orderWF) write(ctx workflow.Context, fn any, arg any, result any) (err error) {
	defer func() {
		if s, ok := arg.(records.Stamped); ok && err == nil && s.Stamp() != nil {
			w.recorded = *s.Stamp() // the write recorded what the order waits for
		}
	}()
	err = w.writeLocal(ctx, fn, arg, result, time.Minute)
	if err == nil || isPermanent(err) {
		return err
	}
	w.logger.Warn("Database write failed, retrying as a regular activity", "Error", err)
	opts := workflow.ActivityOptions{
		StartToCloseTimeout:    30 * time.Second,
		ScheduleToCloseTimeout: writeRetries,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute,
			NonRetryableErrorTypes: []string{permanent.Type}},
	}
	return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), fn, arg).Get(ctx, result)
}

// writeRetries bounds how long a database write is retried: past it the workflow goes on, and
// the error is the operator's to see in the log and the Web UI.
const writeRetries = 7 * 24 * time.Hour

// writeLocal runs a database activity locally, retrying within budget.
func (w *orderWF) writeLocal(ctx workflow.Context, fn any, arg any, result any, budget time.Duration) error {
	lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		ScheduleToCloseTimeout: budget,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 100 * time.Millisecond, MaximumInterval: 5 * time.Second,
			NonRetryableErrorTypes: []string{permanent.Type}},
	})
	return workflow.ExecuteLocalActivity(lctx, fn, arg).Get(ctx, result)
}

// errorMessage is the module's own message, without Temporal's wrapping.
func errorMessage(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Message()
	}
	var timeoutErr *temporal.TimeoutError
	if errors.As(err, &timeoutErr) {
		return "timed out: " + timeoutErr.Error()
	}
	return err.Error()
}

func isPermanent(err error) bool {
	var appErr *temporal.ApplicationError
	return errors.As(err, &appErr) && appErr.Type() == permanent.Type
}

// stateError answers an action the order's state refuses, as the API maps it (ErrState).
func stateError(err error) error {
	return temporal.NewApplicationErrorWithOptions(err.Error(), ordermsg.ErrState, temporal.ApplicationErrorOptions{NonRetryable: true, Cause: err})
}
