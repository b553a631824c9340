package emailresend

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/testenv"
)

var resend = clients.Resend{Key: "resend-5-console-1", EmailID: 5, Actor: order.Admin("ops@host.example")}

// The workflow is its one activity, given the Resend as asked for, and answers its copy.
func TestResendRunsTheActivity(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var a *Activities
	env.RegisterActivity(a)
	env.OnActivity(a.ResendEmail, mock.Anything, resend).Return(clients.Resent{EmailID: 6, To: "ada@example.com"}, nil).Once()
	env.ExecuteWorkflow(Resend, resend)
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	var out clients.Resent
	require.NoError(t, env.GetWorkflowResult(&out))
	require.Equal(t, clients.Resent{EmailID: 6, To: "ada@example.com"}, out)
	env.AssertExpectations(t)
}

// A relay that is away is retried; a refusal for good is tried once and fails the workflow with
// the relay's words, which the console shows.
func TestResendRetriesThenFails(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var a *Activities
	env.RegisterActivity(a)
	env.OnActivity(a.ResendEmail, mock.Anything, resend).Return(clients.Resent{}, errors.New("451 try later")).Once()
	env.OnActivity(a.ResendEmail, mock.Anything, resend).
		Return(clients.Resent{}, temporal.NewNonRetryableApplicationError("550 mailbox unavailable", permanent.Type, nil)).Once()
	env.ExecuteWorkflow(Resend, resend)
	require.True(t, env.IsWorkflowCompleted())
	var refused *temporal.ApplicationError
	require.True(t, errors.As(env.GetWorkflowError(), &refused), "%v", env.GetWorkflowError())
	require.Equal(t, "550 mailbox unavailable", refused.Message())
	env.AssertExpectations(t)
}

type capture struct {
	mu   sync.Mutex
	msgs []email.Message
	err  error
}

func (c *capture) Send(_ context.Context, m email.Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	c.msgs = append(c.msgs, m)
	return nil
}

// The activity sends the logged email as kept, text and HTML, to the same recipient under the
// copy's own key and Message-ID, records the copy with the email it copies and who asked, and
// puts the admin's line on the order's audit trail; a retry sends nothing more, and a refusal
// for good or an unknown email is final.
func TestResendEmail(t *testing.T) {
	ctx := context.Background()
	pool, _ := testenv.Database(t)
	q := db.New(pool)
	out := &capture{}
	a := &Activities{Pool: pool, Mail: activities.Mail{Sender: out, Domain: "host.example"}}
	client := int64(3)
	require.NoError(t, q.InsertEmail(ctx, db.InsertEmailParams{Key: "order-7/hosting-welcome/2", OrderID: 7, ClientID: &client,
		Template: email.HostingWelcome, Recipient: "ada@example.com", Subject: "New Account Information: ada.com",
		Body: "Password: (not kept)\n", HtmlBody: "<p>Password: (not kept)</p>\n", MessageID: "order-7.hosting-welcome.2@host.example"}))
	require.NoError(t, q.MarkEmailSent(ctx, "order-7/hosting-welcome/2"))
	orig, err := q.GetEmail(ctx, "order-7/hosting-welcome/2")
	require.NoError(t, err)

	r := clients.Resend{Key: "resend-1-console-x", EmailID: orig.ID, Actor: order.Admin("ops@host.example")}
	got, err := a.ResendEmail(ctx, r)
	require.NoError(t, err)
	require.Equal(t, "ada@example.com", got.To)
	require.NotEqual(t, orig.ID, got.EmailID, "the copy is a row of its own")
	require.Len(t, out.msgs, 1)
	require.Equal(t, email.Message{To: "ada@example.com", Subject: "New Account Information: ada.com", Text: "Password: (not kept)\n",
		HTML: "<p>Password: (not kept)</p>\n", MessageID: "resend-1-console-x@host.example"}, out.msgs[0])
	again, err := a.ResendEmail(ctx, r)
	require.NoError(t, err)
	require.Equal(t, got, again)
	require.Len(t, out.msgs, 1, "one copy per key")

	cp, err := q.GetEmail(ctx, r.Key)
	require.NoError(t, err)
	require.True(t, cp.SentAt.Valid)
	require.Equal(t, int64(7), cp.OrderID)
	require.Equal(t, &client, cp.ClientID)
	require.Equal(t, &orig.ID, cp.ResendOf)
	require.Equal(t, "admin:ops@host.example", cp.ResentBy)
	require.Equal(t, "<p>Password: (not kept)</p>\n", cp.HtmlBody)
	events, err := q.ListEvents(ctx, 7)
	require.NoError(t, err)
	require.Len(t, events, 1)
	require.Equal(t, order.Admin("ops@host.example"), events[0].Actor)
	require.Equal(t, activities.EventEmailResent, events[0].Action)
	require.Contains(t, events[0].Detail, "resent to ada@example.com")

	out.err = errors.New("550 mailbox unavailable")
	_, err = a.ResendEmail(ctx, clients.Resend{Key: "resend-1-console-y", EmailID: orig.ID, Actor: r.Actor})
	requirePermanent(t, err, "550 mailbox unavailable")
	_, err = a.ResendEmail(ctx, clients.Resend{Key: "resend-404-console-z", EmailID: 404, Actor: r.Actor})
	requirePermanent(t, err, "no email 404 was sent")
}

func requirePermanent(t *testing.T, err error, msg string) {
	t.Helper()
	var app *temporal.ApplicationError
	require.True(t, errors.As(err, &app), "%v", err)
	require.True(t, app.NonRetryable(), "%v", err)
	require.Contains(t, app.Message(), msg)
}
