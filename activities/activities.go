// Package activities is everything an order workflow does to the world: writing its records in
// PostgreSQL and calling control panels, registrars and fraud services. Each activity is
// idempotent, because Temporal retries it after timeouts and crashes.
package activities

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/temporal"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fraud"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/registrar"
	"github.com/hostflow/hostflow/secrets"
)

// Activities holds the dependencies of all order activities. The worker registers one value;
// workflows call the methods by method value (the method's name is the activity's name).
type Activities struct {
	Pool       *pgxpool.Pool
	Secrets    *secrets.Box
	Panels     provisioning.Registry
	Registrars registrar.Registry
	FraudCheck fraud.Checker
	Mail       Mail
	// Stripe opens Checkout Sessions; nil when no Stripe account is configured, and then
	// CreateCheckoutSession refuses.
	Stripe *gateway.Stripe
}

func (a *Activities) q() *db.Queries { return db.New(a.Pool) }

// inTx runs fn in one transaction. What PostgreSQL refuses for good comes back permanent.
func (a *Activities) inTx(ctx context.Context, fn func(q *db.Queries) error) error {
	return moduleError(dbtx.InTx(ctx, a.Pool, fn))
}

// moduleError turns a module's or the database's error into what the workflow's retry policy
// understands: a permanent one stops the retries, with the module's words intact for the
// admin. PostgreSQL's data and constraint errors (SQLSTATE classes 22 and 23: a value it cannot
// hold, a key already taken) and a row that is not there are permanent too: retrying writes
// the same thing again.
func moduleError(err error) error {
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		return nil
	case permanent.Is(err), dbtx.IsNoRows(err),
		errors.As(err, &pgErr) && (strings.HasPrefix(pgErr.Code, "22") || strings.HasPrefix(pgErr.Code, "23")):
		return temporal.NewNonRetryableApplicationError(err.Error(), permanent.Type, err)
	}
	return err
}
