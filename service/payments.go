package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/workflows"
)

// Payment is money received against an invoice.
type Payment struct {
	Amount        string    `json:"amount"` // decimal; empty pays the balance
	TransactionID string    `json:"transaction_id"`
	Gateway       string    `json:"gateway"`
	Date          time.Time `json:"date"`
	Actor         string    `json:"-"`
}

// PaymentResult says what a payment did.
type PaymentResult struct {
	InvoiceID     int64
	OrderID       int64
	TransactionID string
	Amount        int64
	Currency      string
	Status        string // the invoice's status after it
	Balance       int64  // what is left to pay; negative if overpaid
	Duplicate     bool   // this transaction was already recorded: nothing changed
}

// AddPayment records a payment exactly once: the gateway's transaction id is unique, so a
// redelivered callback or a double click changes nothing. When the invoice becomes fully paid,
// the order's workflow is told.
func (s *Service) AddPayment(ctx context.Context, invoiceID int64, p Payment) (PaymentResult, error) {
	if p.Gateway == "" {
		p.Gateway = "manual"
	}
	p.TransactionID = strings.TrimSpace(p.TransactionID)
	if p.TransactionID == "" {
		return PaymentResult{}, invalid("transaction_id", "is required")
	}
	if p.Date.IsZero() {
		p.Date = time.Now()
	}
	var res PaymentResult
	becamePaid := false
	err := s.inTx(ctx, func(q *db.Queries) error {
		inv, err := q.LockInvoice(ctx, invoiceID)
		if err != nil {
			return orNotFound(err, "Invoice ID Not Found")
		}
		if inv.Status == order.InvoiceCancelled {
			return &Error{Kind: Conflict, Message: "It is not possible to add a payment to an invoice that is Cancelled"}
		}
		paid, err := q.InvoicePaidAmount(ctx, &inv.ID)
		if err != nil {
			return err
		}
		if prev, err := q.GetTransaction(ctx, db.GetTransactionParams{Gateway: p.Gateway, TransactionID: p.TransactionID}); err == nil {
			res = PaymentResult{InvoiceID: inv.ID, OrderID: inv.OrderID, TransactionID: p.TransactionID, Amount: prev.Amount,
				Currency: prev.Currency, Status: inv.Status, Balance: inv.Total - paid, Duplicate: true}
			return nil
		} else if !isNoRows(err) {
			return err
		}
		amount := inv.Total - paid
		if p.Amount != "" {
			if amount, err = money.Parse(p.Amount, inv.Currency); err != nil {
				return invalid("amount", "%v", err)
			}
		}
		if amount <= 0 {
			return invalid("amount", "must be more than zero")
		}
		res = PaymentResult{InvoiceID: inv.ID, OrderID: inv.OrderID, TransactionID: p.TransactionID, Amount: amount, Currency: inv.Currency}
		_, err = q.InsertTransaction(ctx, db.InsertTransactionParams{InvoiceID: &inv.ID, Gateway: p.Gateway,
			TransactionID: p.TransactionID, Amount: amount, Currency: inv.Currency, PaidAt: timestamptz(p.Date)})
		if isNoRows(err) {
			res.Duplicate, res.Status, res.Balance = true, inv.Status, inv.Total-paid
			return nil
		}
		if err != nil {
			return err
		}
		paid += amount
		res.Status, res.Balance = inv.Status, inv.Total-paid
		if paid >= inv.Total && inv.Status == order.InvoiceUnpaid {
			if err := q.MarkInvoicePaid(ctx, inv.ID); err != nil {
				return err
			}
			res.Status, becamePaid = order.InvoicePaid, true
		}
		detail := fmt.Sprintf("%s %s %s via %s, invoice %s", p.TransactionID, money.Format(amount, inv.Currency), inv.Currency, p.Gateway, res.Status)
		return q.InsertEvent(ctx, db.InsertEventParams{OrderID: inv.OrderID, Key: "txn:" + p.Gateway + ":" + p.TransactionID,
			Actor: p.Actor, Action: "payment", FromStatus: inv.Status, ToStatus: res.Status, Detail: detail})
	})
	if err != nil {
		return PaymentResult{}, wrap(err, fmt.Sprintf("add payment to invoice %d", invoiceID))
	}
	if becamePaid {
		s.signalPaid(ctx, res, p.Gateway)
	}
	return res, nil
}

// signalPaid tells the order's workflow its invoice is paid. The payment is already committed,
// so a failure here is logged, not returned.
func (s *Service) signalPaid(ctx context.Context, res PaymentResult, gateway string) {
	err := s.Temporal.SignalWorkflow(ctx, workflows.WorkflowID(res.OrderID), "", workflows.SignalPaymentReceived,
		workflows.PaymentReceived{InvoiceID: res.InvoiceID, Gateway: gateway, TransactionID: res.TransactionID})
	if err != nil {
		s.Log.Error("Paid invoice not signalled to its order", zap.Int64("order_id", res.OrderID), zap.Int64("invoice_id", res.InvoiceID), zap.Error(err))
	}
}
