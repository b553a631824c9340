package records_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/activities/records"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/testenv"
)

// Delete refuses, for good, while money sits on the invoice, also money recorded while the
// delete waited for the invoice's lock; refunded, the order goes and its ledger stays.
func TestDeleteOrderKeepsAnOrderThatHoldsMoney(t *testing.T) {
	a, q := newRecords(t)
	ctx := context.Background()
	c, err := a.CreateOrder(ctx, testenv.NewOrder(t, q))
	require.NoError(t, err)
	del := records.Event{OrderID: 41, Key: "wf-9", Actor: "admin:1", Action: "delete"}

	// A payment holds the invoice's lock as the delete starts.
	tx, err := a.Pool.Begin(ctx)
	require.NoError(t, err)
	_, err = db.New(tx).LockInvoice(ctx, c.InvoiceID)
	require.NoError(t, err)
	testenv.RecordPayment(t, db.New(tx), c.InvoiceID, "t1", 500)
	done := make(chan error, 1)
	go func() { done <- a.DeleteOrder(ctx, del) }()
	time.Sleep(200 * time.Millisecond) // the delete waits for the lock
	require.NoError(t, tx.Commit(ctx))
	testenv.RequirePermanent(t, <-done, order.ReasonMoneyOnInvoice)
	_, err = q.GetOrder(ctx, 41)
	require.NoError(t, err, "the refused delete removed nothing")

	testenv.RecordPayment(t, q, c.InvoiceID, "t1-refund", -500)
	require.NoError(t, a.DeleteOrder(ctx, del))
	_, err = q.GetOrder(ctx, 41)
	require.ErrorIs(t, err, pgx.ErrNoRows)
	var ledger int
	require.NoError(t, a.Pool.QueryRow(ctx, "SELECT count(*) FROM transactions").Scan(&ledger))
	require.Equal(t, 2, ledger, "the ledger stays")
}

// An order whose first write the workflow never heard of is discarded: its domains are free
// again and its promotion use is given back. One with money on it is kept.
func TestDiscardOrder(t *testing.T) {
	a, q := newRecords(t)
	ctx := context.Background()
	promo, err := q.CreatePromotion(ctx, db.CreatePromotionParams{Code: "ONCE", Type: "fixed", Amount: 100, Currency: "USD",
		ProductIds: []int64{}, MaxUses: 1})
	require.NoError(t, err)
	o := testenv.NewOrder(t, q)
	o.Discount = &order.Discount{PromotionID: promo.ID, Description: "Promotional Code: ONCE", Amount: 100}
	c, err := a.CreateOrder(ctx, o)
	require.NoError(t, err)
	e := records.Event{OrderID: o.ID, Key: "wf-1", Actor: order.System, Action: "discarded"}

	testenv.RecordPayment(t, q, c.InvoiceID, "early", 300)
	kept, err := a.DiscardOrder(ctx, e)
	require.NoError(t, err)
	require.False(t, kept, "money on the invoice: the order stays")
	_, err = q.GetOrder(ctx, o.ID)
	require.NoError(t, err)

	testenv.RecordPayment(t, q, c.InvoiceID, "early-refund", -300)
	discarded, err := a.DiscardOrder(ctx, e)
	require.NoError(t, err)
	require.True(t, discarded)
	_, err = q.GetOrder(ctx, o.ID)
	require.ErrorIs(t, err, pgx.ErrNoRows)
	var lines []string
	rows, err := a.Pool.Query(ctx, "SELECT key FROM order_events WHERE order_id = $1", o.ID)
	require.NoError(t, err)
	lines, err = pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Equal(t, []string{"wf-1"}, lines, "the discard's line stays, the discarded order's go")
	held, err := q.DomainHeld(ctx, "a.com")
	require.NoError(t, err)
	require.False(t, held, "the domain is free for the caller's retry")
	p, err := q.GetPromotionByCode(ctx, "ONCE")
	require.NoError(t, err)
	require.Zero(t, p.Uses, "the promotion's use is given back")

	again, err := a.DiscardOrder(ctx, e)
	require.NoError(t, err)
	require.True(t, again, "nothing left to discard")
	_, err = a.CreateOrder(ctx, o)
	require.NoError(t, err, "a retry of the placement writes the order again")
}

// The first write reads the unpaid-cancel setting under the lock its change takes alone: an
// order written while the setting changes reads the new value.
func TestCreateOrderReadsTheUnpaidSettingAfterAChange(t *testing.T) {
	a, q := newRecords(t)
	ctx := context.Background()
	o := testenv.NewOrder(t, q)
	tx, err := a.Pool.Begin(ctx)
	require.NoError(t, err)
	tq := db.New(tx)
	require.NoError(t, tq.LockUnpaidPolicy(ctx))
	require.NoError(t, tq.PutSetting(ctx, db.PutSettingParams{Key: order.SettingCancelUnpaidAfterDays, Value: "5"}))
	type created struct {
		c   records.Created
		err error
	}
	done := make(chan created, 1)
	go func() {
		c, err := a.CreateOrder(ctx, o)
		done <- created{c, err}
	}()
	time.Sleep(200 * time.Millisecond) // the write waits for the change
	require.NoError(t, tx.Commit(ctx))
	got := <-done
	require.NoError(t, got.err)
	require.Equal(t, 5, got.c.CancelUnpaidAfterDays)
}

// The unpaid-cancel cancels the invoice under its lock only when it is still due by the
// setting as it is now and the ledger does not cover the total.
func TestCancelUnpaidInvoice(t *testing.T) {
	a, q := newRecords(t)
	ctx := context.Background()
	c, err := a.CreateOrder(ctx, testenv.NewOrder(t, q))
	require.NoError(t, err)
	check := records.UnpaidCheck{OrderID: 41, Since: time.Now().Add(-3 * 24 * time.Hour)}
	put := func(days string) {
		require.NoError(t, q.PutSetting(ctx, db.PutSettingParams{Key: order.SettingCancelUnpaidAfterDays, Value: days}))
	}

	put("0") // turned off since the timer was armed
	u, err := a.CancelUnpaidInvoice(ctx, check)
	require.NoError(t, err)
	require.False(t, u.Cancelled)
	put("5") // lengthened
	u, err = a.CancelUnpaidInvoice(ctx, check)
	require.NoError(t, err)
	require.False(t, u.Cancelled)
	require.Equal(t, 5, u.CancelAfterDays)

	put("2")
	testenv.RecordPayment(t, q, c.InvoiceID, "just-in-time", 2200) // paid, the signal still on its way
	u, err = a.CancelUnpaidInvoice(ctx, check)
	require.NoError(t, err)
	require.False(t, u.Cancelled, "a paid order is not cancelled")
	testenv.RecordPayment(t, q, c.InvoiceID, "just-in-time-refund", -2200)

	u, err = a.CancelUnpaidInvoice(ctx, check)
	require.NoError(t, err)
	require.True(t, u.Cancelled)
	inv, err := q.GetInvoice(ctx, c.InvoiceID)
	require.NoError(t, err)
	require.Equal(t, order.InvoiceCancelled, inv.Status)
}
