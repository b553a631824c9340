package page

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hostflow/hostflow/billing"
	"github.com/hostflow/hostflow/clients"
	"github.com/hostflow/hostflow/money"
	"github.com/hostflow/hostflow/order"
	"github.com/hostflow/hostflow/ordering"
	"github.com/hostflow/hostflow/provisioning"
	"github.com/hostflow/hostflow/registrar"
	"github.com/hostflow/hostflow/web"
)

// funcs are the templates' functions; admin makes a path below base.
func funcs(base string) template.FuncMap {
	return template.FuncMap{
		"admin": func(p ...any) string { return base + fmt.Sprint(p...) },
		// Words for stored names (words.go, billing.MethodName).
		"methodName": billing.MethodName,
		"eventName":  EventName,
		"emailName":  EmailName,
		"plural":     Plural,
		"lineType":   func(t string) string { return order.LineType(t).Label() },
		"capital":    Capital,
		"fieldOf":    fieldOf,
		"money":      money.Format,
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format("2006-01-02")
		},
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format("2006-01-02 15:04 UTC")
		},
		"iso":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"age":   age,
		"until": until,
		// score shows a fraud score, or a dash when there is none.
		"score": func(p *float64) string {
			if p == nil {
				return "—"
			}
			return fmt.Sprintf("%.2f", *p)
		},
		// join joins the parts that are not empty: an address without its blanks.
		"join": func(sep string, parts ...string) string {
			return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return strings.TrimSpace(s) == "" }), sep)
		},
		// json indents a stored JSON answer for reading; anything else is shown as it is.
		"json": func(raw []byte) string {
			var out bytes.Buffer
			if json.Indent(&out, raw, "", "  ") != nil {
				return string(raw)
			}
			return out.String()
		},
		// slug makes a status or waiting-for value into a CSS class suffix: "Pending Registration"
		// → "pending-registration".
		"slug": func(s any) string { return strings.ToLower(strings.ReplaceAll(fmt.Sprint(s), " ", "-")) },
		"query": func(pairs ...string) template.URL {
			v := url.Values{}
			for i := 0; i+1 < len(pairs); i += 2 {
				if pairs[i+1] != "" {
					v.Set(pairs[i], pairs[i+1])
				}
			}
			if len(v) == 0 {
				return ""
			}
			return template.URL("?" + v.Encode())
		},
		// requestID names one form's submission: posted twice, it is one action.
		"requestID": RequestID,
		// balance is what an invoice still asks for.
		"balance": func(inv billing.Invoice) int64 { return max(inv.Total-inv.Paid, 0) },
		// inc numbers rows from 1 for people.
		"inc": func(i int) int { return i + 1 },
		// createsOnAccept and sendsOnAccept tick Run Module Create and Send to Registrar as Accept
		// Order would decide without the boxes.
		"createsOnAccept": func(s ordering.ServiceItem) bool {
			return s.Status == order.Pending && provisioning.CreatesOnAccept(s.Module, s.AutoSetup)
		},
		"sendsOnAccept": func(d ordering.DomainItem) bool {
			return d.Status == order.Pending && registrar.SendsOnAccept(d.Registrar)
		},
		// pending says whether Accept Order acts on an item; unpaid whether an invoice takes payments.
		"pending":      func(s order.Status) bool { return s == order.Pending },
		"unpaid":       func(s order.InvoiceStatus) bool { return s == order.InvoiceUnpaid },
		"cycles":       func() []order.CycleInfo { return order.BillingCycles },
		"clientOption": ClientOption,
		"deref": func(p *int64) int64 {
			if p == nil {
				return 0
			}
			return *p
		},
	}
}

// RequestID is a request id the console makes, told from the API's by its prefix: a form
// carries one so that, posted twice, it is one action.
func RequestID() string { return "console-" + web.RequestID() }

// ClientOption is how the client picker names a client; Add New Order reads the id back from
// its start.
func ClientOption(cl clients.Client) string {
	s := fmt.Sprintf("#%d %s %s", cl.ID, cl.FirstName, cl.LastName)
	if cl.CompanyName != "" {
		s += " (" + cl.CompanyName + ")"
	}
	return s + " <" + cl.Email + ">"
}

// age says how long ago t was, roughly: "3 days ago", "5 hours ago", "just now".
func age(t time.Time) string {
	if d := roughly(time.Since(t)); d != "" {
		return d + " ago"
	}
	return "just now"
}

// until says how far ahead t is, roughly: "in 3 days", "in 5 hours", "any moment now".
func until(t time.Time) string {
	if d := roughly(time.Until(t)); d != "" {
		return "in " + d
	}
	return "any moment now"
}

// roughly is a duration in its largest unit, to the nearest: "3 days", "5 hours", "4
// minutes"; "" for under two minutes. A deadline 6 days 23 hours away is "7 days".
func roughly(d time.Duration) string {
	in := func(unit time.Duration) int { return int((d + unit/2) / unit) }
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", in(24*time.Hour))
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", in(time.Hour))
	case d >= 2*time.Minute:
		return fmt.Sprintf("%d minutes", in(time.Minute))
	}
	return ""
}

// Capital writes a stored word as the start of a sentence: "payment" → "Payment".
func Capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Field is one text field of a form as a template writes it: its name, label, what was typed,
// the refusal on it, and the browser's autocomplete hint.
type Field struct{ Name, Label, Value, Error, Autocomplete string }

// fieldOf builds a Field from a form's refusals by field name.
func fieldOf(name, label, value string, errs map[string]string, autocomplete string) Field {
	return Field{Name: name, Label: label, Value: value, Error: errs[name], Autocomplete: autocomplete}
}
