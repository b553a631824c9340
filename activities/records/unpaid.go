package records

import (
	"context"
	"strconv"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
)

// unpaidDays reads the unpaid-cancel setting inside the caller's transaction, under the lock a
// change of the setting takes alone: an order read here is either committed before the
// change tells the waiting orders, or reads the changed value.
func unpaidDays(ctx context.Context, q *db.Queries) (int, error) {
	if err := q.LockUnpaidPolicyShared(ctx); err != nil {
		return 0, fault.Wrap(err, "lock the unpaid-cancel setting")
	}
	v, err := q.GetSetting(ctx, order.SettingCancelUnpaidAfterDays)
	if dbtx.IsNoRows(err) {
		return 0, nil // never set: orders never cancel for non-payment
	}
	if err != nil {
		return 0, fault.Wrap(err, "read the unpaid-cancel setting")
	}
	days, _ := strconv.Atoi(v) // validated when stored
	return days, nil
}

// UnpaidCheck asks whether an order that has waited for its payment since Since is to be
// cancelled for non-payment now.
type UnpaidCheck struct {
	OrderID int64     `json:"order_id"`
	Since   time.Time `json:"since"`
}

// Unpaid answers an UnpaidCheck: the invoice as it is after the check, the setting as it is
// now, and whether the invoice was cancelled, in which case the order is to be closed.
type Unpaid struct {
	Invoice         Invoice `json:"invoice"`
	CancelAfterDays int     `json:"cancel_after_days"`
	Cancelled       bool    `json:"cancelled,omitempty"`
}

// CancelUnpaidInvoice decides, under the invoice's lock, whether an order's unpaid-cancel is
// still due: the setting as it is now (it may have been turned off or lengthened since the
// timer was armed) and the ledger (a payment may be in, its signal still on the way). If it
// is due, the invoice is cancelled at once, before the order's accounts are terminated: a
// payment that comes after lands on a Cancelled invoice, and the order waits for
// payment-review, rather than being paid while its accounts are terminated.
func (r *Records) CancelUnpaidInvoice(ctx context.Context, c UnpaidCheck) (Unpaid, error) {
	var u Unpaid
	err := r.inTx(ctx, func(q *db.Queries) error {
		inv, paid, err := lockInvoice(ctx, q, c.OrderID)
		if err != nil {
			return fault.Wrap(err, "lock the invoice of order %d", c.OrderID)
		}
		if u.CancelAfterDays, err = unpaidDays(ctx, q); err != nil {
			return err
		}
		u.Invoice = Invoice{Status: inv.Status, Paid: paid, Total: inv.Total}
		deadline := order.UnpaidDeadline(c.Since, u.CancelAfterDays)
		to := order.InvoiceOnClose(inv.Status, paid, inv.Total)
		if deadline.IsZero() || time.Now().Before(deadline) || to == inv.Status {
			return nil // not due, paid, or not Unpaid
		}
		u.Invoice.Status, u.Cancelled = to, true
		return fault.Wrap(q.SetInvoiceStatusByID(ctx, db.SetInvoiceStatusByIDParams{ID: inv.ID, NewStatus: to}),
			"cancel invoice %d", inv.ID)
	})
	return u, err
}
