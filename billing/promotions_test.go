package billing

import (
	"testing"

	"github.com/hostflow/hostflow/money"
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
