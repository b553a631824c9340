package tax

import (
	"fmt"
	"strconv"
	"strings"
)

// Rate is a tax rate in thousandths of a percent: 20000 is 20%, 17500 is 17.5%. WHMCS keeps
// rates with three decimals (GetInvoice's "taxrate": "20.000"), so this holds every rate it
// can hold, exactly.
type Rate int64

// rateScale is how many Rate units make one percent.
const rateScale = 1000

// MaxRate is 100%: a tax that is more than the price is no tax rule WHMCS accepts either.
const MaxRate Rate = 100 * rateScale

// ParseRate reads a percentage written as a plain decimal ("20", "17.5", "7.125") with at most
// three decimals, from 0 to 100.
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	whole, frac, hasDot := strings.Cut(s, ".")
	switch {
	case whole == "" || !digits(whole) || hasDot && (frac == "" || !digits(frac)):
		return 0, fmt.Errorf("%q is not a percentage such as 20 or 17.5", s)
	case len(frac) > 3:
		return 0, fmt.Errorf("%q has more than 3 decimals", s)
	case len(whole) > 3:
		return 0, fmt.Errorf("%q is more than 100", s)
	}
	n, err := strconv.ParseInt(whole+frac+strings.Repeat("0", 3-len(frac)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a percentage: %w", s, err)
	}
	if r := Rate(n); r <= MaxRate {
		return r, nil
	}
	return 0, fmt.Errorf("%q is more than 100", s)
}

// String is the rate as WHMCS answers it, with three decimals: "20.000".
func (r Rate) String() string {
	sign := ""
	if r < 0 {
		sign, r = "-", -r
	}
	return fmt.Sprintf("%s%d.%03d", sign, r/rateScale, r%rateScale)
}

// Short is the rate as a person reads it on an invoice: "20", "17.5".
func (r Rate) Short() string {
	s := strings.TrimRight(r.String(), "0")
	return strings.TrimSuffix(s, ".")
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
