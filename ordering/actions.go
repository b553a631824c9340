package ordering

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/workflows/ordermsg"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.uber.org/zap"
)

// actTimeout bounds how long an admin waits for an action; module calls run inside it.
const actTimeout = 2 * time.Minute

// Act sends an admin action to an order's workflow as an update and waits for its result. The
// workflow's validator refuses an action the order's state forbids before anything happens.
// requestID, when given, makes a retried request the same update.
func (s *Ordering) Act(ctx context.Context, orderID int64, action order.Action, req order.ActionRequest, requestID string) (ordermsg.Result, error) {
	wid, err := s.q().OrderWorkflowID(ctx, orderID)
	if err != nil {
		return ordermsg.Result{}, fault.OrAbsent(err, order.ReasonNotFound)
	}
	var res ordermsg.Result
	if err := s.update(ctx, wid, string(action), requestID, req, &res); err != nil {
		return ordermsg.Result{}, s.temporalError(err, fmt.Sprintf("%s order %d", action, orderID))
	}
	return res, nil
}

// update sends an update to an order's workflow and waits, within actTimeout, for its answer,
// decoded into out. id, when given, makes a retried request the same update.
func (s *Ordering) update(ctx context.Context, wid, name, id string, arg, out any) error {
	ctx, cancel := context.WithTimeout(ctx, actTimeout)
	defer cancel()
	handle, err := s.temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: wid, UpdateName: name, UpdateID: id, WaitForStage: client.WorkflowUpdateStageCompleted, Args: []any{arg},
	})
	if err != nil {
		return err
	}
	return handle.Get(ctx, out)
}

// temporalError maps what Temporal says to a fault.Error.
func (s *Ordering) temporalError(err error, what string) error {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case ordermsg.ErrState:
			return &fault.Error{Kind: fault.Conflict, Message: appErr.Message()}
		case ordermsg.ErrNotFound:
			return fault.Absent(appErr.Message())
		case permanent.Type:
			return &fault.Error{Kind: fault.Invalid, Message: appErr.Message()}
		}
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return fault.Absent(order.ReasonNotFound)
	}
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return &fault.Error{Kind: fault.Conflict, Message: "this idempotency key belongs to an order that was deleted"}
	}
	var deadline *serviceerror.DeadlineExceeded
	if errors.As(err, &deadline) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		s.log.Warn("Temporal did not answer in time", zap.Error(err), zap.String("call", what))
		return &fault.Error{Kind: fault.Unavailable, Message: "the order service did not answer in time; retrying with the same Idempotency-Key is safe"}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// FraudCheckRequest builds Run Fraud Check, from ip when one is given (WHMCS's OrderFraudCheck
// ipaddress) instead of the address the order was placed from.
func (s *Ordering) FraudCheckRequest(actor order.Actor, ip string) (order.ActionRequest, error) {
	if ip != "" {
		if _, err := netip.ParseAddr(ip); err != nil {
			return order.ActionRequest{}, fault.Invalidf("ipaddress", "%q is not an IP address", ip)
		}
	}
	return order.ActionRequest{Actor: actor, IPAddress: ip}, nil
}

// ClientClosed is the status of a closed client (clients.Closed), and ReasonClientClosed
// WHMCS's AddOrder refusal of an order for one.
const (
	ClientClosed       = "Closed"
	ReasonClientClosed = "Unable to add order when client status is Closed"
)

// CancelOrder cancels the order through its workflow's Cancel Order, as Close Client does for
// each of the client's Pending orders (clients.OrderCanceller): the workflow terminates the
// order's accounts, cancels its items and its unpaid invoice. It answers the words of each step
// that failed (an account the panel would not terminate: the order is Cancelled, the account
// waits for Retry).
func (s *Ordering) CancelOrder(ctx context.Context, orderID int64, actor order.Actor, requestID string) ([]string, error) {
	res, err := s.Act(ctx, orderID, order.ActionCancel, order.ActionRequest{Actor: actor}, requestID)
	if err != nil {
		return nil, err
	}
	var failed []string
	for _, it := range res.Failures {
		failed = append(failed, fmt.Sprintf("%s %s failed: %s", it.Name, it.FailedOp, it.Error))
	}
	return failed, nil
}
