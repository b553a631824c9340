// Package activities is everything an order workflow does to the world: calling control
// panels, registrars, fraud services and the SMTP relay, and (through the embedded
// records.Records) writing its records in PostgreSQL. Each activity is idempotent, because
// Temporal retries it after timeouts and crashes.
package activities

import (
	"context"
	"sync"

	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fraud"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/registrar"
)

// Activities holds the dependencies of all order activities. The worker registers one value;
// workflows call the methods by method value (the method's name is the activity's name),
// the record activities' too, promoted from the embedded Records.
type Activities struct {
	records.Records
	Panels     provisioning.Registry
	Registrars registrar.Registry
	FraudCheck fraud.Checker
	Mail       Mail
	// Stripe opens Checkout Sessions; nil when no Stripe account is configured, and then
	// CreateCheckoutSession refuses.
	Stripe *gateway.Stripe
	// Billing writes the ledger: a refund the gateway made is recorded through it.
	Billing *billing.Billing

	instOnce sync.Once
	inst     *dbtx.Installation
}

func (a *Activities) q() *db.Queries { return db.New(a.Pool) }

// installation is the database's installation id (dbtx.Installation, read once): it tells
// this database's requests to Stripe from another's on the same account.
func (a *Activities) installation(ctx context.Context) (string, error) {
	a.instOnce.Do(func() { a.inst = dbtx.NewInstallation(a.Pool) })
	return a.inst.ID(ctx)
}

// inTx runs fn in one transaction (records.InTx).
func (a *Activities) inTx(ctx context.Context, fn func(q *db.Queries) error) error {
	return records.InTx(ctx, a.Pool, fn)
}

// moduleError is records.ActivityError: a module's refusal, or the database's, that retrying
// will not fix becomes Temporal's non-retryable error.
var moduleError = records.ActivityError
