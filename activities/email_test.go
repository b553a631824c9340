package activities_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/testenv"
)

// relay accepts messages until it has taken up, then says it is away (a temporary error), as
// a relay that goes down mid-batch does.
type relay struct {
	up   int
	sent []string // Message-IDs, in order
}

func (r *relay) Send(_ context.Context, m email.Message) error {
	if len(r.sent) == r.up {
		return &email.TemporaryError{Err: errors.New("421 service not available")}
	}
	r.sent = append(r.sent, m.MessageID)
	return nil
}

// A relay that goes away mid-batch fails the activity; its retry sends only what did not go,
// and every email is recorded once, marked sent once.
func TestSendEmailsRetrySendsWhatDidNotGo(t *testing.T) {
	a, q := newActivities(t)
	ctx := context.Background()
	_, err := a.CreateOrder(ctx, testenv.NewOrder(t, q))
	require.NoError(t, err)
	r := &relay{up: 1}
	a.Mail = activities.Mail{Sender: r, Company: "Host", Domain: "host.example"}
	var batch []activities.EmailInput
	for i := range 3 {
		batch = append(batch, activities.EmailInput{Key: fmt.Sprintf("order-41/confirmation/%d", i), OrderID: 41, Template: email.OrderConfirmation})
	}
	_, err = a.SendEmails(ctx, batch)
	var temp *email.TemporaryError
	require.ErrorAs(t, err, &temp)
	require.Len(t, r.sent, 1)

	r.up = 10
	failed, err := a.SendEmails(ctx, batch)
	require.NoError(t, err)
	require.Empty(t, failed)
	require.Len(t, r.sent, 3, "the retry sends the two that did not go, not the first again")
	require.Equal(t, []string{email.MessageID(batch[0].Key, "host.example"), email.MessageID(batch[1].Key, "host.example"),
		email.MessageID(batch[2].Key, "host.example")}, r.sent)
	for _, in := range batch {
		e, err := q.GetEmail(ctx, in.Key)
		require.NoError(t, err)
		require.True(t, e.SentAt.Valid, in.Key)
	}
}
