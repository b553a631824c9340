package clients_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/testenv"
)

// logEmail records an email of order (0: none) to client (0: to staff) as Mail.Deliver does,
// sent unless sent is false, and answers its id.
func logEmail(t *testing.T, pool *pgxpool.Pool, key string, orderID, client int64, subject string, sent bool) int64 {
	t.Helper()
	ctx, q := context.Background(), db.New(pool)
	var clientID *int64
	if client != 0 {
		clientID = &client
	}
	require.NoError(t, q.InsertEmail(ctx, db.InsertEmailParams{Key: key, OrderID: orderID, ClientID: clientID, Template: "invoice-created",
		Recipient: "someone@example.com", Subject: subject, Body: "The text of " + subject, HtmlBody: "<p>" + subject + "</p>",
		MessageID: key + "@host.example"}))
	if sent {
		require.NoError(t, q.MarkEmailSent(ctx, key))
	}
	e, err := q.GetEmail(ctx, key)
	require.NoError(t, err)
	return e.ID
}

// An order's log holds its emails to the client and to staff, a client's those sent to them
// from any order or their account, each newest first and only those sent; one email reads with
// its text and HTML, and one not sent is not found, as an unknown id is.
func TestEmailLog(t *testing.T) {
	ctx := context.Background()
	s, _, pool := accounts(t)
	ada, grace := newClient(t, s, "ada@example.com", ""), newClient(t, s, "grace@example.com", "")
	first := logEmail(t, pool, "o7-a", 7, ada.ID, "Invoice", true)
	staff := logEmail(t, pool, "o7-staff", 7, 0, "New Order", true)
	unsent := logEmail(t, pool, "o7-b", 7, ada.ID, "Not sent", false)
	account := logEmail(t, pool, "signup", 0, ada.ID, "Welcome", true)
	logEmail(t, pool, "o8", 8, grace.ID, "Grace's", true)

	subjects := func(es []clients.LoggedEmail) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Subject)
		}
		return out
	}
	got, more, err := s.OrderEmailLog(ctx, 7)
	require.NoError(t, err)
	require.False(t, more)
	require.Equal(t, []string{"New Order", "Invoice"}, subjects(got), "newest first, staff's too, none unsent")
	require.Zero(t, got[0].ClientID, "to staff")
	require.Equal(t, ada.ID, got[1].ClientID)
	require.Empty(t, got[1].Text, "a list carries no text")
	got, _, err = s.OrderEmailLog(ctx, 0)
	require.NoError(t, err)
	require.Empty(t, got, "order 0 is no order: account emails are listed by client only")

	got, _, err = s.ClientEmailLog(ctx, ada.ID)
	require.NoError(t, err)
	require.Equal(t, []string{"Welcome", "Invoice"}, subjects(got))

	e, err := s.LoggedEmailByID(ctx, first)
	require.NoError(t, err)
	require.Equal(t, "The text of Invoice", e.Text)
	require.Equal(t, "<p>Invoice</p>", e.HTML)
	require.Equal(t, "Ada Lovelace", e.ClientName)
	require.Equal(t, int64(7), e.OrderID)
	require.Zero(t, e.OrderNumber, "no such order (any more)")
	require.False(t, e.Date.IsZero())
	e, err = s.LoggedEmailByID(ctx, staff)
	require.NoError(t, err)
	require.Empty(t, e.ClientName)
	e, err = s.LoggedEmailByID(ctx, account)
	require.NoError(t, err)
	require.Zero(t, e.OrderID)
	for _, id := range []int64{unsent, 999999} {
		_, err := s.LoggedEmailByID(ctx, id)
		requireRefusal(t, err, fault.NotFound, "", clients.ReasonNoLoggedEmail)
	}
}

// Only the newest EmailLogSize emails are listed, and the log says there are more.
func TestEmailLogIsBounded(t *testing.T) {
	s, _, pool := accounts(t)
	ada := newClient(t, s, "ada@example.com", "")
	for i := range clients.EmailLogSize + 1 {
		logEmail(t, pool, fmt.Sprintf("k%d", i), 7, ada.ID, fmt.Sprintf("Email %d", i), true)
	}
	got, more, err := s.OrderEmailLog(context.Background(), 7)
	require.NoError(t, err)
	require.True(t, more)
	require.Len(t, got, clients.EmailLogSize)
	require.Equal(t, fmt.Sprintf("Email %d", clients.EmailLogSize), got[0].Subject)
}

func TestResendKey(t *testing.T) {
	for _, tc := range []struct {
		token, want string
	}{
		{"console-AbC_12.x", "resend-5-console-AbC_12.x"},
		{strings.Repeat("a", 64), "resend-5-" + strings.Repeat("a", 64)},
		{"", ""},                      // no form's id
		{strings.Repeat("a", 65), ""}, // too long
		{"a b", ""},                   // not plain
		{"a/b", ""},
		{"é", ""},
	} {
		got, err := clients.ResendKey(5, tc.token)
		if tc.want == "" {
			requireRefusal(t, err, fault.Invalid, "request_id", "")
			continue
		}
		require.NoError(t, err, tc.token)
		require.Equal(t, tc.want, got)
	}
}

type fakeResender struct {
	got []clients.Resend
	err error
}

func (f *fakeResender) ResendEmail(_ context.Context, r clients.Resend) (clients.Resent, error) {
	f.got = append(f.got, r)
	return clients.Resent{EmailID: 99, To: "someone@example.com"}, f.err
}

// Resend asks the Resender for a copy keyed by the click, naming who asked; an email never sent
// is not found before anything starts, and the Resender's outcomes are refusals in words.
func TestResendEmail(t *testing.T) {
	ctx := context.Background()
	pool, _ := testenv.Database(t)
	res := &fakeResender{}
	s := clients.New(pool).WithAccounts(clients.Accounts{Guard: access.New(pool, nil, nil), Resend: res})
	id := logEmail(t, pool, "o7-a", 7, 0, "Invoice", true)
	unsent := logEmail(t, pool, "o7-b", 7, 0, "Not sent", false)
	admin := order.Admin("ops@host.example")

	out, err := s.ResendEmail(ctx, id, admin, "console-1")
	require.NoError(t, err)
	require.Equal(t, clients.Resent{EmailID: 99, To: "someone@example.com"}, out)
	require.Equal(t, []clients.Resend{{Key: fmt.Sprintf("resend-%d-console-1", id), EmailID: id, Actor: admin}}, res.got)

	_, err = s.ResendEmail(ctx, unsent, admin, "console-2")
	requireRefusal(t, err, fault.NotFound, "", clients.ReasonNoLoggedEmail)
	_, err = s.ResendEmail(ctx, id, admin, "")
	requireRefusal(t, err, fault.Invalid, "request_id", "")
	require.Len(t, res.got, 1, "nothing started for a refusal")

	res.err = fmt.Errorf("%w: 550 mailbox unavailable", clients.ErrResendRefused)
	_, err = s.ResendEmail(ctx, id, admin, "console-3")
	requireRefusal(t, err, fault.Conflict, "", clients.ReasonResendRefused+": 550 mailbox unavailable")
	res.err = clients.ErrResendPending
	_, err = s.ResendEmail(ctx, id, admin, "console-4")
	requireRefusal(t, err, fault.Unavailable, "", clients.ReasonResendQueued)
	res.err = errors.New("temporal is away")
	_, err = s.ResendEmail(ctx, id, admin, "console-5")
	require.ErrorContains(t, err, "temporal is away")
	var se *fault.Error
	require.False(t, errors.As(err, &se), "an unexpected failure is no refusal")
}
