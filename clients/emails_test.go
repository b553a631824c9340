package clients_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
)

// recordEmail records an email as activities' Mail.Deliver does, to client (0: to staff),
// marked sent when sent says so, and answers its id.
func recordEmail(t *testing.T, pool *pgxpool.Pool, key string, client int64, subject string, sent bool) int64 {
	t.Helper()
	ctx, q := context.Background(), db.New(pool)
	var clientID *int64
	if client != 0 {
		clientID = &client
	}
	require.NoError(t, q.InsertEmail(ctx, db.InsertEmailParams{Key: key, OrderID: 0, ClientID: clientID, Template: "invoice-created",
		Recipient: "someone@example.com", Subject: subject, Body: "The text of " + subject, MessageID: "<" + key + "@host.example>"}))
	if sent {
		require.NoError(t, q.MarkEmailSent(ctx, key))
	}
	e, err := q.GetEmail(ctx, key)
	require.NoError(t, err)
	return e.ID
}

// A client's emails are those sent to them, newest first and a page at a time; one to staff,
// one not sent and another client's are not theirs, and reading one is NotFound as an unknown
// id is.
func TestClientEmails(t *testing.T) {
	ctx := context.Background()
	s, _, pool := accounts(t)
	ada, grace := newClient(t, s, "ada@example.com", ""), newClient(t, s, "grace@example.com", "")
	var ids []int64
	for i := range 3 {
		ids = append(ids, recordEmail(t, pool, fmt.Sprintf("ada-%d", i), ada.ID, fmt.Sprintf("To Ada %d", i), true))
	}
	unsent := recordEmail(t, pool, "ada-unsent", ada.ID, "Not sent", false)
	staff := recordEmail(t, pool, "staff", 0, "To staff", true)
	theirs := recordEmail(t, pool, "grace", grace.ID, "To Grace", true)

	page, more, err := s.ClientEmails(ctx, ada.ID, dbtx.Page{Number: 1, Size: 2})
	require.NoError(t, err)
	require.True(t, more)
	require.Equal(t, []string{"To Ada 2", "To Ada 1"}, []string{page[0].Subject, page[1].Subject}, "newest first")
	require.Equal(t, ids[2], page[0].ID)
	require.Equal(t, "someone@example.com", page[0].To)
	require.Equal(t, "invoice-created", page[0].Template)
	require.False(t, page[0].Date.IsZero(), "the date it was sent")
	require.Empty(t, page[0].Body, "a list carries no text")
	page, more, err = s.ClientEmails(ctx, ada.ID, dbtx.Page{Number: 2, Size: 2})
	require.NoError(t, err)
	require.False(t, more)
	require.Len(t, page, 1)
	require.Equal(t, "To Ada 0", page[0].Subject)

	e, err := s.ClientEmail(ctx, ada.ID, ids[0])
	require.NoError(t, err)
	require.Equal(t, "The text of To Ada 0", e.Body)
	for _, id := range []int64{unsent, staff, theirs, 999999} {
		_, err := s.ClientEmail(ctx, ada.ID, id)
		requireRefusal(t, err, fault.NotFound, "", clients.ReasonNoSuchEmail)
	}
}
