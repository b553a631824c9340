package service

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/hostflow/hostflow/db"
)

func (s *Service) inTx(ctx context.Context, fn func(q *db.Queries) error) error {
	return pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error { return fn(db.New(tx)) })
}

func wrap(err error, what string) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*Error); ok {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

func itoa(i int) string { return strconv.Itoa(i) }

// join lists words as a refusal offers them: "a, b, c".
func join[T ~string](words []T) string {
	s := make([]string, len(words))
	for i, w := range words {
		s[i] = string(w)
	}
	return strings.Join(s, ", ")
}

func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

func timestamptz(t time.Time) pgtype.Timestamptz { return pgtype.Timestamptz{Time: t, Valid: true} }

func date(t time.Time) pgtype.Date { return pgtype.Date{Time: t, Valid: !t.IsZero()} }
