package web

import (
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
)

// OrderFilterParams are the query parameters ParseOrderFilter reads, for the adapters that
// refuse any other.
var OrderFilterParams = []string{"status", "payment_status", "waiting_for", "client_id", "payment_method", "from", "to", "q", "limit", "cursor"}

// Page sizes of order lists.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// ParseOrderFilter reads an order list's filters from query parameters, as the REST API and
// the console name them: dates as YYYY-MM-DD (from is inclusive, to exclusive) or RFC 3339.
func ParseOrderFilter(v url.Values) (ordering.OrderFilter, error) {
	f := ordering.OrderFilter{Status: order.Status(v.Get("status")), PaymentStatus: order.InvoiceStatus(v.Get("payment_status")),
		WaitingFor: order.WaitingFor(v.Get("waiting_for")), PaymentMethod: v.Get("payment_method"), Q: v.Get("q"),
		Limit: DefaultPageSize}
	switch {
	case f.Status != "" && !slices.Contains(order.Statuses, f.Status):
		return f, fault.Invalidf("status", "must be one of %s", input.List(order.Statuses))
	case f.PaymentStatus != "" && !slices.Contains(order.InvoiceStatuses, f.PaymentStatus):
		return f, fault.Invalidf("payment_status", "must be one of %s", input.List(order.InvoiceStatuses))
	case f.WaitingFor != "" && !slices.Contains(order.Waitings, f.WaitingFor):
		return f, fault.Invalidf("waiting_for", "must be one of %s", input.List(order.Waitings))
	}
	var err error
	if f.ClientID, err = queryInt(v, "client_id", 0); err != nil {
		return f, err
	}
	if f.Cursor, err = queryInt(v, "cursor", 0); err != nil {
		return f, err
	}
	limit, err := queryInt(v, "limit", MaxPageSize)
	if err != nil {
		return f, err
	}
	if limit > 0 {
		f.Limit = int32(limit)
	}
	if f.From, err = queryDate(v, "from"); err != nil {
		return f, err
	}
	if f.To, err = queryDate(v, "to"); err != nil {
		return f, err
	}
	return f, input.Check(f)
}

func queryInt(v url.Values, name string, max int64) (int64, error) {
	s := v.Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || max > 0 && n > max {
		if max > 0 {
			return 0, fault.Invalidf(name, "must be an integer from 0 to %d", max)
		}
		return 0, fault.Invalidf(name, "must be a non-negative integer")
	}
	return n, nil
}

func queryDate(v url.Values, name string) (time.Time, error) {
	s := v.Get(name)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, fault.Invalidf(name, "must be a date, YYYY-MM-DD, or an RFC 3339 time")
	}
	return t, nil
}
