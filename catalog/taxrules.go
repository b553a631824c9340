package catalog

import (
	"context"
	"errors"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/tax"
)

// NewTaxRule is a tax rule as an admin enters it (WHMCS's Tax Configuration > Add New Tax
// Rule): the rate a decimal percentage, as money is a decimal string.
type NewTaxRule struct {
	Level   int    `json:"level"`
	Name    string `json:"name"`
	Country string `json:"country"`
	State   string `json:"state"`
	Rate    string `json:"rate"`
}

// CreateTaxRule checks and stores a tax rule, refusing bad input on the field at fault (a rate
// outside 0-100 or with more than 3 decimals, a level not 1 or 2, a country that is no ISO
// 3166 code, a state without a country in WHMCS's words).
func (s *Catalog) CreateTaxRule(ctx context.Context, in NewTaxRule) (tax.Rule, error) {
	if err := input.Check(in); err != nil {
		return tax.Rule{}, err
	}
	rate, err := tax.ParseRate(in.Rate)
	if err != nil {
		return tax.Rule{}, fault.Invalidf("rate", "%v", err)
	}
	r, err := tax.Rule{Level: tax.Level(in.Level), Name: in.Name, Country: in.Country, State: in.State, Rate: rate}.Normal()
	var fe *tax.FieldError
	if errors.As(err, &fe) {
		return tax.Rule{}, fault.Invalidf(fe.Field, "%s", fe.Message)
	}
	r.ID, err = s.q().CreateTaxRule(ctx, db.CreateTaxRuleParams{Level: int16(r.Level), Name: r.Name, Country: r.Country,
		State: r.State, RateThousandths: int64(r.Rate)})
	return r, fault.Wrap(err, "create tax rule")
}

// TaxRules lists every tax rule, oldest first.
func (s *Catalog) TaxRules(ctx context.Context) ([]tax.Rule, error) { return TaxRules(ctx, s.q()) }

// TaxRules lists every tax rule, oldest first: the order tax.Pick breaks ties in.
func TaxRules(ctx context.Context, q *db.Queries) ([]tax.Rule, error) {
	rows, err := q.ListTaxRules(ctx)
	if err != nil {
		return nil, fault.Wrap(err, "list tax rules")
	}
	out := make([]tax.Rule, len(rows))
	for i, r := range rows {
		out[i] = tax.Rule{ID: r.ID, Level: tax.Level(r.Level), Name: r.Name, Country: r.Country, State: r.State, Rate: tax.Rate(r.RateThousandths)}
	}
	return out, nil
}

// DeleteTaxRule deletes a tax rule. Invoices already written keep the rate and name they were
// written with.
func (s *Catalog) DeleteTaxRule(ctx context.Context, id int64) error {
	n, err := s.q().DeleteTaxRule(ctx, id)
	if err != nil {
		return fault.Wrap(err, "delete tax rule %d", id)
	}
	if n == 0 {
		return fault.Absent("Tax rule not found")
	}
	return nil
}
