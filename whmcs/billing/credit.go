package billing

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/whmcs/wire"
)

// AddCredit serves AddCredit: type add (the default) or remove, in the client's currency, and
// answers the new balance.
func (a *Actions) AddCredit(ctx context.Context, p wire.Params) (wire.Reply, error) {
	id, err := p.Required("clientid", billing.ReasonNoSuchClient)
	if err != nil {
		return nil, err
	}
	kind := strings.ToLower(p.Str("type"))
	if kind != "" && kind != "add" && kind != "remove" {
		return nil, wire.Fail("Type can only be add or remove")
	}
	amount := p.Str("amount")
	if amount == "" {
		return nil, wire.Fail("No Amount Provided")
	}
	if _, err := money.Parse(amount, "USD"); err != nil { // the decimal format WHMCS checks, whatever the currency
		return nil, wire.Fail("Amount must be in decimal format: ### or ###.##")
	}
	if kind == "remove" {
		amount = "-" + amount
	}
	res, err := a.svc.ChangeCredit(ctx, id, billing.CreditChange{Amount: amount, Description: p.Str("description"), Actor: order.WHMCSAPI})
	if err != nil {
		return nil, inCreditWords(wire.InWHMCSWords(wire.InNotFoundWords(err, billing.ReasonNoSuchClient),
			map[string]string{"description": "Description is required"}))
	}
	return wire.Reply{"newbalance": money.Format(res.Balance, res.Currency)}, nil
}

// GetCredits serves GetCredits: the client's credit log, oldest first as WHMCS lists it; relid
// is the invoice the row moved money to or from (0 for none).
func (a *Actions) GetCredits(ctx context.Context, p wire.Params) (wire.Reply, error) {
	id, err := p.Required("clientid", billing.ReasonNoSuchClient)
	if err != nil {
		return nil, err
	}
	c, err := a.svc.ClientCredit(ctx, id)
	if err != nil {
		return nil, wire.InNotFoundWords(err, billing.ReasonNoSuchClient)
	}
	list := []map[string]any{}
	for i := len(c.Log) - 1; i >= 0; i-- {
		r := c.Log[i]
		list = append(list, map[string]any{"id": wire.ID(r.ID), "date": wire.YMD(r.Date), "description": r.Description,
			"amount": money.Format(r.Amount, r.Currency), "relid": wire.ID(r.InvoiceID)})
	}
	return wire.Reply{"totalresults": len(list), "clientid": wire.ID(id), "credits": map[string]any{"credit": list}}, nil
}

// ApplyCredit serves ApplyCredit: amount, or "full" (or none) for as much as the credit and the
// invoice's balance allow.
func (a *Actions) ApplyCredit(ctx context.Context, p wire.Params) (wire.Reply, error) {
	id, err := p.Required("invoiceid", "Invoice ID Not Found")
	if err != nil {
		return nil, err
	}
	amount := p.Str("amount")
	if strings.EqualFold(amount, "full") {
		amount = ""
	}
	res, err := a.svc.ApplyCredit(ctx, id, amount, order.WHMCSAPI)
	if err != nil {
		return nil, inCreditWords(wire.InNotFoundWords(err, "Invoice ID Not Found"))
	}
	return wire.Reply{"invoiceid": wire.ID(res.InvoiceID), "amount": money.Format(res.Amount, res.Currency),
		"invoicepaid": strconv.FormatBool(res.Status == order.InvoicePaid)}, nil
}

// creditReasons are WHMCS's words for credit refusals: hostflow's say the amount available
// after them, WHMCS's stop there.
var creditReasons = []string{billing.ReasonOverCredit, billing.ReasonOverInvoice, billing.ReasonNotUnpaid, billing.ReasonNoCredit}

func inCreditWords(err error) error {
	var se *fault.Error
	if errors.As(err, &se) {
		for _, r := range creditReasons {
			if strings.HasPrefix(se.Message, r) {
				return wire.Fail(r)
			}
		}
		if se.Kind == fault.Invalid && se.Field == "amount" {
			return wire.Fail("Amount must be in decimal format: ### or ###.##")
		}
	}
	return err
}
