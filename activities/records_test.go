package activities_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/hostflow/hostflow/activities"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/permanent"
	"github.com/hostflow/hostflow/secrets"
	"github.com/hostflow/hostflow/testenv"
)

func newActivities(t *testing.T) (*activities.Activities, *db.Queries) {
	pool, _ := testenv.Database(t)
	box, err := secrets.FromBase64(secrets.NewKey())
	require.NoError(t, err)
	return &activities.Activities{Pool: pool, Secrets: box}, db.New(pool)
}

func newOrder(t *testing.T, q *db.Queries) order.NewOrder {
	ctx := context.Background()
	c, err := q.CreateClient(ctx, db.CreateClientParams{FirstName: "Ada", LastName: "L", Email: "ada@example.com", Currency: "USD"})
	require.NoError(t, err)
	p, err := q.CreateProduct(ctx, db.CreateProductParams{Name: "Basic", Type: "hostingaccount", Module: "none", AutoSetup: "accept"})
	require.NoError(t, err)
	return order.NewOrder{ID: 41, Number: order.RandomNumber(), ClientID: c.ID, PaymentMethod: "manual", Currency: "USD",
		Amount: 2200, Actor: "admin",
		Services: []order.NewService{{ProductID: p.ID, ProductName: "Basic", Domain: "a.com", BillingCycle: "monthly", Amount: 1000}},
		Domains:  []order.NewDomain{{Domain: "a.com", Type: order.DomainRegister, Period: 1, Amount: 1200}}}
}

// A retried CreateOrder (the worker died after the commit, before Temporal heard of it) writes
// nothing twice and answers with what the first run wrote.
func TestCreateOrderIsIdempotent(t *testing.T) {
	a, q := newActivities(t)
	o := newOrder(t, q)
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
	a, q := newActivities(t)
	o := newOrder(t, q)
	o.ClientID = 999999
	_, err := a.CreateOrder(context.Background(), o)
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(err, &appErr), "error %v", err)
	require.True(t, appErr.NonRetryable())
	require.Equal(t, permanent.Type, appErr.Type())
}
