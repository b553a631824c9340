package billing

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/outbox"
	"github.com/hostflow/hostflow/workflows/ordermsg"
)

// Payment is money an admin records against an invoice.
type Payment struct {
	Amount        string      `json:"amount"` // decimal; empty pays the balance
	TransactionID string      `json:"transaction_id"`
	Gateway       string      `json:"gateway"`
	Date          time.Time   `json:"date"`
	Actor         order.Actor `json:"-"`
}

// PaymentResult says what a payment or refund did.
type PaymentResult struct {
	InvoiceID     int64
	OrderID       int64
	TransactionID string
	Amount        int64
	Currency      string
	Status        order.InvoiceStatus // the invoice's status after it
	Balance       int64               // what is left to pay; negative if overpaid
	// Credited is what the payment paid beyond the invoice's total: moved to the client's
	// credit in the same transaction, so Balance is then 0.
	Credited  int64
	Duplicate bool // already recorded: nothing changed
	// Unmatched says why a gateway's money matched no invoice: it was kept in
	// unmatched_payments instead (UnmatchedPayments), and the invoice is untouched.
	Unmatched string
}

// AddPayment records a payment an admin entered. It takes the same path as a gateway's: the
// transaction id is unique per gateway, so a double click changes nothing.
func (s *Billing) AddPayment(ctx context.Context, invoiceID int64, p Payment) (PaymentResult, error) {
	return s.addEntry(ctx, invoiceID, gateway.Payment, p)
}

// AddRefund records money an admin gave back outside hostflow (WHMCS's "Manual Refund": a
// bank transfer back, a cheque), so that the ledger, the invoice and the order's workflow know
// it: an empty amount refunds all that was paid, and no more than that can be refunded.
func (s *Billing) AddRefund(ctx context.Context, invoiceID int64, p Payment) (PaymentResult, error) {
	return s.addEntry(ctx, invoiceID, gateway.Refund, p)
}

// addEntry records a payment or refund an admin entered.
func (s *Billing) addEntry(ctx context.Context, invoiceID int64, kind string, p Payment) (PaymentResult, error) {
	if err := input.Check(p); err != nil {
		return PaymentResult{}, err
	}
	e := entry{invoiceID: invoiceID, kind: kind, gateway: strings.TrimSpace(p.Gateway),
		txnID: strings.TrimSpace(p.TransactionID), decimal: p.Amount, date: p.Date, actor: p.Actor}
	if e.gateway == "" {
		e.gateway = "manual"
	}
	if e.txnID == "" {
		return PaymentResult{}, fault.Invalidf("transaction_id", "is required")
	}
	var res PaymentResult
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) (err error) {
		res, err = s.apply(ctx, q, e)
		return err
	})
	if err != nil {
		return PaymentResult{}, fault.Wrap(err, "add %s to invoice %d", kind, invoiceID)
	}
	s.outbox.Kick()
	return res, nil
}

// entry is one line for an invoice's ledger.
type entry struct {
	invoiceID int64
	kind      string // gateway.Payment or gateway.Refund
	gateway   string
	txnID     string
	parentID  string
	amount    int64  // minor units; 0 with decimal empty pays the balance
	decimal   string // the amount as an admin typed it, in the invoice's currency
	currency  string // when set, must be the invoice's
	date      time.Time
	actor     order.Actor
	// captured: the gateway already has the money, so the payment is recorded whatever the
	// invoice's state. An admin cannot pay a Cancelled invoice; a client's card can.
	captured bool
}

// apply writes one ledger entry inside the caller's transaction and moves the invoice: Paid
// once fully paid, Refunded once fully refunded. The order's workflow learns of either through
// the outbox, committed with the change.
func (s *Billing) apply(ctx context.Context, q *db.Queries, e entry) (PaymentResult, error) {
	inv, err := q.LockInvoice(ctx, e.invoiceID)
	if err != nil {
		return PaymentResult{}, fault.OrAbsent(err, "Invoice ID Not Found")
	}
	paid, err := q.InvoicePaidAmount(ctx, &inv.ID)
	if err != nil {
		return PaymentResult{}, err
	}
	res := PaymentResult{InvoiceID: inv.ID, OrderID: inv.OrderID, TransactionID: e.txnID, Currency: inv.Currency,
		Status: inv.Status, Balance: inv.Total - paid}
	if prev, err := q.GetTransaction(ctx, db.GetTransactionParams{Gateway: e.gateway, Type: e.kind, TransactionID: e.txnID}); err == nil {
		res.Amount, res.Duplicate = abs(prev.Amount), true
		return res, nil
	} else if !dbtx.IsNoRows(err) {
		return PaymentResult{}, err
	}
	if e.currency != "" && e.currency != inv.Currency {
		return PaymentResult{}, fault.Invalidf("currency", "is %s, but invoice %d is in %s", e.currency, inv.ID, inv.Currency)
	}
	if e.kind == gateway.Payment && inv.Status == order.InvoiceCancelled && !e.captured {
		return PaymentResult{}, &fault.Error{Kind: fault.Conflict, Message: "It is not possible to add a payment to an invoice that is Cancelled"}
	}
	// A Refunded invoice is paid like an Unpaid one while its order is open. Its order may be
	// closed, too (paid, cancelled, then refunded): then it is treated like a Cancelled one.
	// The order's status is read under the invoice's lock, which its close or reopen takes too.
	closedRefunded := false
	if inv.Status == order.InvoiceRefunded && e.kind == gateway.Payment {
		o, err := q.GetOrder(ctx, inv.OrderID)
		if err != nil {
			return PaymentResult{}, err
		}
		closedRefunded = o.Status == order.Cancelled || o.Status == order.Fraud
		if closedRefunded && !e.captured {
			return PaymentResult{}, &fault.Error{Kind: fault.Conflict, Message: fmt.Sprintf(
				"It is not possible to add a payment to the Refunded invoice of an order that is %s: set the order back to Pending first", o.Status)}
		}
	}
	amount := e.amount
	if e.decimal != "" {
		if amount, err = money.Parse(e.decimal, inv.Currency); err != nil {
			return PaymentResult{}, fault.Invalidf("amount", "%v", err)
		}
	} else if amount == 0 && e.kind == gateway.Payment {
		amount = inv.Total - paid
	} else if amount == 0 {
		amount = paid // a refund of all that was paid
	}
	if amount <= 0 {
		return PaymentResult{}, fault.Invalidf("amount", "must be more than zero")
	}
	if e.kind == gateway.Refund && !e.captured {
		// A gateway's refund already happened and is recorded whatever it says; an admin's
		// cannot give back more than the ledger holds, less what gateways are still refunding.
		pending, err := q.PendingRefunds(ctx, db.PendingRefundsParams{InvoiceID: inv.ID})
		if err != nil {
			return PaymentResult{}, err
		}
		if held := paid - pending.Invoice; amount > held {
			return PaymentResult{}, fault.Invalidf("amount", "is more than the %s %s paid on invoice %d", money.Format(max(held, 0), inv.Currency), inv.Currency, inv.ID)
		}
	}
	res.Amount = amount
	signed := amount
	if e.kind == gateway.Refund {
		signed = -amount
	}
	date := e.date
	if date.IsZero() {
		date = time.Now()
	}
	seq, err := q.InsertTransaction(ctx, db.InsertTransactionParams{InvoiceID: &inv.ID, Gateway: e.gateway, Type: e.kind,
		TransactionID: e.txnID, ParentID: e.parentID, Amount: signed, Currency: inv.Currency, PaidAt: dbtx.Timestamptz(date)})
	if dbtx.IsNoRows(err) { // a concurrent twin won the unique key
		res.Duplicate = true
		return res, nil
	}
	if err != nil {
		return PaymentResult{}, err
	}
	paid += signed
	if e.kind == gateway.Refund && e.gateway != CreditGateway && paid < inv.Total {
		back, err := takeBackOverpayment(ctx, q, inv, e, seq, inv.Total-paid)
		if err != nil {
			return PaymentResult{}, err
		}
		paid += back
	}
	res.Balance = inv.Total - paid

	// The facts the order's workflow hears, each with its ledger position (seq, the new
	// transaction's id): under the invoice lock, a later fact always has a larger one.
	var signal string
	var payload any
	switch {
	case e.kind == gateway.Payment && (inv.Status == order.InvoiceCancelled || closedRefunded):
		// Captured money on a Cancelled invoice (its order was cancelled or marked fraud), or on
		// the Refunded invoice of a closed order: the invoice keeps its status, and the order
		// waits for an admin to refund it or reopen it, paid in full or not.
		signal = ordermsg.SignalPaymentReceived
		payload = ordermsg.PaymentReceived{InvoiceID: inv.ID, Gateway: e.gateway, TransactionID: e.txnID, Seq: seq, Review: true}
	case e.kind == gateway.Payment && paid >= inv.Total && (inv.Status == order.InvoiceUnpaid || inv.Status == order.InvoiceRefunded):
		// Paid, or paid again after a full refund.
		res.Status, signal = order.InvoicePaid, ordermsg.SignalPaymentReceived
		payload = ordermsg.PaymentReceived{InvoiceID: inv.ID, Gateway: e.gateway, TransactionID: e.txnID, Seq: seq}
	case e.kind == gateway.Payment && inv.Status == order.InvoiceRefunded:
		// A part payment after a full refund: money is due again. The order's workflow, which
		// still believes Refunded, hears it too: it reads the invoice back and waits for payment
		// (and its unpaid timer) again.
		res.Status, signal = order.InvoiceUnpaid, ordermsg.SignalPaymentReceived
		payload = ordermsg.PaymentReceived{InvoiceID: inv.ID, Gateway: e.gateway, TransactionID: e.txnID, Seq: seq}
	case e.kind == gateway.Refund && paid <= 0 && inv.Status == order.InvoicePaid:
		res.Status, signal = order.InvoiceRefunded, ordermsg.SignalPaymentRefunded
		payload = ordermsg.PaymentRefunded{InvoiceID: inv.ID, Gateway: e.gateway, TransactionID: e.txnID, Seq: seq}
	case e.kind == gateway.Refund && paid <= 0 && (inv.Status == order.InvoiceCancelled || inv.Status == order.InvoiceRefunded):
		// The money of a closed order all given back (also money captured on the Refunded
		// invoice of a closed order): the invoice keeps its status, and the order, if it waits
		// for payment-review, has its answer.
		signal = ordermsg.SignalPaymentRefunded
		payload = ordermsg.PaymentRefunded{InvoiceID: inv.ID, Gateway: e.gateway, TransactionID: e.txnID, Seq: seq}
	}
	// Money beyond a Paid invoice's total is the client's credit (WHMCS's overpayment), never
	// kept silently on the invoice. Money on a closed order's invoice stays for the admin's review.
	if e.kind == gateway.Payment && res.Status == order.InvoicePaid && paid > inv.Total {
		res.Credited = min(paid-inv.Total, amount)
		if err := creditOverpayment(ctx, q, inv, e, seq, res.Credited); err != nil {
			return PaymentResult{}, err
		}
		paid -= res.Credited
		res.Balance = inv.Total - paid
	}
	if res.Status != inv.Status {
		if err := q.SetInvoiceStatusByID(ctx, db.SetInvoiceStatusByIDParams{ID: inv.ID, NewStatus: res.Status}); err != nil {
			return PaymentResult{}, err
		}
	}
	if err := numberIfPaid(ctx, q, inv, res.Status); err != nil {
		return PaymentResult{}, err
	}
	if signal != "" {
		if err := outbox.Enqueue(ctx, q, inv.OrderID, signal, payload); err != nil {
			return PaymentResult{}, err
		}
	}
	return res, q.InsertEvent(ctx, db.InsertEventParams{OrderID: inv.OrderID, Key: e.kind + ":" + e.gateway + ":" + e.txnID,
		Actor: e.actor, Action: e.kind, FromStatus: string(inv.Status), ToStatus: string(res.Status), Detail: e.describe(res, inv)})
}

func (e entry) describe(res PaymentResult, inv db.Invoice) string {
	d := fmt.Sprintf("%s %s %s via %s", e.txnID, money.Format(res.Amount, inv.Currency), inv.Currency, e.gateway)
	switch {
	case e.kind == gateway.Payment && inv.Status == order.InvoiceCancelled:
		d += "; received on a Cancelled invoice: refund it or set the order back to Pending"
	case e.kind == gateway.Payment && inv.Status == order.InvoiceRefunded && res.Status == order.InvoiceRefunded:
		d += "; received on the Refunded invoice of a closed order: refund it or set the order back to Pending"
	case res.Credited > 0:
		d += fmt.Sprintf("; overpaid by %s, moved to the client's credit", money.Format(res.Credited, inv.Currency))
	case res.Balance < 0:
		d += fmt.Sprintf("; overpaid by %s", money.Format(-res.Balance, inv.Currency))
	case res.Balance > 0 && res.Status == order.InvoiceUnpaid:
		d += fmt.Sprintf("; %s still due", money.Format(res.Balance, inv.Currency))
	}
	return d
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
