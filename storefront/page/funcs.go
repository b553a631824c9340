package page

import (
	"fmt"
	"github.com/hostflow/hostflow/input"
	"html/template"
	"strings"
	"time"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
)

// symbols are the signs of the currencies most customers know; others show their code only.
var symbols = map[string]string{"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "AUD": "A$", "CAD": "C$", "INR": "₹"}

// price shows an amount as a customer reads it: "$9.99 USD".
func price(minor int64, currency string) string {
	return symbols[currency] + money.Format(minor, currency) + " " + currency
}

// funcs are the templates' functions.
var funcs = template.FuncMap{
	"price": price,
	"add":   func(a, b int64) int64 { return a + b },
	"cycle": func(c order.BillingCycle) string { return c.Name() },
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2 January 2006")
	},
	// datetime is when something happened to the minute, as an email's date: several may go on
	// one day.
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2 January 2006, 15:04 UTC")
	},
	"years": func(n int) string {
		if n == 1 {
			return "1 year"
		}
		return fmt.Sprintf("%d years", n)
	},
	"slug": func(s any) string { return strings.ToLower(strings.ReplaceAll(fmt.Sprint(s), " ", "-")) },
	// err is a form's message for one field, "" for none.
	"err":       func(errs map[string]string, field string) string { return errs[field] },
	"countries": func() []input.Country { return input.Countries },
	// dict hands a partial several values: dict "N" "email" "V" value.
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
	"methodName": billing.MethodName,
}
