package money

import "testing"

func TestValidCurrency(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"USD", true}, {"EUR", true}, {"JPY", true}, {"KWD", true}, {"CHF", true},
		// Zero-decimal and three-decimal currencies the old hand-written table missed.
		{"PYG", true}, {"XPF", true}, {"RWF", true}, {"GNF", true}, {"BIF", true}, {"DJF", true},
		{"KMF", true}, {"MGA", true}, {"VUV", true}, {"BHD", true}, {"JOD", true}, {"OMR", true},
		{"TND", true}, {"IQD", true}, {"LYD", true},
		// Added to ISO 4217 after x/text's tables (CLDR 32).
		{"MRU", true}, {"VES", true}, {"VED", true}, {"SLE", true}, {"ZWG", true}, {"XCG", true},
		// Withdrawn from ISO 4217, or never a currency.
		{"MRO", false}, {"VEF", false}, {"HRK", false}, {"DEM", false}, {"ZZZ", false}, {"ABC", false},
		// Codes that are not money an invoice is in: testing, no currency, metals, SDR, funds.
		{"XTS", false}, {"XXX", false}, {"XAU", false}, {"XDR", false}, {"CLF", false}, {"USN", false},
		// Not a code at all.
		{"usd", false}, {"Usd", false}, {"", false}, {"US", false}, {"USDX", false}, {"US1", false},
		{" USD", false}, {"ÜSD", false},
	}
	for _, tt := range tests {
		if got := ValidCurrency(tt.code); got != tt.want {
			t.Errorf("ValidCurrency(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestExponent(t *testing.T) {
	tests := map[string]int{
		"USD": 2, "EUR": 2, "GBP": 2, "HUF": 2, "TWD": 2, "CRC": 2, "BRL": 2,
		"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "UGX": 0, "XAF": 0, "XOF": 0,
		"PYG": 0, "XPF": 0, "RWF": 0, "GNF": 0, "BIF": 0, "DJF": 0, "KMF": 0, "VUV": 0,
		"KWD": 3, "BHD": 3, "JOD": 3, "OMR": 3, "TND": 3, "LYD": 3,
		// CLDR rounds these to whole units; ISO 4217 gives them minor units.
		"IQD": 3, "MGA": 2, "IDR": 2, "COP": 2, "PKR": 2, "TZS": 2, "RSD": 2,
		"MRU": 2, "SLE": 2,
		// Not accepted, but a stored amount still formats.
		"HRK": 2, "ZZZ": 2,
	}
	for code, want := range tests {
		if got := Exponent(code); got != want {
			t.Errorf("Exponent(%s) = %d, want %d", code, got, want)
		}
	}
	for code, exp := range minorUnits {
		if exp < 0 || exp > 3 || len(code) != 3 {
			t.Errorf("minorUnits[%q] = %d", code, exp)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in       string
		currency string
		want     int64
		wantErr  bool
	}{
		{"10", "USD", 1000, false},
		{"10.5", "USD", 1050, false},
		{"10.50", "USD", 1050, false},
		{" 10.50 ", "USD", 1050, false},
		{"0.01", "USD", 1, false},
		{".5", "USD", 50, false},
		{"1500", "JPY", 1500, false},
		{"1500", "PYG", 1500, false},
		{"1.5", "KWD", 1500, false},
		{"1.234", "KWD", 1234, false},
		{"0.001", "BHD", 1, false},
		{"12", "TND", 12000, false},
		{"10.505", "USD", 0, true},
		{"1.5", "JPY", 0, true},
		{"1.5", "XPF", 0, true},
		{"1.2345", "KWD", 0, true},
		{"-1", "USD", 0, true},
		{"+1", "USD", 0, true},
		{"1e3", "USD", 0, true},
		{"1,50", "USD", 0, true},
		{"", "USD", 0, true},
		{".", "USD", 0, true},
		{"10.", "USD", 0, true},
		{"abc", "USD", 0, true},
		{"99999999999999999999", "USD", 0, true},
		{"1000000000000", "KWD", 1e15, false}, // 1e15 minor units is the ceiling
		{"1000000000000.001", "KWD", 0, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in, tt.currency)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("Parse(%q, %s) = %d, %v; want %d, err %v", tt.in, tt.currency, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		minor    int64
		currency string
		want     string
	}{
		{0, "USD", "0.00"},
		{5, "USD", "0.05"},
		{1050, "USD", "10.50"},
		{-250, "USD", "-2.50"},
		{-5, "EUR", "-0.05"},
		{1500, "JPY", "1500"},
		{-1500, "JPY", "-1500"},
		{0, "VUV", "0"},
		{0, "KWD", "0.000"},
		{5, "KWD", "0.005"},
		{1050, "KWD", "1.050"},
		{-1234, "OMR", "-1.234"},
		{-9223372036854775808, "USD", "-92233720368547758.08"},
	}
	for _, tt := range tests {
		if got := Format(tt.minor, tt.currency); got != tt.want {
			t.Errorf("Format(%d, %s) = %q, want %q", tt.minor, tt.currency, got, tt.want)
		}
	}
}

// TestRoundTrip checks that Format's output parses back to the same minor units, and that a
// canonical decimal string survives Parse then Format, in 0-, 2- and 3-decimal currencies.
func TestRoundTrip(t *testing.T) {
	tests := []struct {
		currency string
		decimals []string
	}{
		{"JPY", []string{"0", "1", "1500", "999999999999999"}},
		{"PYG", []string{"0", "250000"}},
		{"USD", []string{"0.00", "0.01", "10.50", "9999999999999.99"}},
		{"IDR", []string{"0.00", "15000.00"}},
		{"KWD", []string{"0.000", "0.001", "1.050", "999999999999.999"}},
		{"IQD", []string{"1.500"}},
	}
	for _, tt := range tests {
		for _, s := range tt.decimals {
			minor, err := Parse(s, tt.currency)
			if err != nil {
				t.Errorf("Parse(%q, %s): %v", s, tt.currency, err)
				continue
			}
			if got := Format(minor, tt.currency); got != s {
				t.Errorf("Format(Parse(%q, %s)) = %q", s, tt.currency, got)
			}
			if back, err := Parse(Format(minor, tt.currency), tt.currency); err != nil || back != minor {
				t.Errorf("Parse(Format(%d, %s)) = %d, %v", minor, tt.currency, back, err)
			}
		}
	}
}
