package tax

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// WHMCS's documented examples (reference/money-and-customers.md §1.3-1.5: exclusive and
// inclusive, one and two levels, compound or not, exempt), rounding, the choice of rule and
// the EU reverse charge, each line an invoice line in minor units.
func TestCompute(t *testing.T) {
	gb20 := Rule{ID: 1, Level: Level1, Name: "VAT", Country: "GB", Rate: 20000}
	l1of10 := Rule{ID: 2, Level: Level1, Name: "GST", Rate: 10000}
	l2of5 := Rule{ID: 3, Level: Level2, Name: "PST", Rate: 5000}
	on := Settings{Enabled: true}
	deSeller := Settings{Enabled: true, SellerCountry: "DE"}
	euRules := []Rule{{Level: Level1, Name: "MwSt", Country: "DE", Rate: 19000}, {Level: Level1, Name: "TVA", Country: "FR", Rate: 20000},
		gb20}
	frBusiness := Client{Country: "FR", TaxID: "FR 40 303 265 045"}
	gb := Client{Country: "GB"}
	taxed := func(amounts ...int64) []Line {
		out := make([]Line, len(amounts))
		for i, a := range amounts {
			out[i] = Line{Amount: a, Taxable: true}
		}
		return out
	}
	cases := []struct {
		name     string
		settings Settings
		rules    []Rule
		client   Client
		lines    []Line
		// what the invoice holds
		subtotal, tax1, tax2, total int64
		lineTax1                    []int64
		level1, level2              Applied
		// reverse: the VAT is reverse charged, and the invoice says so
		reverse bool
	}{
		{name: "exclusive 10.00 at 20% is 2.00 on top", settings: on, rules: []Rule{gb20}, client: gb, lines: taxed(1000),
			subtotal: 1000, tax1: 200, total: 1200, lineTax1: []int64{200}, level1: Applied{"VAT", 20000}},
		{name: "inclusive 12.00 at 20% carries 2.00, net 10.00", settings: Settings{Enabled: true, Inclusive: true},
			rules: []Rule{gb20}, client: gb, lines: taxed(1200),
			subtotal: 1000, tax1: 200, total: 1200, lineTax1: []int64{200}, level1: Applied{"VAT", 20000}},
		{name: "100 at 10% + 5% compound is 15.50", settings: Settings{Enabled: true, Compound: true},
			rules: []Rule{l1of10, l2of5}, lines: taxed(10000),
			subtotal: 10000, tax1: 1000, tax2: 550, total: 11550, lineTax1: []int64{1000}, level1: Applied{"GST", 10000}, level2: Applied{"PST", 5000}},
		{name: "100 at 10% + 5% not compound is 15.00", settings: on, rules: []Rule{l1of10, l2of5}, lines: taxed(10000),
			subtotal: 10000, tax1: 1000, tax2: 500, total: 11500, lineTax1: []int64{1000}, level1: Applied{"GST", 10000}, level2: Applied{"PST", 5000}},
		{name: "inclusive compound 115.50 carries 10.00 + 5.50", settings: Settings{Enabled: true, Inclusive: true, Compound: true},
			rules: []Rule{l1of10, l2of5}, lines: taxed(11550),
			subtotal: 10000, tax1: 1000, tax2: 550, total: 11550, lineTax1: []int64{1000}, level1: Applied{"GST", 10000}, level2: Applied{"PST", 5000}},
		{name: "inclusive 115.00 at 10% + 5% carries 10.00 + 5.00", settings: Settings{Enabled: true, Inclusive: true},
			rules: []Rule{l1of10, l2of5}, lines: taxed(11500),
			subtotal: 10000, tax1: 1000, tax2: 500, total: 11500, lineTax1: []int64{1000}, level1: Applied{"GST", 10000}, level2: Applied{"PST", 5000}},
		{name: "an exempt client pays no tax", settings: on, rules: []Rule{gb20}, client: Client{Country: "GB", Exempt: true},
			lines: taxed(1000), subtotal: 1000, total: 1000, lineTax1: []int64{0}},
		{name: "an exempt client pays an inclusive price in full", settings: Settings{Enabled: true, Inclusive: true},
			rules: []Rule{gb20}, client: Client{Country: "GB", Exempt: true}, lines: taxed(1200),
			subtotal: 1200, total: 1200, lineTax1: []int64{0}},
		{name: "an untaxed product's line pays no tax", settings: on, rules: []Rule{gb20}, client: gb,
			lines:    []Line{{Amount: 1000, Taxable: true}, {Amount: 500}},
			subtotal: 1500, tax1: 200, total: 1700, lineTax1: []int64{200, 0}, level1: Applied{"VAT", 20000}},
		{name: "tax off taxes nothing", settings: Settings{Inclusive: true, Compound: true}, rules: []Rule{gb20}, client: gb,
			lines: taxed(1000), subtotal: 1000, total: 1000, lineTax1: []int64{0}},
		{name: "no rule for the client's country", settings: on, rules: []Rule{gb20}, client: Client{Country: "FR"},
			lines: taxed(1000), subtotal: 1000, total: 1000, lineTax1: []int64{0}},
		{name: "half a cent rounds up: 2.50 at 5% is 0.13", settings: on, rules: []Rule{{Level: Level1, Name: "Tax", Rate: 5000}},
			lines: taxed(250), subtotal: 250, tax1: 13, total: 263, lineTax1: []int64{13}, level1: Applied{"Tax", 5000}},
		{name: "under half a cent rounds down: 2.49 at 5% is 0.12", settings: on, rules: []Rule{{Level: Level1, Name: "Tax", Rate: 5000}},
			lines: taxed(249), subtotal: 249, tax1: 12, total: 261, lineTax1: []int64{12}, level1: Applied{"Tax", 5000}},
		{name: "a discount's half cent rounds away from zero", settings: on, rules: []Rule{{Level: Level1, Name: "Tax", Rate: 5000}},
			lines: taxed(1000, -250), subtotal: 750, tax1: 50 - 13, total: 787, lineTax1: []int64{50, -13}, level1: Applied{"Tax", 5000}},
		{name: "per line: 3.99 + 4.99 + 5.99 at 21% is 3.15, not 3.14 on the total", settings: on,
			rules: []Rule{{Level: Level1, Name: "BTW", Rate: 21000}}, lines: taxed(399, 499, 599),
			subtotal: 1497, tax1: 315, total: 1812, lineTax1: []int64{84, 105, 126}, level1: Applied{"BTW", 21000}},
		{name: "a rate with three decimals: 10.00 at 7.125% is 0.71", settings: on,
			rules: []Rule{{Level: Level1, Name: "Tax", Rate: 7125}}, lines: taxed(1000),
			subtotal: 1000, tax1: 71, total: 1071, lineTax1: []int64{71}, level1: Applied{"Tax", 7125}},
		{name: "compound level 2 is on the rounded level-1 tax", settings: Settings{Enabled: true, Compound: true},
			rules: []Rule{{Level: Level1, Name: "A", Rate: 10000}, {Level: Level2, Name: "B", Rate: 10000}}, lines: taxed(5),
			subtotal: 5, tax1: 1, tax2: 1, total: 7, lineTax1: []int64{1}, level1: Applied{"A", 10000}, level2: Applied{"B", 10000}},
		{name: "a state's rule beats its country's and any country's", settings: on,
			rules: []Rule{{Level: Level1, Name: "Any", Rate: 10000}, {Level: Level1, Name: "US", Country: "US", Rate: 6000},
				{Level: Level1, Name: "CA Sales Tax", Country: "US", State: "CA", Rate: 7250}},
			client: Client{Country: "US", State: "ca"}, lines: taxed(10000),
			subtotal: 10000, tax1: 725, total: 10725, lineTax1: []int64{725}, level1: Applied{"CA Sales Tax", 7250}},
		{name: "another state takes its country's rule", settings: on,
			rules: []Rule{{Level: Level1, Name: "CA Sales Tax", Country: "US", State: "CA", Rate: 7250},
				{Level: Level1, Name: "US", Country: "US", Rate: 6000}, {Level: Level1, Name: "Any", Rate: 10000}},
			client: Client{Country: "US", State: "NY"}, lines: taxed(10000),
			subtotal: 10000, tax1: 600, total: 10600, lineTax1: []int64{600}, level1: Applied{"US", 6000}},
		{name: "another country takes the rule for any country", settings: on,
			rules:  []Rule{{Level: Level1, Name: "US", Country: "US", Rate: 6000}, {Level: Level1, Name: "Any", Rate: 10000}},
			client: Client{Country: "FR"}, lines: taxed(10000),
			subtotal: 10000, tax1: 1000, total: 11000, lineTax1: []int64{1000}, level1: Applied{"Any", 10000}},
		{name: "level 2 alone", settings: on, rules: []Rule{l2of5}, lines: taxed(10000),
			subtotal: 10000, tax2: 500, total: 10500, lineTax1: []int64{0}, level2: Applied{"PST", 5000}},
		{name: "a zero-decimal currency rounds to the unit: 999 JPY at 10% is 100", settings: on,
			rules: []Rule{{Level: Level1, Name: "Consumption Tax", Rate: 10000}}, lines: taxed(999),
			subtotal: 999, tax1: 100, total: 1099, lineTax1: []int64{100}, level1: Applied{"Consumption Tax", 10000}},
		// EU VAT with a German seller (reverse charge, Article 196 of Directive 2006/112/EC: ours,
		// as WHMCS has no such setting).
		{name: "a French business is reverse charged by a German seller", settings: deSeller, rules: euRules,
			client: frBusiness, lines: taxed(1000), subtotal: 1000, total: 1000, lineTax1: []int64{0}, reverse: true},
		{name: "reverse charged, an inclusive price is charged in full", settings: Settings{Enabled: true, Inclusive: true, SellerCountry: "DE"},
			rules: euRules, client: frBusiness, lines: taxed(1200), subtotal: 1200, total: 1200, lineTax1: []int64{0}, reverse: true},
		{name: "a French consumer pays French VAT", settings: deSeller, rules: euRules, client: Client{Country: "FR"},
			lines: taxed(1000), subtotal: 1000, tax1: 200, total: 1200, lineTax1: []int64{200}, level1: Applied{"TVA", 20000}},
		{name: "a French number of the wrong shape is no business", settings: deSeller, rules: euRules,
			client: Client{Country: "FR", TaxID: "FR123"}, lines: taxed(1000),
			subtotal: 1000, tax1: 200, total: 1200, lineTax1: []int64{200}, level1: Applied{"TVA", 20000}},
		{name: "a German business pays German VAT to a German seller", settings: deSeller, rules: euRules,
			client: Client{Country: "DE", TaxID: "DE123456789"}, lines: taxed(1000),
			subtotal: 1000, tax1: 190, total: 1190, lineTax1: []int64{190}, level1: Applied{"MwSt", 19000}},
		{name: "a client outside the EU pays by their country's rules", settings: deSeller, rules: euRules,
			client: Client{Country: "GB", TaxID: "GB123456789"}, lines: taxed(1000),
			subtotal: 1000, tax1: 200, total: 1200, lineTax1: []int64{200}, level1: Applied{"VAT", 20000}},
		{name: "tax_exempt wins over the reverse charge", settings: deSeller, rules: euRules,
			client: Client{Country: "FR", TaxID: "FR40303265045", Exempt: true}, lines: taxed(1000),
			subtotal: 1000, total: 1000, lineTax1: []int64{0}},
		{name: "a seller outside the EU reverse charges nothing", settings: Settings{Enabled: true, SellerCountry: "US"},
			rules: euRules, client: frBusiness, lines: taxed(1000),
			subtotal: 1000, tax1: 200, total: 1200, lineTax1: []int64{200}, level1: Applied{"TVA", 20000}},
		{name: "no seller country, no reverse charge", settings: on, rules: euRules, client: frBusiness, lines: taxed(1000),
			subtotal: 1000, tax1: 200, total: 1200, lineTax1: []int64{200}, level1: Applied{"TVA", 20000}},
		{name: "tax off reverse charges nothing", settings: Settings{SellerCountry: "DE"}, rules: euRules, client: frBusiness,
			lines: taxed(1000), subtotal: 1000, total: 1000, lineTax1: []int64{0}},
		{name: "a huge amount does not overflow", settings: Settings{Enabled: true, Inclusive: true, Compound: true},
			rules: []Rule{{Level: Level1, Name: "A", Rate: 100000}, {Level: Level2, Name: "B", Rate: 100000}},
			lines: taxed(4_000_000_000_000_000), subtotal: 1_000_000_000_000_000, tax1: 1_000_000_000_000_000,
			tax2: 2_000_000_000_000_000, total: 4_000_000_000_000_000, lineTax1: []int64{1_000_000_000_000_000},
			level1: Applied{"A", 100000}, level2: Applied{"B", 100000}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := Compute(tc.settings, tc.rules, tc.client, tc.lines)
			require.Equal(t, tc.subtotal, res.Subtotal, "subtotal")
			require.Equal(t, tc.tax1, res.Tax1, "tax")
			require.Equal(t, tc.tax2, res.Tax2, "tax2")
			require.Equal(t, tc.total, res.Total, "total")
			require.Equal(t, res.Subtotal+res.Tax1+res.Tax2, res.Total, "the total is the subtotal and the taxes")
			require.Equal(t, tc.level1, res.Level1)
			require.Equal(t, tc.level2, res.Level2)
			require.Equal(t, tc.reverse, res.ReverseCharge, "reverse charged")
			for i, want := range tc.lineTax1 {
				require.Equal(t, want, res.Lines[i].Tax1, "line %d", i)
				taxable := tc.lines[i].Taxable && tc.settings.Enabled && !tc.client.Exempt && !tc.reverse
				require.Equal(t, taxable, res.Lines[i].Taxed, "line %d taxed", i)
			}
		})
	}
}
