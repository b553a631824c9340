package order

import "fmt"

// Admin actions on an order. The names are also the workflow's update and signal names.
const (
	ActionAccept     = "accept"
	ActionCancel     = "cancel"
	ActionFraud      = "fraud"
	ActionSetPending = "set-pending"
	ActionRetry      = "retry"
	ActionSkip       = "skip"
	ActionDelete     = "delete"
	// ActionFraudCheck runs the fraud check again, as WHMCS's OrderFraudCheck does.
	ActionFraudCheck = "fraud-check-run"
)

// StateError is an action refused by the order's current state. Its message is WHMCS's own text
// where WHMCS has one, so that clients matching on it keep working.
type StateError struct {
	Action string
	Status string
	Reason string
}

func (e *StateError) Error() string { return e.Reason }

// WHMCS's refusal texts.
const (
	ReasonNotPending      = "Order ID not found or Status not Pending"
	ReasonDeleteNotClosed = "The order status must be in Cancelled or Fraud to be deleted"
	ReasonNothingToRetry  = "No failed provisioning step to retry or skip"
)

// Check reports whether action is allowed on an order in status, following WHMCS: Accept and
// Cancel from Pending only; Fraud and Set Back to Pending from any status; Delete from Cancelled
// or Fraud. Retry and Skip also need a failed item, which only the workflow knows: see
// CheckRetry.
func Check(action, status string) error {
	switch action {
	case ActionAccept, ActionCancel, ActionFraudCheck:
		if status != Pending {
			return &StateError{action, status, ReasonNotPending}
		}
	case ActionFraud, ActionSetPending:
		// Allowed from any status but their own: a repeat would change nothing.
		if status == TargetStatus(action) {
			return &StateError{action, status, fmt.Sprintf("Order is already %s", status)}
		}
	case ActionDelete:
		if status != Cancelled && status != Fraud {
			return &StateError{action, status, ReasonDeleteNotClosed}
		}
	case ActionRetry, ActionSkip:
	default:
		return fmt.Errorf("unknown order action %q", action)
	}
	return nil
}

// CheckRetry reports whether Retry or Skip may run: only while a step has failed.
func CheckRetry(action string, failed int) error {
	if failed == 0 {
		return &StateError{Action: action, Reason: ReasonNothingToRetry}
	}
	return nil
}

// TargetStatus is the order status an action leads to; "" for actions that keep it.
func TargetStatus(action string) string {
	switch action {
	case ActionAccept:
		return Active
	case ActionCancel:
		return Cancelled
	case ActionFraud:
		return Fraud
	case ActionSetPending:
		return Pending
	}
	return ""
}
