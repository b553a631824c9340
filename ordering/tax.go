package ordering

import (
	"context"

	"github.com/hostflow/hostflow/catalog"
	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/tax"
)

// taxClient is what of a client decides their tax.
func taxClient(c db.Client) tax.Client {
	return tax.Client{Country: c.Country, State: c.State, Exempt: c.TaxExempt, TaxID: c.TaxID}
}

// addTax works out the tax of a priced order for client c with package tax, the one place tax
// is computed, and keeps it on the order: the lines it taxes (each line's Taxed, set at pricing
// from its product, the tax_domains setting and the discount's items) and the amounts, rates
// and names its invoice is written with. With tax off nothing changes.
func addTax(ctx context.Context, q *db.Queries, o *order.NewOrder, policy catalog.TaxPolicy, c tax.Client) error {
	if !policy.Enabled {
		return nil
	}
	rules, err := catalog.TaxRules(ctx, q)
	if err != nil {
		return err
	}
	// The invoice's lines, in the order the first write writes them (records.insertItems).
	var lines []tax.Line
	for _, s := range o.Services {
		lines = append(lines, tax.Line{Amount: s.Amount, Taxable: s.Taxed})
		if s.SetupFee > 0 {
			lines = append(lines, tax.Line{Amount: s.SetupFee, Taxable: s.Taxed})
		}
	}
	for _, d := range o.Domains {
		lines = append(lines, tax.Line{Amount: d.Amount, Taxable: d.Taxed})
	}
	if d := o.Discount; d != nil {
		// The part that comes off taxed items lowers the taxed amount; the rest, the untaxed.
		taxedPart := d.TaxedAmount
		if d.Taxed {
			taxedPart = d.Amount
		}
		if taxedPart > 0 {
			lines = append(lines, tax.Line{Amount: -taxedPart, Taxable: true})
		}
		if rest := d.Amount - taxedPart; rest > 0 {
			lines = append(lines, tax.Line{Amount: -rest})
		}
	}
	res := tax.Compute(policy.Settings, rules, c, lines)
	if c.Exempt || res.ReverseCharge { // nothing of theirs is taxed: no line says so
		for i := range o.Services {
			o.Services[i].Taxed = false
		}
		for i := range o.Domains {
			o.Domains[i].Taxed = false
		}
		if o.Discount != nil {
			o.Discount.Taxed = false
		}
	}
	if !res.Charged() && !res.ReverseCharge {
		return nil
	}
	o.Tax = &order.Tax{Inclusive: res.Inclusive, Tax1: res.Tax1, Tax2: res.Tax2,
		Rate1: int64(res.Level1.Rate), Rate2: int64(res.Level2.Rate), Name1: res.Level1.Name, Name2: res.Level2.Name,
		ReverseCharge: res.ReverseCharge}
	return nil
}
