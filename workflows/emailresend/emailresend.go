// Package emailresend sends a logged email again (the console's Resend) as a workflow of its
// own, never inside the HTTP request: sending is an external side effect.
//
// Why a workflow of its own and not a message to the order's workflow: an email of a client's
// account (Client Signup, Password Reset) belongs to no order and so to no order workflow; a
// resend changes nothing of an order's state, so it need not queue behind the order's steps
// (an Accept waiting on a panel) nor add commands to a long-lived history that would then need
// a GetVersion; and it works the same for an order deleted since. Like workflows/clientmail,
// it is one workflow a copy, its id made from the copy's key (one per admin's click), so that a
// double click or a retried request starts it once and sends one copy; its one activity sends
// through the mail path every email takes (activities.Mail.Deliver: the row written before the
// send, a Message-ID fixed by the key, marked sent with the order's audit line after).
package emailresend

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
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

// WorkflowName is the workflow's registered name.
const WorkflowName = "ResendEmail"

// WorkflowID is the workflow of a copy's key, in the installation's own space of ids.
func WorkflowID(installation, key string) string { return "emailresend-" + installation + "-" + key }

// Resend sends one copy: its one activity.
func Resend(ctx workflow.Context, r clients.Resend) (clients.Resent, error) {
	ctx = workflow.WithActivityOptions(ctx, ordermsg.EmailOptions)
	var a *Activities
	var out clients.Resent
	err := workflow.ExecuteActivity(ctx, a.ResendEmail, r).Get(ctx, &out)
	return out, err
}

// Register registers the workflow and its activity on a worker (the order workflows' worker:
// one process, one task queue).
func Register(w worker.Registry, acts *Activities) {
	w.RegisterWorkflowWithOptions(Resend, workflow.RegisterOptions{Name: WorkflowName})
	w.RegisterActivity(acts)
}

// Activities resend emails.
type Activities struct {
	Pool *pgxpool.Pool
	Mail activities.Mail // the sender and the Message-IDs' domain
}

// ResendEmail sends the logged email r names again, once per r.Key: its subject, text and HTML
// as the log kept them, to its recipient. The copy is recorded under r.Key with the email it
// copies and who asked, and an order's copy is a line of the order's audit trail by r.Actor
// (Mail.Deliver). A retry after the copy went finds it sent and sends nothing.
func (a *Activities) ResendEmail(ctx context.Context, r clients.Resend) (clients.Resent, error) {
	q := db.New(a.Pool)
	if e, err := q.GetEmail(ctx, r.Key); err == nil && e.SentAt.Valid {
		return clients.Resent{EmailID: e.ID, To: e.Recipient}, nil
	} else if err != nil && !dbtx.IsNoRows(err) {
		return clients.Resent{}, fault.Wrap(err, "look up email %s", r.Key)
	}
	orig, err := q.LoggedEmail(ctx, r.EmailID)
	if dbtx.IsNoRows(err) {
		return clients.Resent{}, permanentErr(fmt.Errorf("no email %d was sent", r.EmailID))
	} else if err != nil {
		return clients.Resent{}, fault.Wrap(err, "read email %d", r.EmailID)
	}
	var clientID int64
	var name string
	if orig.ClientID != nil {
		clientID, name = *orig.ClientID, strings.TrimSpace(orig.FirstName+" "+orig.LastName)
	}
	failed, err := a.Mail.Deliver(ctx, a.Pool, []activities.Outgoing{{Key: r.Key, OrderID: orig.OrderID, ClientID: clientID,
		Template: orig.Template, Kept: orig.Body, KeptHTML: orig.HtmlBody, ResendOf: orig.ID, ResentBy: r.Actor,
		Message: email.Message{To: orig.Recipient, ToName: name, Subject: orig.Subject, Text: orig.Body, HTML: orig.HtmlBody,
			MessageID: email.MessageID(r.Key, a.Mail.Domain)}}})
	if err != nil {
		return clients.Resent{}, err
	}
	if len(failed) > 0 {
		return clients.Resent{}, permanentErr(errors.New(failed[0].Error)) // refused for good: the workflow fails with it
	}
	e, err := q.GetEmail(ctx, r.Key)
	if err != nil {
		return clients.Resent{}, fault.Wrap(err, "read email %s", r.Key)
	}
	return clients.Resent{EmailID: e.ID, To: e.Recipient}, nil
}

func permanentErr(err error) error { return records.ActivityError(permanent.Wrap(err)) }

// resendWait is how long ResendEmail waits for the copy to be sent before it answers
// clients.ErrResendPending: a relay that answers takes well under a second, and the admin's
// page should not hang on one that does not.
const resendWait = 15 * time.Second

// Starter starts the resend workflows for package clients (clients.Resender), on the order
// workflows' task queue, and waits for their outcome.
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

// ResendEmail starts the workflow of r's key, or finds the one that key started already (a
// double click, a retried request: one copy), and waits for the copy to be sent. A copy the
// relay refused for good answers clients.ErrResendRefused with the relay's words; one not sent
// within resendWait, clients.ErrResendPending (the workflow goes on trying).
func (s *Starter) ResendEmail(ctx context.Context, r clients.Resend) (clients.Resent, error) {
	if s.tc == nil {
		return clients.Resent{}, errors.New("resend email: no Temporal client")
	}
	inst, err := s.inst.ID(ctx)
	if err != nil {
		return clients.Resent{}, err
	}
	id := WorkflowID(inst, r.Key)
	run, err := s.tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: s.queue,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING}, WorkflowName, r)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		run, err = s.tc.GetWorkflow(ctx, id, ""), nil // finished already: its outcome is the answer
	}
	if err != nil {
		return clients.Resent{}, fault.Wrap(err, "start resend %s", r.Key)
	}
	wctx, cancel := context.WithTimeout(ctx, resendWait)
	defer cancel()
	var out clients.Resent
	err = run.Get(wctx, &out)
	var refused *temporal.ApplicationError
	switch {
	case err == nil:
		return out, nil
	case errors.As(err, &refused):
		return clients.Resent{}, fmt.Errorf("%w: %s", clients.ErrResendRefused, refused.Message())
	case wctx.Err() != nil && ctx.Err() == nil:
		return clients.Resent{}, clients.ErrResendPending
	}
	return clients.Resent{}, fault.Wrap(err, "resend %s", r.Key)
}
