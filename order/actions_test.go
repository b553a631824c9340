package order

import (
	"errors"
	"slices"
	"testing"
)

func TestCheck(t *testing.T) {
	allowed := map[Action][]Status{ // action -> statuses it is allowed from (WHMCS)
		ActionAccept:     {Pending},
		ActionCancel:     {Pending},
		ActionFraud:      {Pending, Active, Cancelled},
		ActionSetPending: {Active, Cancelled, Fraud},
		ActionDelete:     {Cancelled, Fraud},
		ActionFraudCheck: {Pending},
		ActionRetry:      Statuses,
		ActionSkip:       Statuses,
	}
	for action, from := range allowed {
		for _, status := range Statuses {
			want := slices.Contains(from, status)
			err := Check(action, status, 1)
			if (err == nil) != want {
				t.Errorf("Check(%s, %s) = %v, want allowed=%v", action, status, err, want)
			}
			var se *StateError
			if err != nil && !errors.As(err, &se) {
				t.Errorf("Check(%s, %s) error %T is not a StateError", action, status, err)
			}
		}
	}
	for _, tc := range []struct {
		action Action
		status Status
		failed int
		reason string
	}{
		{ActionAccept, Active, 0, ReasonNotPending},
		{ActionDelete, Pending, 0, ReasonDeleteNotClosed},
		{ActionFraud, Fraud, 0, "Order is already Fraud"},
		{ActionRetry, Pending, 0, ReasonNothingToRetry},
		{ActionSkip, Active, 0, ReasonNothingToRetry},
	} {
		if err := Check(tc.action, tc.status, tc.failed); err == nil || err.Error() != tc.reason {
			t.Errorf("Check(%s, %s, %d) = %v, want %q", tc.action, tc.status, tc.failed, err, tc.reason)
		}
	}
	if err := Check("explode", Pending, 0); err == nil {
		t.Error("unknown action allowed")
	}
	if err := Check(ActionModuleCreate, Pending, 0); err == nil {
		t.Error("an item action checked as an order action")
	}
}

// TestActionsTable keeps the table whole: every action once, every adapter name unique.
func TestActionsTable(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Actions {
		for _, name := range []string{"action:" + string(s.Action), "rest:" + string(s.On) + "/" + s.REST, "whmcs:" + s.WHMCS} {
			if name == "rest:/" && s.Action == ActionDelete || name == "whmcs:" {
				continue
			}
			if seen[name] {
				t.Errorf("%s appears twice", name)
			}
			seen[name] = true
		}
		if s.Label == "" {
			t.Errorf("%s has no label", s.Action)
		}
		if s.From != nil && s.Refusal == "" {
			t.Errorf("%s is refused without WHMCS's words", s.Action)
		}
		if s.WHMCS != "" && s.On == OnOrder && s.WHMCSNotFound == "" {
			t.Errorf("%s has no WHMCS answer for a missing order", s.Action)
		}
	}
}
