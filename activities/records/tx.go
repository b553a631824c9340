package records

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/temporal"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/secrets"
)

// Records holds what the record activities need: the database, and the box that seals what
// an order keeps secret (a chosen root password, an EPP code).
type Records struct {
	Pool    *pgxpool.Pool
	Secrets *secrets.Box
}

func (r *Records) q() *db.Queries { return db.New(r.Pool) }

func (r *Records) inTx(ctx context.Context, fn func(q *db.Queries) error) error {
	return InTx(ctx, r.Pool, fn)
}

// InTx runs fn in one transaction. What PostgreSQL refuses for good comes back permanent.
func InTx(ctx context.Context, pool *pgxpool.Pool, fn func(q *db.Queries) error) error {
	return ActivityError(dbtx.InTx(ctx, pool, fn))
}

// ActivityError turns a module's or the database's error into what the workflow's retry policy
// understands: a permanent one stops the retries, with the module's words intact for the
// admin. PostgreSQL's data and constraint errors (SQLSTATE classes 22 and 23: a value it cannot
// hold, a key already taken) and a row that is not there are permanent too: retrying writes
// the same thing again.
func ActivityError(err error) error {
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
