// Package money converts between exact integer minor units and the decimal strings the APIs
// speak. There is no float anywhere on the path.
package money

import (
	"fmt"
	"strconv"
	"strings"
)

// zeroDecimal lists ISO 4217 currencies without minor units.
var zeroDecimal = map[string]bool{"JPY": true, "KRW": true, "VND": true, "CLP": true, "ISK": true, "UGX": true, "XAF": true, "XOF": true}

// Exponent is the number of minor-unit digits of currency.
func Exponent(currency string) int {
	if zeroDecimal[currency] {
		return 0
	}
	return 2
}

// ValidCurrency reports whether c looks like an ISO 4217 code.
func ValidCurrency(c string) bool {
	if len(c) != 3 {
		return false
	}
	for _, r := range c {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// Format renders minor units as a decimal string: 1050 USD is "10.50".
func Format(minor int64, currency string) string {
	exp := Exponent(currency)
	if exp == 0 {
		return strconv.FormatInt(minor, 10)
	}
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	s := fmt.Sprintf("%0*d", exp+1, minor)
	return sign + s[:len(s)-exp] + "." + s[len(s)-exp:]
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
