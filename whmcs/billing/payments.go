package billing

import (
	"context"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/whmcs/catalog"
	"github.com/hostflow/hostflow/whmcs/reads"
	"github.com/hostflow/hostflow/whmcs/wire"
)

// AddInvoicePayment takes the same path as every payment: the transaction id is unique per
// gateway, so a repeated call changes nothing.
func (a *Actions) AddInvoicePayment(ctx context.Context, p wire.Params) (wire.Reply, error) {
	id, err := p.Required("invoiceid", "Invoice ID Not Found")
	if err != nil {
		return nil, err
	}
	date, err := wire.ParseTime(p.Str("date"))
	if err != nil {
		return nil, err
	}
	pay := billing.Payment{Amount: p.Str("amount"), TransactionID: p.Str("transid"), Gateway: p.Str("gateway"), Date: date,
		Actor: order.WHMCSAPI}
	_, err = a.svc.AddPayment(ctx, id, pay)
	return nil, wire.InWHMCSWords(err, map[string]string{"transaction_id": "Transaction ID is required"})
}

// AddTransaction records a transaction as WHMCS's AddTransaction does. hostflow keeps money on
// invoices only, so a transaction must name one, and it is then a payment like any other: the
// same service path as AddInvoicePayment's. Unlike AddInvoicePayment, a transaction id already
// recorded is refused, as WHMCS refuses it.
func (a *Actions) AddTransaction(ctx context.Context, p wire.Params) (wire.Reply, error) {
	if p.Str("paymentmethod") == "" {
		return nil, wire.Fail("Payment Method is required")
	}
	invoiceID, err := p.Int("invoiceid")
	if err != nil {
		return nil, err
	}
	userID, err := p.Int("userid")
	if err != nil {
		return nil, err
	}
	switch {
	case p.Flag("credit"):
		return nil, wire.Fail("credit is not supported: hostflow records a transaction on an invoice; add credit with AddCredit")
	case invoiceID == 0:
		return nil, wire.Fail("invoiceid is required: hostflow records a transaction as a payment of an invoice")
	}
	in, out := p.Str("amountin"), p.Str("amountout")
	refund := strings.Trim(out, "0.") != ""
	switch {
	case refund && strings.Trim(in, "0.") != "":
		return nil, wire.Fail("amountin and amountout cannot both be set: a transaction is a payment or a refund")
	case !refund && in == "":
		return nil, wire.Fail("amountin is required")
	}
	if userID != 0 {
		if err := a.svc.InvoiceOfClient(ctx, invoiceID, userID); err != nil {
			return nil, wire.InWHMCSWords(err, map[string]string{"client_id": "Client ID Not Found"})
		}
	}
	date, err := wire.ParseTime(p.Str("date"))
	if err != nil {
		return nil, err
	}
	// A refund (amountout) is money given back outside hostflow, recorded against the invoice
	// (WHMCS's AddTransaction names no payment it refunds).
	add, amount := a.svc.AddPayment, in
	if refund {
		add, amount = a.svc.AddRefund, out
	}
	res, err := add(ctx, invoiceID, billing.Payment{Amount: amount, TransactionID: p.Str("transid"),
		Gateway: p.Str("paymentmethod"), Date: date, Actor: order.WHMCSAPI})
	if err != nil {
		words := map[string]string{"transaction_id": "Transaction ID is required"}
		if !refund { // a refund's "more than was paid" is said as billing says it
			words["amount"] = "amountin must be an amount more than zero"
		}
		return nil, wire.InWHMCSWords(err, words)
	}
	if res.Duplicate {
		return nil, wire.Fail("Transaction ID must be Unique")
	}
	return nil, nil
}

// GetTransactions serves GetTransactions.
func (a *Actions) GetTransactions(ctx context.Context, p wire.Params) (wire.Reply, error) {
	var f reads.TransactionFilter
	var err error
	if f.InvoiceID, err = p.Int("invoiceid"); err != nil {
		return nil, err
	}
	if f.ClientID, err = p.Int("clientid"); err != nil {
		return nil, err
	}
	f.TransactionID = p.Str("transid")
	rows, err := reads.Transactions(ctx, a.svc.Pool, f)
	if err != nil {
		return nil, err
	}
	currencies, err := catalog.Currencies(ctx, a.svc)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for _, t := range rows {
		cur := "0" // WHMCS's currency is 0 for a client's transaction: the client's currency
		if t.ClientID == 0 {
			cur = strconv.FormatInt(currencies.ID(t.Currency), 10)
		}
		list = append(list, map[string]any{"id": wire.ID(t.ID), "userid": wire.ID(t.ClientID), "currency": cur, "gateway": t.Gateway,
			"date": wire.Time(t.Date), "description": t.Description(), "amountin": money.Format(max(t.Amount, 0), t.Currency),
			"fees": "0.00", "amountout": money.Format(max(-t.Amount, 0), t.Currency), "rate": "1.00000", "transid": t.TransactionID,
			"invoiceid": wire.ID(t.InvoiceID), "refundid": "0"})
	}
	return wire.Reply{"totalresults": len(list), "startnumber": 0, "numreturned": len(list), "transactions": map[string]any{"transaction": list}}, nil
}
