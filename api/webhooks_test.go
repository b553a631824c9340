package api

import (
	"errors"
	"fmt"
	"testing"

	"github.com/hostflow/hostflow/service"
)

func TestNotAppliedOutcome(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&service.Error{Kind: service.Invalid, Message: "no such invoice"}, webhookRefused},
		{fmt.Errorf("apply: %w", &service.Error{Kind: service.Conflict, Message: "refunded"}), webhookRefused},
		{&service.Error{Kind: service.NotFound, Message: "gone"}, webhookRefused},
		{&service.Error{Kind: service.Unavailable, Message: "database away"}, webhookError},
		{errors.New("conn closed"), webhookError},
	} {
		if got := notAppliedOutcome(tc.err); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.err, got, tc.want)
		}
	}
}
