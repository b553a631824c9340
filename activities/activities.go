// Package activities is everything an order workflow does to the world: writing its records in
// PostgreSQL and calling control panels, registrars and fraud services. Each activity is
// idempotent, because Temporal retries it after timeouts and crashes.
package activities

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/temporal"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fraud"
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
}

func (a *Activities) q() *db.Queries { return db.New(a.Pool) }

// inTx runs fn in one transaction.
func (a *Activities) inTx(ctx context.Context, fn func(q *db.Queries) error) error {
	return pgx.BeginFunc(ctx, a.Pool, func(tx pgx.Tx) error { return fn(db.New(tx)) })
}

// moduleError turns a module's error into what the workflow's retry policy understands: a
// Permanent one stops the retries, with the module's words intact for the admin.
func moduleError(err error) error {
	if err == nil {
		return nil
	}
	if permanent.Is(err) || errors.Is(err, pgx.ErrNoRows) {
		return temporal.NewNonRetryableApplicationError(err.Error(), permanent.Type, err)
	}
	return err
}

func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
