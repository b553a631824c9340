package wire

import (
	"strconv"
	"strings"
	"time"

	"github.com/hostflow/hostflow/order"
)

// How WHMCS writes values in its answers and reads them in its fields, for every action alike.
// Ids and counters are strings where WHMCS's example answers have strings.

// ID is an id as a string, as WHMCS's example answers have most ids.
func ID(id int64) string { return strconv.FormatInt(id, 10) }

// JoinIDs is a list of ids as one comma-separated string (AddOrder's serviceids).
func JoinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

// ZeroTime is MySQL's zero date, which WHMCS answers for a date never set.
const ZeroTime = "0000-00-00 00:00:00"

// Time is a moment as WHMCS answers it: Y-m-d H:i:s, in UTC.
func Time(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") }

// YMD is a date as WHMCS answers it: Y-m-d, or MySQL's zero date for none.
func YMD(d time.Time) string {
	if d.IsZero() {
		return "0000-00-00"
	}
	return d.Format("2006-01-02")
}

// ParseTime reads a date as WHMCS's API takes it: YYYY-MM-DD, with or without HH:MM:SS, or
// DD/MM/YYYY (WHMCS's default localisation, which AddTransaction's page uses). "" is zero.
func ParseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02", "02/01/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, Fail("Invalid date: use YYYY-MM-DD HH:MM:SS")
}

// Flag01 is a flag as WHMCS answers it: "1" or "0" (GetClientsDomains' example has the
// string, GetPromotions' the number: json.Number(Flag01(b))).
func Flag01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// Truthy reads a flag of a form array as PHP sends it: true, 1, on, yes.
func Truthy(s string) bool {
	s = strings.ToLower(s)
	return s == "true" || s == "1" || s == "on" || s == "yes"
}

// regTypes are WHMCS's names of a domain item's type, in GetOrders and GetClientsDomains.
var regTypes = map[order.DomainType]string{order.DomainRegister: "Register", order.DomainTransfer: "Transfer"}

// RegType is how WHMCS names a domain item's type: Register or Transfer.
func RegType(t order.DomainType) string { return regTypes[t] }
