package order

import (
	"errors"
	"testing"
)

func TestCheck(t *testing.T) {
	allowed := map[string][]string{ // action -> statuses it is allowed from (WHMCS)
		ActionAccept:     {Pending},
		ActionCancel:     {Pending},
		ActionFraud:      {Pending, Active, Cancelled},
		ActionSetPending: {Active, Cancelled, Fraud},
		ActionDelete:     {Cancelled, Fraud},
		ActionFraudCheck: {Pending},
	}
	for action, from := range allowed {
		for _, status := range Statuses {
			want := contains(from, status)
			err := Check(action, status)
			if (err == nil) != want {
				t.Errorf("Check(%s, %s) = %v, want allowed=%v", action, status, err, want)
			}
			var se *StateError
			if err != nil && !errors.As(err, &se) {
				t.Errorf("Check(%s, %s) error %T is not a StateError", action, status, err)
			}
		}
	}
	if err := Check(ActionAccept, Active); err.Error() != ReasonNotPending {
		t.Errorf("accept refusal = %q", err)
	}
	if err := Check(ActionDelete, Pending); err.Error() != ReasonDeleteNotClosed {
		t.Errorf("delete refusal = %q", err)
	}
	if err := Check("explode", Pending); err == nil {
		t.Error("unknown action allowed")
	}
	if CheckRetry(ActionRetry, 0) == nil || CheckRetry(ActionSkip, 1) != nil {
		t.Error("retry needs exactly a failed item")
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
