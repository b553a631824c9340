// Package clientmail sends the emails of a client's account (Client Signup, Password Reset) as
// a workflow, never inside the HTTP request that asks for them: the rule for every side effect.
// One workflow an email, its id made from the email's key, so that a request retried starts it
// once; its one activity sends through the same mail path as the order emails (the worker's
// activities.Mail: the SMTP sender, the overridable templates of package email, Message-IDs
// fixed by the key, the emails table recording the email before it is sent).
package clientmail

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// WorkflowName is the workflow's registered name: Send is too plain a name for a shared worker.
const WorkflowName = "ClientMail"

// WorkflowID is the workflow of the email key, in the installation's own space of ids.
func WorkflowID(installation, key string) string { return "clientmail-" + installation + "-" + key }

// Send sends one client email.
func Send(ctx workflow.Context, m clients.Mail) error {
	ctx = workflow.WithActivityOptions(ctx, ordermsg.EmailOptions)
	var a *Activities
	return workflow.ExecuteActivity(ctx, a.SendClientEmail, m).Get(ctx, nil)
}

// Register registers the workflow and its activity on a worker (the worker of the order
// workflows: one process, one task queue).
func Register(w worker.Registry, acts *Activities) {
	w.RegisterWorkflowWithOptions(Send, workflow.RegisterOptions{Name: WorkflowName})
	w.RegisterActivity(acts)
}

// Activities sends client emails.
type Activities struct {
	Pool *pgxpool.Pool
	Mail activities.Mail // its PublicURL starts the emails' links
}

// SendClientEmail renders and sends a client email once per key. A reset email makes its link's
// token here, so the token never travels through a workflow's history; sent again after a
// crash it makes a new one, and only the link last sent works. An email to nobody (an unknown
// email asking for a reset, a client gone since) is sent to no one and succeeds.
func (a *Activities) SendClientEmail(ctx context.Context, m clients.Mail) error {
	q := db.New(a.Pool)
	if e, err := q.GetEmail(ctx, m.Key); err == nil && e.SentAt.Valid {
		return nil
	} else if err != nil && !dbtx.IsNoRows(err) {
		return fault.Wrap(err, "look up email %s", m.Key)
	}
	cl := clients.New(a.Pool)
	acct := &email.Account{SignInURL: a.Mail.Link(clients.SignInPath)}
	var c clients.Client
	var err error
	switch m.Template {
	case clients.MailSignup:
		c, err = cl.Client(ctx, m.ClientID, "")
		var fe *fault.Error
		if errors.As(err, &fe) && fe.Kind == fault.NotFound {
			return nil
		}
	case clients.MailPasswordReset:
		var tok string
		var ok bool
		tok, c, ok, err = cl.IssuePasswordReset(ctx, m.Key, m.Email)
		if err == nil && !ok {
			return nil
		}
		acct.ResetURL = a.Mail.Link(clients.ResetPath) + "?token=" + url.QueryEscape(tok)
		acct.ResetExpires = expiry(clients.ResetTokenTTL)
	default:
		return permanentErr(fmt.Errorf("no client email %q", m.Template))
	}
	if err != nil {
		return err
	}
	data := email.Data{Company: a.Mail.Company, ClientName: strings.TrimSpace(c.FirstName + " " + c.LastName), ClientEmail: c.Email,
		Account: acct}
	r, err := a.Mail.Render(m.Template, data)
	if err != nil {
		return permanentErr(err)
	}
	// OrderID 0: a client's email belongs to no order.
	failed, err := a.Mail.Deliver(ctx, a.Pool, []activities.Outgoing{{Key: m.Key, ClientID: c.ID, Template: m.Template,
		Kept: r.KeptText, KeptHTML: r.KeptHTML, Message: email.Message{To: c.Email, ToName: data.ClientName, Subject: r.Subject,
			Text: r.Text, HTML: r.HTML, MessageID: email.MessageID(m.Key, a.Mail.Domain)}}})
	if err != nil {
		return err
	}
	if len(failed) > 0 {
		return permanentErr(errors.New(failed[0].Error)) // refused for good: the workflow fails, in the Web UI
	}
	return nil
}

// expiry says a duration as the email does: "1 hour", "30 minutes".
func expiry(d time.Duration) string {
	switch {
	case d == time.Hour:
		return "1 hour"
	case d%time.Hour == 0:
		return fmt.Sprintf("%d hours", d/time.Hour)
	}
	return fmt.Sprintf("%d minutes", d/time.Minute)
}

func permanentErr(err error) error { return records.ActivityError(permanent.Wrap(err)) }

// Starter starts the email workflows for package clients (clients.Mailer), on the order
// workflows' task queue.
type Starter struct {
	tc    client.Client
	inst  *dbtx.Installation
	queue string
}

// NewStarter returns the starter; queue "" is ordermsg.TaskQueue.
func NewStarter(tc client.Client, pool *pgxpool.Pool, queue string) *Starter {
	if queue == "" {
		queue = ordermsg.TaskQueue
	}
	return &Starter{tc: tc, inst: dbtx.NewInstallation(pool), queue: queue}
}

// SendClientMail starts the workflow of m's key. A workflow of that key already started, even
// one finished, is the same email: nothing more is started, and that is success.
func (s *Starter) SendClientMail(ctx context.Context, m clients.Mail) error {
	if s.tc == nil {
		return errors.New("client email: no Temporal client")
	}
	inst, err := s.inst.ID(ctx)
	if err != nil {
		return err
	}
	_, err = s.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: WorkflowID(inst, m.Key), TaskQueue: s.queue,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING}, WorkflowName, m)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return nil
	}
	return fault.Wrap(err, "start client email %s", m.Key)
}
