package api

import (
	"errors"
	"fmt"
	"testing"

	"github.com/hostflow/hostflow/fault"
)

func TestNotAppliedOutcome(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&fault.Error{Kind: fault.Invalid, Message: "no such invoice"}, webhookRefused},
		{fmt.Errorf("apply: %w", &fault.Error{Kind: fault.Conflict, Message: "refunded"}), webhookRefused},
		{&fault.Error{Kind: fault.NotFound, Message: "gone"}, webhookRefused},
		{&fault.Error{Kind: fault.Unavailable, Message: "database away"}, webhookError},
		{errors.New("conn closed"), webhookError},
	} {
		if got := notAppliedOutcome(tc.err); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.err, got, tc.want)
		}
	}
}
