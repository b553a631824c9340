// Package dbtx is the one way the core and the activities run a transaction and read
// PostgreSQL's answers.
package dbtx

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hostflow/hostflow/db"
)

// InTx runs fn in one transaction on pool: committed if fn returns nil, rolled back otherwise.
func InTx(ctx context.Context, pool *pgxpool.Pool, fn func(q *db.Queries) error) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return fn(db.New(tx)) })
}

// IsNoRows reports whether err is a query's "no rows".
func IsNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// IsUniqueViolation reports whether err is PostgreSQL refusing a key that is taken.
func IsUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// Views converts every row with conv: the core's packages hand out their own views, never
// sqlc's rows.
func Views[R, V any](rows []R, conv func(R) V) []V {
	out := make([]V, len(rows))
	for i, r := range rows {
		out[i] = conv(r)
	}
	return out
}

// Timestamptz is t as a column value.
func Timestamptz(t time.Time) pgtype.Timestamptz { return pgtype.Timestamptz{Time: t, Valid: true} }

// OptionalTime is t as a column value, NULL when t is zero.
func OptionalTime(t time.Time) pgtype.Timestamptz {
	return pgtype.Timestamptz{Time: t, Valid: !t.IsZero()}
}

// Date is t's day as a column value, NULL when t is zero.
func Date(t time.Time) pgtype.Date { return pgtype.Date{Time: t, Valid: !t.IsZero()} }

// DayOf is a date column's day: the zero time for NULL.
func DayOf(d pgtype.Date) time.Time {
	if !d.Valid {
		return time.Time{}
	}
	return d.Time
}

// Optional is s as a column value, NULL when s is "".
func Optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// TimeOf is a column's time, nil for NULL.
func TimeOf(t pgtype.Timestamptz) *time.Time {
	if !t.Valid {
		return nil
	}
	return &t.Time
}

// EscapeLike makes s match itself in a LIKE pattern (with ESCAPE '\').
func EscapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
