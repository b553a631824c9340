package activities

import (
	"context"
	"errors"
	"sync"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/hostflow/hostflow/order"
)

// SetupItem is one item due for auto-setup: a service to create its account for, or a domain
// to send to its registrar (Domain set).
type SetupItem struct {
	ServiceID int64        `json:"service_id,omitempty"`
	Domain    *DomainInput `json:"domain,omitempty"`
}

// SetupOutcome is how one item's step ended: its new status, or the module's error and whether
// it may pass if tried again.
type SetupOutcome struct {
	Status order.Status `json:"status,omitempty"`
	Error  string       `json:"error,omitempty"`
	Retry  bool         `json:"retry,omitempty"`
}

// SetUpItems runs the auto-setup of several items side by side, one step each: an order's
// account and domain cost one activity, and the slower of the two calls, instead of two in a
// row. An item's own failure is its outcome, not the activity's: the workflow runs an item that
// may yet succeed again on its own, with the module's full retry policy. The activity itself
// fails only when its worker is lost, and a retry of it is safe because each step is
// (CreateAccount and RegisterDomain recognise what an earlier attempt did).
func (a *Activities) SetUpItems(ctx context.Context, items []SetupItem) ([]SetupOutcome, error) {
	out := make([]SetupOutcome, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Go(func() {
			// Each item gets less than the activity's time: one module that hangs comes back as
			// an item to try again, not as the loss of the others' outcomes.
			ctx, cancel := context.WithTimeout(ctx, setupItemTimeout)
			defer cancel()
			if it.Domain != nil {
				out[i] = Outcome(a.RegisterDomain(ctx, *it.Domain))
			} else {
				out[i] = Outcome(order.Active, a.CreateAccount(ctx, CreateAccountInput{ServiceID: it.ServiceID}))
			}
			if out[i].Error != "" && ctx.Err() != nil {
				out[i].Retry = true // cut short by time, not refused
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err // cancelled: the outcomes may be the context's, not the modules'
	}
	return out, nil
}

// setupItemTimeout bounds one item's step within SetUpItems: under the workflow's
// StartToCloseTimeout for it (moduleOptions, 3 minutes), with time left to answer.
var setupItemTimeout = 150 * time.Second

// Outcome is the outcome of a step that ended with status and err: a failure in the module's
// own words, without Temporal's wrapping.
func Outcome(status order.Status, err error) SetupOutcome {
	if err == nil {
		return SetupOutcome{Status: status}
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return SetupOutcome{Error: appErr.Message(), Retry: !appErr.NonRetryable()}
	}
	return SetupOutcome{Error: err.Error(), Retry: true}
}
