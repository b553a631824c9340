package activities

import (
	"context"
	"strconv"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/order"
)

// unpaidDays reads the unpaid-cancel setting inside the caller's transaction, under the lock a
// change of the setting takes alone: an order read here is either committed before the
// change tells the waiting orders, or reads the changed value.
func unpaidDays(ctx context.Context, q *db.Queries) (int, error) {
	if err := q.LockUnpaidPolicyShared(ctx); err != nil {
		return 0, wrap(err, "lock the unpaid-cancel setting")
	}
	v, err := q.GetSetting(ctx, order.SettingCancelUnpaidAfterDays)
	if isNoRows(err) {
		return 0, nil // never set: orders never cancel for non-payment
	}
	if err != nil {
		return 0, wrap(err, "read the unpaid-cancel setting")
	}
	days, _ := strconv.Atoi(v) // validated when stored
	return days, nil
}

// Unpaid is what an order's unpaid-cancel timer checks when it fires: the invoice as the
// ledger has it, and the setting as it is now.
type Unpaid struct {
	Invoice         Invoice `json:"invoice"`
	CancelAfterDays int     `json:"cancel_after_days"`
}

// ReadUnpaid reads an order's invoice and the unpaid-cancel setting, so that the timer cancels
// neither an order paid a moment ago (its signal still on the way) nor one whose setting was
// turned off since the timer was armed.
func (a *Activities) ReadUnpaid(ctx context.Context, orderID int64) (Unpaid, error) {
	var u Unpaid
	err := a.inTx(ctx, func(q *db.Queries) error {
		r, err := q.OrderInvoice(ctx, orderID)
		if err != nil {
			return wrap(err, "read the invoice of order %d", orderID)
		}
		u.Invoice = Invoice{Status: r.Status, Paid: r.Paid, Total: r.Total}
		u.CancelAfterDays, err = unpaidDays(ctx, q)
		return err
	})
	return u, err
}
