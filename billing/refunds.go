package billing

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/gateway"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
)

// RefundMethod is how a refund gives money back: WHMCS's Refund Type.
type RefundMethod string

// Refund methods.
const (
	// RefundGateway sends the refund through the gateway that took the payment (Stripe),
	// as a step of the order's workflow.
	RefundGateway RefundMethod = "gateway"
	// RefundManual records money the admin gave back outside hostflow (a bank transfer).
	RefundManual RefundMethod = "manual"
	// RefundCredit adds the money to the client's credit balance.
	RefundCredit RefundMethod = "credit"
)

// RefundChoice is a refund method with WHMCS's label for it.
type RefundChoice struct {
	Method RefundMethod
	Label  string
}

// RefundMethods are the methods with WHMCS's labels, in the order the console offers them.
var RefundMethods = []RefundChoice{
	{RefundGateway, "Refund through Gateway"},
	{RefundManual, "Manual Refund Processed Externally"},
	{RefundCredit, "Add to Client's Credit Balance"},
}

// Refund is an admin's refund of one payment of an invoice (REST POST
// /invoices/{id}/refunds, the console's Refund form).
type Refund struct {
	// TransactionID is the payment given back, as the invoice's transactions list it.
	TransactionID string       `json:"transaction_id" input:"max=255"`
	Amount        string       `json:"amount"` // decimal; empty gives back all that is left of the payment
	Method        RefundMethod `json:"method"`
	// RefundTransactionID is a manual refund's own reference (the bank's, a cheque number):
	// the same reference twice records one refund. Empty makes one up.
	RefundTransactionID string      `json:"refund_transaction_id" input:"max=255"`
	Date                time.Time   `json:"date"`
	Actor               order.Actor `json:"-"`
}

// Check refuses a refund that names no payment or no known method.
func (r Refund) Check() error {
	if err := input.Check(r); err != nil {
		return err
	}
	if strings.TrimSpace(r.TransactionID) == "" {
		return fault.Invalidf("transaction_id", "is required: the transaction id of the payment to refund")
	}
	if !slices.ContainsFunc(RefundMethods, func(c RefundChoice) bool { return c.Method == r.Method }) {
		return fault.Invalidf("method", "must be gateway, manual or credit")
	}
	return nil
}

// RefundablePayment is a payment of an invoice and what is left to give back of it.
type RefundablePayment struct {
	Transaction
	Left int64 // minor units: the payment less what was refunded of it or is being refunded
	// ThroughGateway says its gateway refunds through hostflow (RefundGateway).
	ThroughGateway bool
}

// RefundablePayments lists an invoice's payments with what is left to refund of each.
func (s *Billing) RefundablePayments(ctx context.Context, invoiceID int64) ([]RefundablePayment, error) {
	var out []RefundablePayment
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		inv, err := q.GetInvoice(ctx, invoiceID)
		if err != nil {
			return fault.OrAbsent(err, "Invoice ID Not Found")
		}
		txns, err := q.ListTransactions(ctx, &inv.ID)
		if err != nil {
			return err
		}
		for _, t := range txns {
			if t.Type != gateway.Payment {
				continue
			}
			left, err := refundable(ctx, q, inv, t)
			if err != nil {
				return err
			}
			out = append(out, RefundablePayment{Transaction: Transaction{ID: t.ID, Type: t.Type, Gateway: t.Gateway,
				TransactionID: t.TransactionID, Amount: t.Amount, Currency: t.Currency, Date: t.PaidAt.Time},
				Left: left, ThroughGateway: gateway.Refunds(t.Gateway)})
		}
		return nil
	})
	return out, fault.Wrap(err, "list the refundable payments of invoice %d", invoiceID)
}

// refundable is what is left to give back of one payment: its amount less what the ledger
// gave back of it and what gateways are still refunding of it, and never more than the
// invoice holds (a refund recorded without naming its payment, WHMCS's AddTransaction
// amountout, counts against the invoice only).
func refundable(ctx context.Context, q *db.Queries, inv db.Invoice, pay db.Transaction) (int64, error) {
	given, err := q.RefundedOfPayment(ctx, db.RefundedOfPaymentParams{InvoiceID: &inv.ID, PaymentID: pay.TransactionID})
	if err != nil {
		return 0, err
	}
	pending, err := q.PendingRefunds(ctx, db.PendingRefundsParams{InvoiceID: inv.ID, PaymentID: pay.TransactionID})
	if err != nil {
		return 0, err
	}
	held, err := q.InvoicePaidAmount(ctx, &inv.ID)
	if err != nil {
		return 0, err
	}
	return max(0, min(pay.Amount-given-pending.Payment, held-pending.Invoice)), nil
}

// refundAmount finds the payment a refund names on a locked invoice and the amount to give
// back of it: the refund's own, or all that is left. It refuses an unknown payment, an amount
// that is not more than zero, and more than is left, naming what is.
func refundAmount(ctx context.Context, q *db.Queries, inv db.Invoice, txnID, decimal string) (db.Transaction, int64, error) {
	pay, err := q.InvoicePayment(ctx, db.InvoicePaymentParams{InvoiceID: &inv.ID, TransactionID: strings.TrimSpace(txnID)})
	if dbtx.IsNoRows(err) {
		return db.Transaction{}, 0, fault.Invalidf("transaction_id", "invoice %d has no payment %q", inv.ID, txnID)
	}
	if err != nil {
		return db.Transaction{}, 0, err
	}
	left, err := refundable(ctx, q, inv, pay)
	if err != nil {
		return db.Transaction{}, 0, err
	}
	amount := left
	if strings.TrimSpace(decimal) != "" {
		if amount, err = money.Parse(decimal, inv.Currency); err != nil {
			return db.Transaction{}, 0, fault.Invalidf("amount", "%v", err)
		}
		if amount <= 0 {
			return db.Transaction{}, 0, fault.Invalidf("amount", "must be more than zero")
		}
	}
	switch {
	case left == 0:
		return db.Transaction{}, 0, &fault.Error{Kind: fault.Conflict, Field: "transaction_id",
			Message: fmt.Sprintf("payment %s has nothing left to refund", pay.TransactionID)}
	case amount > left:
		return db.Transaction{}, 0, fault.Invalidf("amount", "is more than the %s %s left to refund of payment %s",
			money.Format(left, inv.Currency), inv.Currency, pay.TransactionID)
	}
	return pay, amount, nil
}

// RefundManually records money the admin gave back outside hostflow for one payment (WHMCS's
// "Manual Refund Processed Externally"): a refund on the ledger, of that payment, under the
// invoice's lock, so that two admins at once never give back more than was paid.
func (s *Billing) RefundManually(ctx context.Context, invoiceID int64, r Refund) (PaymentResult, error) {
	if err := r.Check(); err != nil {
		return PaymentResult{}, err
	}
	var res PaymentResult
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		inv, err := q.LockInvoice(ctx, invoiceID)
		if err != nil {
			return fault.OrAbsent(err, "Invoice ID Not Found")
		}
		ref := strings.TrimSpace(r.RefundTransactionID)
		if ref != "" { // the same reference again: the refund it recorded
			if prev, err := q.GetTransaction(ctx, db.GetTransactionParams{Gateway: ManualGateway, Type: gateway.Refund, TransactionID: ref}); err == nil {
				res = PaymentResult{InvoiceID: inv.ID, OrderID: inv.OrderID, TransactionID: ref, Amount: -prev.Amount,
					Currency: inv.Currency, Status: inv.Status, Duplicate: true}
				return nil
			}
		}
		pay, amount, err := refundAmount(ctx, q, inv, r.TransactionID, r.Amount)
		if err != nil {
			return err
		}
		if gateway.Refunds(pay.Gateway) {
			// Its gateway reports every refund of it (Stripe's charge.refunded, also one made
			// in its dashboard), which would record a refund written here a second time.
			return fault.Invalidf("method", "payment %s was taken by %s: refund it through the gateway (or in its dashboard, which reports it)",
				pay.TransactionID, pay.Gateway)
		}
		if ref == "" {
			given, err := q.RefundedOfPayment(ctx, db.RefundedOfPaymentParams{InvoiceID: &inv.ID, PaymentID: pay.TransactionID})
			if err != nil {
				return err
			}
			ref = fmt.Sprintf("%s-refund-%d", pay.TransactionID, given)
		}
		res, err = s.apply(ctx, q, entry{invoiceID: inv.ID, kind: gateway.Refund, gateway: ManualGateway, txnID: ref,
			parentID: pay.TransactionID, amount: amount, date: r.Date, actor: r.Actor})
		return err
	})
	if err != nil {
		return PaymentResult{}, fault.Wrap(err, "refund payment %s of invoice %d", r.TransactionID, invoiceID)
	}
	s.outbox.Kick()
	return res, nil
}

// ManualGateway is the gateway name of money an admin recorded by hand.
const ManualGateway = "manual"

// GatewayRefund asks for a refund of a payment through its gateway: the order's workflow
// reserves it (ReserveGatewayRefund), sends it, and records the gateway's answer.
type GatewayRefund struct {
	OrderID       int64 // the invoice must be this order's: a workflow refunds its own
	InvoiceID     int64
	TransactionID string // the payment
	Amount        string // decimal; empty refunds all that is left of the payment
	// Key names the request: the same key reserves the same refund.
	Key   string
	Actor order.Actor
}

// PendingRefund is a refund reserved for a gateway, as the refunds table holds it.
type PendingRefund struct {
	ID        int64
	InvoiceID int64
	Gateway   string
	PaymentID string // the payment's transaction id at the gateway
	Amount    int64
	Currency  string
	Status    string // pending, succeeded or failed
	RefundID  string // the gateway's id for it, once it answered
	Error     string
	Actor     order.Actor
}

// Refund statuses.
const (
	RefundPending   = "pending"
	RefundSucceeded = "succeeded"
	RefundFailed    = "failed"
)

func pendingFrom(r db.Refund) PendingRefund {
	return PendingRefund{ID: r.ID, InvoiceID: r.InvoiceID, Gateway: r.Gateway, PaymentID: r.PaymentID, Amount: r.Amount,
		Currency: r.Currency, Status: r.Status, RefundID: r.GatewayRefundID, Error: r.Error, Actor: r.Actor}
}

// ReserveGatewayRefund writes a refund to be sent through the payment's gateway, under the
// invoice's lock: from then on its amount is no longer refundable, so of two admins refunding
// one payment at once one wins and the other hears what is left. The same key answers the
// refund it reserved.
func (s *Billing) ReserveGatewayRefund(ctx context.Context, g GatewayRefund) (PendingRefund, error) {
	var out PendingRefund
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		if prev, err := q.RefundByKey(ctx, g.Key); err == nil {
			out = pendingFrom(prev)
			return nil
		} else if !dbtx.IsNoRows(err) {
			return err
		}
		inv, err := q.LockInvoice(ctx, g.InvoiceID)
		if err != nil {
			return fault.OrAbsent(err, "Invoice ID Not Found")
		}
		if prev, err := q.RefundByKey(ctx, g.Key); err == nil { // reserved by a twin while this waited for the lock
			out = pendingFrom(prev)
			return nil
		} else if !dbtx.IsNoRows(err) {
			return err
		}
		if inv.OrderID != g.OrderID {
			return fault.Invalidf("invoice_id", "invoice %d is not order %d's", inv.ID, g.OrderID)
		}
		pay, amount, err := refundAmount(ctx, q, inv, g.TransactionID, g.Amount)
		if err != nil {
			return err
		}
		if err := refundsThroughGateway(pay); err != nil {
			return err
		}
		row, err := q.InsertRefund(ctx, db.InsertRefundParams{InvoiceID: inv.ID, Gateway: pay.Gateway, PaymentID: pay.TransactionID,
			Amount: amount, Currency: inv.Currency, Actor: g.Actor, RequestKey: g.Key})
		if dbtx.IsNoRows(err) { // the same key, reserved meanwhile: that refund
			row, err = q.RefundByKey(ctx, g.Key)
		}
		if err != nil {
			return err
		}
		out = pendingFrom(row)
		return nil
	})
	return out, fault.Wrap(err, "reserve a refund of payment %s of invoice %d", g.TransactionID, g.InvoiceID)
}

// GetPendingRefund reads a reserved refund.
func (s *Billing) GetPendingRefund(ctx context.Context, id int64) (PendingRefund, error) {
	r, err := s.q().GetRefund(ctx, id)
	if err != nil {
		return PendingRefund{}, fault.Wrap(fault.OrAbsent(err, fmt.Sprintf("no refund %d", id)), "read refund %d", id)
	}
	return pendingFrom(r), nil
}

// RecordGatewayRefund writes what the gateway answered to a reserved refund: one refund on the
// ledger, of the payment, with the gateway's refund id, and the reservation done, in one
// transaction. Run again (a retried activity), it records nothing more. The gateway's own report
// of the refund (Stripe's charge.refunded) finds it on the ledger, or still reserved, and adds
// nothing either.
func (s *Billing) RecordGatewayRefund(ctx context.Context, id int64, refundID string) (PaymentResult, error) {
	var res PaymentResult
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		r, err := q.GetRefund(ctx, id)
		if err != nil {
			return fault.OrAbsent(err, fmt.Sprintf("no refund %d", id))
		}
		inv, err := q.LockInvoice(ctx, r.InvoiceID) // the invoice's lock first, as every money write
		if err != nil {
			return err
		}
		if r, err = q.LockRefund(ctx, id); err != nil {
			return err
		}
		switch r.Status {
		case RefundSucceeded:
			res = PaymentResult{InvoiceID: inv.ID, OrderID: inv.OrderID, TransactionID: r.GatewayRefundID, Amount: r.Amount,
				Currency: r.Currency, Status: inv.Status, Duplicate: true}
			return nil
		case RefundFailed:
			return &fault.Error{Kind: fault.Conflict, Message: fmt.Sprintf("refund %d failed: %s", id, r.Error)}
		}
		if res, err = s.apply(ctx, q, entry{invoiceID: inv.ID, kind: gateway.Refund, gateway: r.Gateway, txnID: refundID,
			parentID: r.PaymentID, amount: r.Amount, actor: r.Actor, captured: true}); err != nil {
			return err
		}
		return q.FinishRefund(ctx, db.FinishRefundParams{ID: id, Status: RefundSucceeded, GatewayRefundID: refundID})
	})
	if err != nil {
		return PaymentResult{}, fault.Wrap(err, "record refund %d", id)
	}
	s.outbox.Kick()
	return res, nil
}

// FailGatewayRefund gives a reserved refund up, with the gateway's reason: its amount is
// refundable again.
func (s *Billing) FailGatewayRefund(ctx context.Context, id int64, reason string) error {
	err := s.q().FinishRefund(ctx, db.FinishRefundParams{ID: id, Status: RefundFailed, Error: reason})
	return fault.Wrap(err, "fail refund %d", id)
}

// CheckGatewayRefund reads whether a refund through the gateway could be made now, without
// reserving it, so that the adapters refuse a bad one with the field at fault before the
// order's workflow is asked; the workflow's reservation decides, under the invoice's lock. It
// answers the invoice's order.
func (s *Billing) CheckGatewayRefund(ctx context.Context, invoiceID int64, r Refund) (orderID int64, err error) {
	if err := r.Check(); err != nil {
		return 0, err
	}
	err = dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		inv, err := q.GetInvoice(ctx, invoiceID)
		if err != nil {
			return fault.OrAbsent(err, "Invoice ID Not Found")
		}
		pay, _, err := refundAmount(ctx, q, inv, r.TransactionID, r.Amount)
		if err != nil {
			return err
		}
		if err := refundsThroughGateway(pay); err != nil {
			return err
		}
		orderID = inv.OrderID
		return nil
	})
	return orderID, err
}

// refundsThroughGateway refuses a gateway refund of a payment whose gateway cannot refund.
func refundsThroughGateway(pay db.Transaction) error {
	if gateway.Refunds(pay.Gateway) {
		return nil
	}
	return fault.Invalidf("method", "payment %s was taken by %s, which cannot refund through hostflow: record a manual refund or add it to the client's credit",
		pay.TransactionID, pay.Gateway)
}
