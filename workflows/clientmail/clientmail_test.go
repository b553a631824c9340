package clientmail

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/testenv"
)

// The workflow is its one activity, given the email as asked for.
func TestSendRunsTheActivity(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var a *Activities
	m := clients.Mail{Key: "client-signup:7", Template: clients.MailSignup, ClientID: 7}
	env.RegisterActivity(a)
	env.OnActivity(a.SendClientEmail, mock.Anything, m).Return(nil).Once()
	env.ExecuteWorkflow(Send, m)
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
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

// The activity sends the signup email to the client and a reset email with a link whose token
// resets the password; an unknown email gets nothing; a key already sent sends nothing again;
// a key retried after a failed send sends a fresh link and only that one works.
func TestSendClientEmail(t *testing.T) {
	ctx := context.Background()
	pool, _ := testenv.Database(t)
	cl := clients.New(pool).WithAccounts(clients.Accounts{Guard: access.New(pool, nil, nil)})
	c, err := cl.CreateClient(ctx, clients.NewClient{FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com",
		Password: "correct horse battery"})
	require.NoError(t, err)
	out := &capture{}
	a := &Activities{Pool: pool,
		Mail: activities.Mail{Sender: out, Company: "Host Example", Domain: "host.example", PublicURL: "https://host.example/"}}

	signup := clients.Mail{Key: "client-signup:1", Template: clients.MailSignup, ClientID: c.ID}
	require.NoError(t, a.SendClientEmail(ctx, signup))
	require.NoError(t, a.SendClientEmail(ctx, signup), "sent once per key")
	require.Len(t, out.msgs, 1)
	require.Equal(t, "ada@example.com", out.msgs[0].To)
	require.Equal(t, "Welcome to Host Example", out.msgs[0].Subject)
	require.Contains(t, out.msgs[0].Text, "https://host.example/client/login")
	require.Equal(t, "client-signup.1@host.example", out.msgs[0].MessageID)

	require.NoError(t, a.SendClientEmail(ctx, clients.Mail{Key: "client-password-reset:x", Template: clients.MailPasswordReset,
		Email: "nobody@example.com"}))
	require.Len(t, out.msgs, 1, "nothing to an unknown email")

	reset := clients.Mail{Key: "client-password-reset:y", Template: clients.MailPasswordReset, Email: "Ada@Example.com"}
	out.err = &email.TemporaryError{Err: errors.New("451 try later")}
	require.Error(t, a.SendClientEmail(ctx, reset), "a relay that is away is retried")
	out.err = nil
	require.NoError(t, a.SendClientEmail(ctx, reset))
	require.Len(t, out.msgs, 2)
	msg := out.msgs[1]
	require.Equal(t, "Your password reset link", msg.Subject)
	require.Equal(t, "ada@example.com", msg.To, "to the client's own address")
	link := linkIn(t, msg.Text, "https://host.example/client/reset?token=")
	tok := link.Query().Get("token")
	require.NotEmpty(t, tok)
	var kept string
	var client *int64
	require.NoError(t, pool.QueryRow(ctx, `SELECT body, client_id FROM emails WHERE key = $1`, reset.Key).Scan(&kept, &client))
	require.NotContains(t, kept, tok, "the email history keeps no live reset link")
	require.Contains(t, kept, "Someone, hopefully you")
	require.NotNil(t, client)
	require.Equal(t, c.ID, *client)
	_, err = cl.ResetClientPassword(ctx, tok, "a brand new password")
	require.NoError(t, err)
	_, err = cl.ResetClientPassword(ctx, tok, "another new password")
	require.Error(t, err, "single use")

	require.Error(t, a.SendClientEmail(ctx, clients.Mail{Key: "k", Template: "nope"}))
}

func linkIn(t *testing.T, text, prefix string) *url.URL {
	t.Helper()
	i := strings.Index(text, prefix)
	require.GreaterOrEqual(t, i, 0, text)
	raw, _, _ := strings.Cut(text[i:], "\n")
	u, err := url.Parse(strings.TrimSpace(raw))
	require.NoError(t, err)
	return u
}
