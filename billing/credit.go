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
)

// A client's credit balance (WHMCS's Credit) is a ledger of its own, table credits: every row
// moves it once, and the balance in a currency is the sum of the client's rows in it, read
// under the client's row lock by every write that could take it below zero. Money moves
// between an invoice and credit in one transaction with the invoice's ledger row (gateway
// CreditGateway), so that an invoice's paid sum and the client's balance never disagree.

// CreditKind is what moved a client's credit.
type CreditKind string

// The kinds of credit rows.
const (
	CreditOverpayment CreditKind = "overpayment" // paid beyond an invoice's total
	CreditRefund      CreditKind = "refund"      // a payment refunded to credit
	CreditAdmin       CreditKind = "admin"       // an admin's Add Credit or Remove Credit
	CreditApplied     CreditKind = "applied"     // spent on an invoice (negative)
)

// CreditGateway is the gateway of the invoice ledger rows that move money between an invoice
// and the client's credit.
const CreditGateway = "credit"

// The refusals of credit, in WHMCS's words (its ApplyCredit's errors), followed in hostflow's
// answers by the amount that is available.
const (
	ReasonOverCredit   = "Amount exceeds customer credit balance"
	ReasonOverInvoice  = "Amount Exceeds Invoice Balance"
	ReasonNotUnpaid    = "Invoice Not in Unpaid Status"
	ReasonNoCredit     = "Credit Amount to apply must be greater than zero"
	ReasonNoSuchClient = "Client ID Not Found"
)

// creditLogLimit bounds the credit log a read returns: the newest rows.
const creditLogLimit = 500

// Credit is one row of a client's credit log.
type Credit struct {
	ID          int64
	ClientID    int64
	Currency    string
	Amount      int64 // minor units; negative takes credit away
	Kind        CreditKind
	Description string
	InvoiceID   int64 // 0 when no invoice
	Actor       order.Actor
	Date        time.Time
}

// CreditBalance is a client's credit in one currency.
type CreditBalance struct {
	Currency string
	Amount   int64
}

// ClientCredit is a client's credit: its balance in each currency it has had credit in, and the
// log, newest first.
type ClientCredit struct {
	ClientID int64
	Currency string // the client's own
	Balances []CreditBalance
	Log      []Credit
}

// Balance is the credit in currency.
func (c ClientCredit) Balance(currency string) int64 {
	for _, b := range c.Balances {
		if b.Currency == currency {
			return b.Amount
		}
	}
	return 0
}

// CreditChange is an admin's Add Credit (a positive amount) or Remove Credit (negative).
type CreditChange struct {
	Amount      string `json:"amount"`   // decimal; a leading minus removes
	Currency    string `json:"currency"` // empty: the client's currency
	Description string `json:"description"`
	// Key makes a retried request a no-op (the REST API's Idempotency-Key); empty: none.
	Key   string      `json:"-"`
	Actor order.Actor `json:"-"`
}

// CreditResult says what a change of credit did.
type CreditResult struct {
	ID        int64
	ClientID  int64
	Currency  string
	Amount    int64
	Balance   int64 // the balance after it
	Duplicate bool  // the same Key was recorded before: nothing changed
}

// ClientCredit reads a client's credit balances and log.
func (s *Billing) ClientCredit(ctx context.Context, clientID int64) (ClientCredit, error) {
	q := s.q()
	c, err := q.GetClient(ctx, clientID)
	if err != nil {
		return ClientCredit{}, fault.OrAbsent(err, ReasonNoSuchClient)
	}
	out := ClientCredit{ClientID: clientID, Currency: c.Currency}
	bals, err := q.CreditBalances(ctx, clientID)
	if err != nil {
		return ClientCredit{}, fault.Wrap(err, "read client %d's credit", clientID)
	}
	for _, b := range bals {
		out.Balances = append(out.Balances, CreditBalance{Currency: b.Currency, Amount: b.Balance})
	}
	rows, err := q.ListCredits(ctx, db.ListCreditsParams{ClientID: clientID, Lim: creditLogLimit})
	if err != nil {
		return ClientCredit{}, fault.Wrap(err, "list client %d's credit", clientID)
	}
	out.Log = dbtx.Views(rows, creditFrom)
	return out, nil
}

func creditFrom(r db.Credit) Credit {
	c := Credit{ID: r.ID, ClientID: r.ClientID, Currency: r.Currency, Amount: r.Amount, Kind: CreditKind(r.Kind),
		Description: r.Description, Actor: r.Actor, Date: r.CreatedAt.Time}
	if r.InvoiceID != nil {
		c.InvoiceID = *r.InvoiceID
	}
	return c
}

// CreditBalanceOf is a client's credit in one currency.
func (s *Billing) CreditBalanceOf(ctx context.Context, clientID int64, currency string) (int64, error) {
	n, err := s.q().CreditBalance(ctx, db.CreditBalanceParams{ClientID: clientID, Currency: currency})
	return n, fault.Wrap(err, "read client %d's credit", clientID)
}

// ChangeCredit adds credit to a client (a positive amount) or removes it (negative), with the
// admin's reason. Removing more than the balance is refused with the amount available.
func (s *Billing) ChangeCredit(ctx context.Context, clientID int64, c CreditChange) (CreditResult, error) {
	if err := input.Check(c); err != nil {
		return CreditResult{}, err
	}
	if strings.TrimSpace(c.Description) == "" {
		return CreditResult{}, fault.Invalidf("description", "is required")
	}
	var res CreditResult
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		cl, err := q.LockClientCredit(ctx, clientID)
		if err != nil {
			return fault.OrAbsent(err, ReasonNoSuchClient)
		}
		cur := strings.ToUpper(strings.TrimSpace(c.Currency))
		if cur == "" {
			cur = cl.Currency
		}
		if !money.ValidCurrency(cur) {
			return fault.Invalidf("currency", "%q is not an ISO 4217 currency code", c.Currency)
		}
		amount, err := signedAmount(c.Amount, cur)
		if err != nil {
			return err
		}
		balance, err := q.CreditBalance(ctx, db.CreditBalanceParams{ClientID: clientID, Currency: cur})
		if err != nil {
			return err
		}
		res = CreditResult{ClientID: clientID, Currency: cur, Amount: amount, Balance: balance}
		if amount < 0 && -amount > balance {
			return fault.Invalidf("amount", "%s: %s %s available", ReasonOverCredit, money.Format(max(balance, 0), cur), cur)
		}
		id, err := q.NextCreditID(ctx)
		if err != nil {
			return err
		}
		source := fmt.Sprintf("admin:%d", id)
		if c.Key != "" {
			source = fmt.Sprintf("admin:%d:key:%s", clientID, c.Key)
		}
		res.ID, err = q.InsertCredit(ctx, db.InsertCreditParams{ID: &id, ClientID: clientID, Currency: cur, Amount: amount,
			Kind: string(CreditAdmin), Description: strings.TrimSpace(c.Description), Source: source, Actor: c.Actor})
		if dbtx.IsNoRows(err) {
			res.Duplicate = true
			return nil
		}
		res.Balance += amount
		return err
	})
	if err != nil {
		return CreditResult{}, fault.Wrap(err, "change client %d's credit", clientID)
	}
	return res, nil
}

// signedAmount reads an admin's amount: a decimal in currency, a leading minus for a removal.
func signedAmount(s, currency string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fault.Invalidf("amount", "is required")
	}
	neg := strings.HasPrefix(s, "-")
	n, err := money.Parse(strings.TrimPrefix(s, "-"), currency)
	if err != nil {
		return 0, fault.Invalidf("amount", "%v", err)
	}
	if n == 0 {
		return 0, fault.Invalidf("amount", "must not be zero")
	}
	if neg {
		n = -n
	}
	return n, nil
}

// ApplyCredit pays an invoice from its client's credit: amount in the invoice's currency, or
// empty for as much as the credit and the invoice's balance allow. The credit row and the
// invoice's payment (gateway CreditGateway) are written in one transaction through apply, so an
// invoice paid in full by credit is Paid at once and its order's workflow hears it through the
// outbox as for any payment. More than the balance or than the invoice asks for is refused with
// the amount available.
func (s *Billing) ApplyCredit(ctx context.Context, invoiceID int64, amount string, actor order.Actor) (PaymentResult, error) {
	var res PaymentResult
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		// The invoice's lock first, then the client's: the order every credit write takes them in.
		inv, err := q.LockInvoice(ctx, invoiceID)
		if err != nil {
			return fault.OrAbsent(err, "Invoice ID Not Found")
		}
		if inv.Status != order.InvoiceUnpaid {
			return &fault.Error{Kind: fault.Conflict, Message: fmt.Sprintf("%s: invoice %d is %s", ReasonNotUnpaid, inv.ID, inv.Status)}
		}
		if _, err := q.LockClientCredit(ctx, inv.ClientID); err != nil {
			return fault.OrAbsent(err, ReasonNoSuchClient)
		}
		paid, err := q.InvoicePaidAmount(ctx, &inv.ID)
		if err != nil {
			return err
		}
		balance, err := q.CreditBalance(ctx, db.CreditBalanceParams{ClientID: inv.ClientID, Currency: inv.Currency})
		if err != nil {
			return err
		}
		n, err := creditToApply(amount, inv.Currency, balance, inv.Total-paid)
		if err != nil {
			return err
		}
		id, err := q.NextCreditID(ctx)
		if err != nil {
			return err
		}
		res, err = s.apply(ctx, q, entry{invoiceID: inv.ID, kind: gateway.Payment, gateway: CreditGateway,
			txnID: fmt.Sprintf("credit-%d", id), amount: n, actor: actor})
		if err != nil {
			return err
		}
		_, err = q.InsertCredit(ctx, db.InsertCreditParams{ID: &id, ClientID: inv.ClientID, Currency: inv.Currency, Amount: -n,
			Kind: string(CreditApplied), Description: fmt.Sprintf("Credit Applied to Invoice #%d", inv.ID), InvoiceID: &inv.ID,
			Source: fmt.Sprintf("applied:%d", id), Actor: actor})
		return err
	})
	if err != nil {
		return PaymentResult{}, fault.Wrap(err, "apply credit to invoice %d", invoiceID)
	}
	s.outbox.Kick()
	return res, nil
}

// creditToApply is how much credit to apply to an invoice: amount, or with amount empty as much
// as both the credit and the invoice's balance (due) allow. It refuses zero, more than the
// credit and more than the invoice asks for, naming what is available.
func creditToApply(amount, currency string, credit, due int64) (int64, error) {
	if strings.TrimSpace(amount) == "" {
		n := min(credit, due)
		if n <= 0 {
			return 0, fault.Invalidf("amount", "%s: %s %s of credit available, %s %s due", ReasonNoCredit,
				money.Format(max(credit, 0), currency), currency, money.Format(max(due, 0), currency), currency)
		}
		return n, nil
	}
	n, err := money.Parse(amount, currency)
	if err != nil {
		return 0, fault.Invalidf("amount", "%v", err)
	}
	switch {
	case n <= 0:
		return 0, fault.Invalidf("amount", "%s", ReasonNoCredit)
	case n > credit:
		return 0, fault.Invalidf("amount", "%s: %s %s available", ReasonOverCredit, money.Format(max(credit, 0), currency), currency)
	case n > due:
		return 0, fault.Invalidf("amount", "%s: %s %s due", ReasonOverInvoice, money.Format(max(due, 0), currency), currency)
	}
	return n, nil
}

// RefundToCredit gives a payment on an invoice back as credit instead of money: in one
// transaction, a refund on the invoice's ledger (gateway CreditGateway, its transaction id
// "credit-refund-<credit row id>", its parent the payment's transaction id) through apply, so
// the invoice and its order's workflow follow as for any refund, and a credit row of the same
// amount. An empty amount refunds what is left of the payment. An unknown transaction, zero,
// or more than is left of the payment (its amount less what was refunded or moved to credit
// from it) is refused, naming what is left.
func (s *Billing) RefundToCredit(ctx context.Context, invoiceID int64, transactionID string, amount string, actor order.Actor) (PaymentResult, error) {
	transactionID = strings.TrimSpace(transactionID)
	if transactionID == "" {
		return PaymentResult{}, fault.Invalidf("transaction_id", "is required")
	}
	var res PaymentResult
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		inv, err := q.LockInvoice(ctx, invoiceID)
		if err != nil {
			return fault.OrAbsent(err, "Invoice ID Not Found")
		}
		pay, n, err := refundAmount(ctx, q, inv, transactionID, amount)
		if err != nil {
			return err
		}
		id, err := q.NextCreditID(ctx)
		if err != nil {
			return err
		}
		res, err = s.apply(ctx, q, entry{invoiceID: inv.ID, kind: gateway.Refund, gateway: CreditGateway,
			txnID: fmt.Sprintf("credit-refund-%d", id), parentID: pay.TransactionID, amount: n, actor: actor})
		if err != nil {
			return err
		}
		_, err = q.InsertCredit(ctx, db.InsertCreditParams{ID: &id, ClientID: inv.ClientID, Currency: inv.Currency, Amount: n,
			Kind: string(CreditRefund), Description: fmt.Sprintf("Refund of Invoice #%d payment %s to credit", inv.ID, transactionID),
			InvoiceID: &inv.ID, Source: fmt.Sprintf("refund:%d", id), Actor: actor})
		return err
	})
	if err != nil {
		return PaymentResult{}, fault.Wrap(err, "refund invoice %d's payment %s to credit", invoiceID, transactionID)
	}
	s.outbox.Kick()
	return res, nil
}

// creditOverpayment moves what a payment paid beyond its invoice's total to the client's
// credit, inside apply's transaction: a refund row on the invoice (gateway CreditGateway, its
// parent the payment) takes the excess back out, so the invoice's paid sum is its total, and a
// credit row adds it to the client's balance. Both are keyed by the payment's ledger position,
// and a redelivered payment never gets this far (apply answers it as a duplicate first).
func creditOverpayment(ctx context.Context, q *db.Queries, inv db.Invoice, e entry, seq, excess int64) error {
	date := e.date
	if date.IsZero() {
		date = time.Now()
	}
	_, err := q.InsertTransaction(ctx, db.InsertTransactionParams{InvoiceID: &inv.ID, Gateway: CreditGateway, Type: gateway.Refund,
		TransactionID: fmt.Sprintf("overpayment-%d", seq), ParentID: e.txnID, Amount: -excess, Currency: inv.Currency,
		PaidAt: dbtx.Timestamptz(date)})
	if err != nil {
		return fault.Wrap(err, "take invoice %d's overpayment out", inv.ID)
	}
	_, err = q.InsertCredit(ctx, db.InsertCreditParams{ClientID: inv.ClientID, Currency: inv.Currency, Amount: excess,
		Kind: string(CreditOverpayment), Description: fmt.Sprintf("Overpayment of Invoice #%d (%s via %s)", inv.ID, e.txnID, e.gateway),
		InvoiceID: &inv.ID, Source: fmt.Sprintf("overpayment:%d", seq), Actor: e.actor})
	if dbtx.IsNoRows(err) {
		err = nil
	}
	return fault.Wrap(err, "credit invoice %d's overpayment", inv.ID)
}

// takeBackOverpayment undoes, for a refund that leaves its invoice short of its total, what
// the invoice's overpayments moved to credit: that money was paid for this invoice, and a
// refund gives back one of its payments, not the credit too. So a customer who paid twice and
// was refunded once keeps a Paid invoice and no credit, and only once all that was paid is
// refunded is the invoice Refunded. It takes back at most short, what the overpayments put in
// credit and not yet taken back, and the client's balance (what is left of it after spending),
// under the client's lock, after the invoice's like every credit write; and answers how much.
func takeBackOverpayment(ctx context.Context, q *db.Queries, inv db.Invoice, e entry, seq, short int64) (int64, error) {
	outstanding, err := q.InvoiceOverpaymentCredit(ctx, &inv.ID)
	if err != nil || outstanding <= 0 {
		return 0, fault.Wrap(err, "read invoice %d's overpayment credit", inv.ID)
	}
	if e.parentID != "" {
		// The refunded payment's own overpayment is not taken back: what is refundable of it
		// already leaves out what it put in credit.
		own, err := q.PaymentOverpaymentCredit(ctx, db.PaymentOverpaymentCreditParams{InvoiceID: &inv.ID, PaymentID: e.parentID})
		if err != nil {
			return 0, fault.Wrap(err, "read payment %s's overpayment credit", e.parentID)
		}
		if outstanding -= own; outstanding <= 0 {
			return 0, nil
		}
	}
	if _, err := q.LockClientCredit(ctx, inv.ClientID); err != nil {
		return 0, fault.Wrap(err, "lock client %d's credit", inv.ClientID)
	}
	balance, err := q.CreditBalance(ctx, db.CreditBalanceParams{ClientID: inv.ClientID, Currency: inv.Currency})
	if err != nil {
		return 0, fault.Wrap(err, "read client %d's credit", inv.ClientID)
	}
	back := min(short, outstanding, balance)
	if back <= 0 {
		return 0, nil
	}
	date := e.date
	if date.IsZero() {
		date = time.Now()
	}
	if _, err := q.InsertTransaction(ctx, db.InsertTransactionParams{InvoiceID: &inv.ID, Gateway: CreditGateway, Type: gateway.Payment,
		TransactionID: fmt.Sprintf("overpayment-back-%d", seq), ParentID: e.txnID, Amount: back, Currency: inv.Currency,
		PaidAt: dbtx.Timestamptz(date)}); err != nil {
		return 0, fault.Wrap(err, "put invoice %d's overpayment back", inv.ID)
	}
	_, err = q.InsertCredit(ctx, db.InsertCreditParams{ClientID: inv.ClientID, Currency: inv.Currency, Amount: -back,
		Kind: string(CreditOverpayment), Description: fmt.Sprintf("Overpayment of Invoice #%d taken back for refund %s", inv.ID, e.txnID),
		InvoiceID: &inv.ID, Source: fmt.Sprintf("overpayment-back:%d", seq), Actor: e.actor})
	return back, fault.Wrap(err, "take back invoice %d's overpayment credit", inv.ID)
}
