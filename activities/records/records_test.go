package records_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/testenv"
)

func newRecords(t *testing.T) (*records.Records, *db.Queries) {
	pool, _ := testenv.Database(t)
	box, err := secrets.FromBase64(secrets.NewKey())
	require.NoError(t, err)
	return &records.Records{Pool: pool, Secrets: box}, db.New(pool)
}

// A retried CreateOrder (the worker died after the commit, before Temporal heard of it) writes
// nothing twice and answers with what the first run wrote.
func TestCreateOrderIsIdempotent(t *testing.T) {
	a, q := newRecords(t)
	o := testenv.NewOrder(t, q)
	ctx := context.Background()
	first, err := a.CreateOrder(ctx, o)
	require.NoError(t, err)
	o.Number = order.RandomNumber() // even a retry that drew another number finds the first order
	again, err := a.CreateOrder(ctx, o)
	require.NoError(t, err)
	require.Equal(t, first, again)
	require.Len(t, first.ServiceIDs, 1)
	require.Len(t, first.DomainIDs, 1)
	inv, err := q.GetInvoice(ctx, first.InvoiceID)
	require.NoError(t, err)
	require.Equal(t, int64(2200), inv.Total)
	require.Equal(t, order.InvoiceUnpaid, inv.Status)
	items, err := q.ListInvoiceItems(ctx, first.InvoiceID)
	require.NoError(t, err)
	require.Len(t, items, 2)
}

// An order whose client vanished fails for good instead of being retried forever.
func TestCreateOrderForMissingClientIsPermanent(t *testing.T) {
	a, q := newRecords(t)
	o := testenv.NewOrder(t, q)
	o.ClientID = 999999
	_, err := a.CreateOrder(context.Background(), o)
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(err, &appErr), "error %v", err)
	require.True(t, appErr.NonRetryable())
	require.Equal(t, permanent.Type, appErr.Type())
}
