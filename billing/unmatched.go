package billing

import (
	"context"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/gateway"
)

// UnmatchedPayment is money a gateway reported that matches no invoice: an unknown or deleted
// invoice, another currency than the invoice's, or a refund of a payment hostflow does not
// hold. The gateway was answered as received; it is here for an admin to refund or apply.
type UnmatchedPayment struct {
	ID            int64
	Gateway       string
	EventID       string // the first event that reported it
	Kind          string // gateway.Payment or gateway.Refund
	TransactionID string
	ParentID      string // the payment a refund returns, where the gateway says
	InvoiceID     int64  // as the gateway gave it; 0 if none
	Amount        int64  // minor units of Currency; for a Stripe refund, the total refunded so far
	Currency      string
	Reason        string
	ReceivedAt    time.Time
}

func unmatchedFrom(u db.UnmatchedPayment) UnmatchedPayment {
	out := UnmatchedPayment{ID: u.ID, Gateway: u.Gateway, EventID: u.EventID, Kind: u.Kind, TransactionID: u.TransactionID,
		ParentID: u.ParentID, Amount: u.Amount, Currency: u.Currency, Reason: u.Reason, ReceivedAt: u.ReceivedAt.Time}
	if u.InvoiceID != nil {
		out.InvoiceID = *u.InvoiceID
	}
	return out
}

// keepUnmatched records a gateway event's money that matches no invoice, inside the caller's
// transaction, once per gateway transaction: the pair of Stripe events about one payment
// leaves one row.
func (s *Billing) keepUnmatched(ctx context.Context, q *db.Queries, ev gateway.Event, reason string) (PaymentResult, error) {
	if ev.CumulativeRefund {
		reason += "; the amount is the total refunded so far"
	}
	var invoiceID *int64
	if ev.InvoiceID != 0 {
		invoiceID = &ev.InvoiceID
	}
	_, err := q.InsertUnmatchedPayment(ctx, db.InsertUnmatchedPaymentParams{Gateway: ev.Gateway, EventID: ev.ID, Kind: ev.Kind,
		TransactionID: ev.TransactionID, ParentID: ev.ParentID, InvoiceID: invoiceID, Amount: ev.Amount, Currency: ev.Currency,
		Reason: reason})
	res := PaymentResult{InvoiceID: ev.InvoiceID, TransactionID: ev.TransactionID, Amount: ev.Amount, Currency: ev.Currency,
		Unmatched: reason, Duplicate: dbtx.IsNoRows(err)}
	if err != nil && !res.Duplicate {
		return PaymentResult{}, err
	}
	return res, nil
}

// UnmatchedFilter selects a page of unmatched payments.
type UnmatchedFilter struct {
	Limit  int32
	Cursor int64 // the last id of the previous page
}

// UnmatchedPayments returns a page of unmatched payments, newest first.
func (s *Billing) UnmatchedPayments(ctx context.Context, f UnmatchedFilter) ([]UnmatchedPayment, error) {
	rows, err := s.q().ListUnmatchedPayments(ctx, db.ListUnmatchedPaymentsParams{Cursor: f.Cursor, Lim: f.Limit})
	return dbtx.Views(rows, unmatchedFrom), fault.Wrap(err, "list unmatched payments")
}
