package clients

import (
	"context"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
)

// ClientTax is a change of a client's tax fields by an admin (REST PATCH /clients/{id},
// WHMCS's UpdateClient taxexempt and tax_id); nil keeps what is there. The tax id follows
// NewClient's rule (input's text rule, at most 64 bytes).
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
	row, err := s.q().SetClientTax(ctx, db.SetClientTaxParams{ID: clientID, TaxExempt: t.TaxExempt, TaxID: t.TaxID})
	if err != nil {
		return Client{}, fault.Wrap(fault.OrAbsent(err, "Client ID Not Found"), "set the tax fields of client %d", clientID)
	}
	return clientFrom(row), nil
}
