package billing

import (
	"testing"

	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
)

// A percentage is read and written in hundredths under percentUnit, by money's fallback of two
// decimals for a code it does not know.
func TestPercentUnit(t *testing.T) {
	if got := money.Exponent(percentUnit); got != 2 || percentScale != 100 {
		t.Fatalf("money.Exponent(percentUnit) = %d, percentScale %d: percentages are no longer hundredths", got, percentScale)
	}
	for _, tc := range []struct {
		in   string
		want int64 // -1: refused
		out  string
	}{
		{"10", 1000, "10.00"}, {"12.5", 1250, "12.50"}, {"0.01", 1, "0.01"}, {"100", 10000, "100.00"}, {"12.345", -1, ""}, {"-5", -1, ""},
	} {
		got, err := money.Parse(tc.in, percentUnit)
		switch {
		case tc.want < 0 && err == nil:
			t.Errorf("%q read as %d", tc.in, got)
		case tc.want >= 0 && (err != nil || got != tc.want):
			t.Errorf("%q read as %d, %v; want %d", tc.in, got, err, tc.want)
		case tc.want >= 0 && money.Format(got, percentUnit) != tc.out:
			t.Errorf("%d written as %q, want %q", got, money.Format(got, percentUnit), tc.out)
		}
	}
}

// A discount over taxed and untaxed items says how much of it comes off the taxed ones, so that
// tax is charged on what the customer pays for them, no more.
func TestDiscountTaxedAmount(t *testing.T) {
	o := order.NewOrder{Services: []order.NewService{{ProductID: 1, Amount: 10000, Taxed: true}},
		Domains: []order.NewDomain{{Amount: 1000}}}
	for _, tc := range []struct {
		name              string
		p                 Promotion
		amount, taxedPart int64
		taxed             bool
	}{
		{"50% of both", Promotion{Type: PromotionPercentage, Percent: 50 * percentScale}, 5500, 5000, false},
		{"5.00 off each", Promotion{Type: PromotionFixed, Amount: 500}, 1000, 500, false},
		{"50% of the taxed product only", Promotion{Type: PromotionPercentage, Percent: 50 * percentScale, ProductIDs: []int64{1}}, 5000, 5000, true},
	} {
		d := Discount(tc.p, o)
		if d == nil || d.Amount != tc.amount || d.TaxedAmount != tc.taxedPart || d.Taxed != tc.taxed {
			t.Errorf("%s: %+v, want amount %d, taxed part %d, taxed %v", tc.name, d, tc.amount, tc.taxedPart, tc.taxed)
		}
	}
}
