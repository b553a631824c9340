// Package money converts between exact integer minor units and the decimal strings the APIs
// speak. There is no float anywhere on the path.
package money

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// minorUnits holds every currency hostflow accepts and its ISO 4217 minor units (the number
// of decimal places of its minor unit: JPY 0, USD 2, KWD 3).
var minorUnits = isoCurrencies()

// isoCurrencies lists the currencies in use as legal tender somewhere, from golang.org/x/text's
// currency tables (CLDR), corrected where those tables differ from ISO 4217. Funds (CLF, USN,
// ...), precious metals, SDRs and the testing codes (XTS, XXX) are not money an invoice is in.
func isoCurrencies() map[string]int {
	m := map[string]int{}
	for it := currency.Query(); it.Next(); {
		digits, _ := currency.Standard.Rounding(it.Unit())
		m[it.Unit().String()] = digits
	}
	// CLDR gives these 0 digits because their minor units are not used in practice; ISO 4217
	// gives them 2 (IQD 3), and hostflow stores ISO minor units.
	for _, c := range []string{"AFN", "ALL", "AMD", "COP", "GYD", "IDR", "IRR", "KPW", "LAK", "LBP", "MGA",
		"MMK", "MNT", "MUR", "PKR", "RSD", "SLL", "SOS", "SYP", "TZS", "UZS", "YER"} {
		m[c] = 2
	}
	m["IQD"] = 3
	// x/text's tables are CLDR 32 (2017): codes ISO 4217 added since, all with 2 minor units,
	// and codes it withdrew since (replaced by MRU, VES, and Croatia's euro).
	for _, c := range []string{"MRU", "VES", "VED", "SLE", "ZWG", "XCG"} {
		m[c] = 2
	}
	for _, c := range []string{"MRO", "VEF", "HRK"} {
		delete(m, c)
	}
	return m
}

// ValidCurrency reports whether c is an ISO 4217 code, in capitals, of a currency in use.
// Every place that accepts a currency code checks it here.
func ValidCurrency(c string) bool {
	_, ok := minorUnits[c]
	return ok
}

// Exponent is the number of minor-unit digits of currency in ISO 4217: 0 for JPY, 2 for USD,
// 3 for KWD. A code ValidCurrency refuses (one stored before it was withdrawn) counts 2.
func Exponent(currency string) int {
	if exp, ok := minorUnits[currency]; ok {
		return exp
	}
	return 2
}

// Format renders minor units as a decimal string: 1050 USD is "10.50", 1050 KWD "1.050".
func Format(minor int64, currency string) string {
	exp := Exponent(currency)
	if exp == 0 {
		return strconv.FormatInt(minor, 10)
	}
	sign, abs := "", strconv.FormatUint(uint64(minor), 10)
	if minor < 0 {
		sign, abs = "-", strconv.FormatUint(-uint64(minor), 10)
	}
	if len(abs) <= exp {
		abs = strings.Repeat("0", exp+1-len(abs)) + abs
	}
	return sign + abs[:len(abs)-exp] + "." + abs[len(abs)-exp:]
}

// Parse reads a non-negative decimal string ("10", "10.5", "10.50") into minor units. It refuses
// more fraction digits than the currency has, signs, exponents and anything that is not a plain
// decimal.
func Parse(s, currency string) (int64, error) {
	exp := Exponent(currency)
	whole, frac, hasDot := strings.Cut(strings.TrimSpace(s), ".")
	if whole == "" && !hasDot || !digits(whole) || hasDot && (frac == "" || !digits(frac)) {
		return 0, fmt.Errorf("%q is not a decimal amount", s)
	}
	if len(frac) > exp {
		return 0, fmt.Errorf("%q has more than %d decimal places for %s", s, exp, currency)
	}
	if whole == "" {
		whole = "0"
	}
	n, err := strconv.ParseInt(whole+frac+strings.Repeat("0", exp-len(frac)), 10, 64)
	if err != nil || n > 1e15 {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return n, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
