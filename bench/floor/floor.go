// Package floor is the engine's floor for `make bench`: a workflow with the message pattern of
// an order (update-with-start with one local activity, a signal, a query poll, an update with
// one local activity, search attributes upserted at each step) and no database. What
// hostflow's order costs above it is hostflow's own.
//
// It comes in the two shapes the benchmark measures. Without Calls it is an order that calls
// nothing outside: no email, nothing to set up. With Calls it makes the benchmark order's
// external calls, as activities that touch no database: the placement's three emails by SMTP
// (the order confirmation, Invoice Created, the staff's New Order Notification), then the
// hosting account on WHM and the domain at Namecheap side by side, then the welcome,
// registration and receipt emails, through the same module clients hostflow uses.
package floor

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/hostflow/hostflow/email"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/registrar"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// Message names, as the order workflow's.
const (
	UpdatePlace   = "place"
	SignalPaid    = "payment-received"
	QueryState    = "state"
	UpdateAccept  = "accept"
	StateProvided = "provisioned"
)

// Input is one floor order: its number, and whether it makes the benchmark order's calls.
type Input struct {
	ID    int64 `json:"id"`
	Calls bool  `json:"calls,omitempty"`
}

// Calls are the outside services the floor's activities speak to: the sandboxes hostflow's
// worker uses in the same run.
type Calls struct {
	Panel     provisioning.Provisioner
	Server    provisioning.Server
	Registrar registrar.Registrar
	Mail      email.Sender
}

// Activities are the floor's activities. None touches a database.
type Activities struct{ Calls Calls }

// Register adds the floor workflow and its activities to w.
func Register(w worker.Worker, calls Calls) {
	w.RegisterWorkflow(Order)
	w.RegisterActivity(&Activities{Calls: calls})
}

// Record is the floor's local activity, where an order writes its rows: it does nothing.
func (a *Activities) Record(context.Context, int64) error { return nil }

// Provision is where an order creates its account and registers its domain: both at once, as
// hostflow's SetUpItems does.
func (a *Activities) Provision(ctx context.Context, id int64) error {
	domain := fmt.Sprintf("floor%d.com", id) // and a username whose first eight letters, which WHM compares, are its own
	var wg sync.WaitGroup
	var accountErr, domainErr error
	wg.Go(func() {
		accountErr = a.Calls.Panel.Create(ctx, provisioning.Account{ServiceID: id, Server: a.Calls.Server,
			Username: fmt.Sprintf("f%07d", id%10000000), Password: "Floor-Passw0rd!", Domain: domain, Package: "starter", Email: "ada@bench.example"})
	})
	wg.Go(func() {
		_, domainErr = a.Calls.Registrar.Register(ctx, registrar.Domain{DomainID: id, Name: domain, Period: 1,
			Registrant: registrar.Contact{FirstName: "Ada", LastName: "Lovelace", Email: "ada@bench.example", Address1: "1 Analytical Way",
				City: "London", Postcode: "N1 1AA", Country: "GB", Phone: "+44.2079460000"}})
	})
	wg.Wait()
	if accountErr != nil {
		return accountErr
	}
	return domainErr
}

// Email sends n emails to the order's client, one after another, as SendEmails does.
func (a *Activities) Email(ctx context.Context, n int) error {
	for i := range n {
		err := a.Calls.Mail.Send(ctx, email.Message{To: "ada@bench.example", ToName: "Ada Lovelace", Subject: "Floor",
			Text: "The floor's email.", MessageID: email.MessageID(fmt.Sprintf("floor-%d-%d", time.Now().UnixNano(), i), "bench.example")})
		if err != nil {
			return err
		}
	}
	return nil
}

// acts names the activities by method value.
var acts *Activities

// Order is the floor's order: placed (update-with-start, one local activity), paid (signal),
// provisioned (with Calls: one activity, and the emails around it), accepted (update, one local
// activity), done.
func Order(ctx workflow.Context, in Input) (string, error) {
	state := "placing"
	local := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{ScheduleToCloseTimeout: 20 * time.Second})
	act := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second}})
	publish := func(status, payment, waiting string) {
		_ = workflow.UpsertTypedSearchAttributes(ctx, ordermsg.State{Status: order.Status(status), OrderNumber: 1000000000 + in.ID,
			PaymentStatus: order.InvoiceStatus(payment), WaitingFor: order.WaitingFor(waiting)}.Attributes(in.ID)...)
	}
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (string, error) { return state, nil }); err != nil {
		return "", err
	}
	created := false
	if err := workflow.SetUpdateHandler(ctx, UpdatePlace, func(ctx workflow.Context) (int64, error) {
		if err := workflow.Await(ctx, func() bool { return created }); err != nil {
			return 0, err
		}
		return in.ID, nil
	}); err != nil {
		return "", err
	}
	accepted := false
	if err := workflow.SetUpdateHandler(ctx, UpdateAccept, func(ctx workflow.Context) (string, error) {
		if err := workflow.ExecuteLocalActivity(local, acts.Record, in.ID).Get(ctx, nil); err != nil {
			return "", err
		}
		publish("Active", "Paid", "")
		state, accepted = "accepted", true
		return state, nil
	}); err != nil {
		return "", err
	}
	if err := workflow.ExecuteLocalActivity(local, acts.Record, in.ID).Get(ctx, nil); err != nil {
		return "", err
	}
	publish("Pending", "Unpaid", "payment")
	state, created = "payment", true
	var confirmed workflow.Future
	if in.Calls {
		confirmed = workflow.ExecuteActivity(act, acts.Email, 3) // the placement's emails
	}

	workflow.GetSignalChannel(ctx, SignalPaid).Receive(ctx, nil)
	publish("Pending", "Paid", "")
	if in.Calls {
		if err := workflow.ExecuteActivity(act, acts.Provision, in.ID).Get(ctx, nil); err != nil {
			return "", err
		}
	}
	publish("Pending", "Paid", "admin-review")
	state = StateProvided
	if in.Calls {
		// The welcome, registration and receipt emails, as hostflow sends them when nobody waits.
		if err := workflow.ExecuteLocalActivity(local, acts.Email, 3).Get(ctx, nil); err != nil {
			return "", err
		}
		if err := confirmed.Get(ctx, nil); err != nil {
			return "", err
		}
	}
	if err := workflow.Await(ctx, func() bool { return accepted && workflow.AllHandlersFinished(ctx) }); err != nil {
		return "", err
	}
	return state, nil
}
