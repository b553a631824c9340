package clients

import (
	"context"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/tax"
)

// ClientTax is a change of a client's tax fields by an admin (REST PATCH /clients/{id},
// WHMCS's UpdateClient taxexempt and tax_id); nil keeps what is there. The tax id follows
// NewClient's rule (input's text rule, at most 64 bytes, and for a client in the EU a VAT
// number of their country: normalTaxID).
type ClientTax struct {
	TaxExempt *bool   `json:"tax_exempt"`
	TaxID     *string `json:"tax_id" input:"max=64"`
}

// SetClientTax changes a client's tax exemption and tax id and answers the client as stored.
// Orders placed before keep the tax their invoices were written with.
func (s *Clients) SetClientTax(ctx context.Context, clientID int64, t ClientTax) (Client, error) {
	if err := input.Check(t); err != nil {
		return Client{}, err
	}
	if t.TaxID != nil {
		c, err := s.q().GetClient(ctx, clientID)
		if err != nil {
			return Client{}, fault.Wrap(fault.OrAbsent(err, "Client ID Not Found"), "read client %d", clientID)
		}
		id, err := normalTaxID(c.Country, *t.TaxID)
		if err != nil {
			return Client{}, err
		}
		t.TaxID = &id
	}
	row, err := s.q().SetClientTax(ctx, db.SetClientTaxParams{ID: clientID, TaxExempt: t.TaxExempt, TaxID: t.TaxID})
	if err != nil {
		return Client{}, fault.Wrap(fault.OrAbsent(err, "Client ID Not Found"), "set the tax fields of client %d", clientID)
	}
	return clientFrom(row), nil
}

// normalTaxID is the one rule for a client's tax id, at creation and when it changes: for a
// client in an EU member state, a VAT number of their country (package tax, checked offline),
// kept in VIES's form; anywhere else, free text as given. A refusal names the field tax_id.
// WHMCS has no documented words for it, so the words say the form expected.
func normalTaxID(country, id string) (string, error) {
	n, err := tax.NormalTaxID(country, id)
	if err != nil {
		return "", fault.Invalidf("tax_id", "%v", err)
	}
	return n, nil
}
