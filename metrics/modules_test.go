package metrics

import (
	"context"
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"

	"github.com/hostflow/hostflow/email"
)

type fakeSender struct{ err error }

func (f fakeSender) Send(context.Context, email.Message) error { return f.err }

// Each send counts under its one outcome; every outcome shows from the start.
func TestEmailOutcomes(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{nil, emailSent},
		{email.ErrNotConfigured, emailNotConfigured},
		{&email.TemporaryError{Err: errors.New("421 try later")}, emailTemporaryFailure},
		{errors.New("550 no such mailbox"), emailFailed},
	} {
		c := NewCalls(New(zap.NewNop()))
		require.Equal(t, len(emailOutcomes), testutil.CollectAndCount(c.emails))
		_ = c.Sender(fakeSender{err: tc.err}).Send(context.Background(), email.Message{})
		for _, o := range emailOutcomes {
			want := 0.0
			if o == tc.want {
				want = 1
			}
			require.Equal(t, want, testutil.ToFloat64(c.emails.WithLabelValues(o)), "%v: %s", tc.err, o)
		}
	}
}
