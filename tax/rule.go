package tax

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// Level is which of WHMCS's two lists of rules a rule is in: level 1 (VAT, a state's sales
// tax) or level 2 (a second tax beside or, compound, on top of it).
type Level int

// The two levels.
const (
	Level1 Level = 1
	Level2 Level = 2
)

// Valid reports whether l is one of the two levels.
func (l Level) Valid() bool { return l == Level1 || l == Level2 }

// DefaultName is the name WHMCS gives a rule saved without one.
const DefaultName = "Tax"

// Rule is one tax rule: Rate, charged at Level to clients in Country (an ISO 3166 alpha-2
// code; "" is any country) and State ("" is any state of it).
type Rule struct {
	ID      int64
	Level   Level
	Name    string
	Country string
	State   string
	Rate    Rate
}

// FieldError is a refusal of one field of a rule, in words the adapters pass on.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// StateNeedsCountry is WHMCS's refusal of a state rule without a country.
const StateNeedsCountry = "A country must also be selected for a state specific tax rule"

// Normal is the rule as it is kept: trimmed, the country in capitals, a blank name "Tax", or
// a refusal naming the field at fault.
func (r Rule) Normal() (Rule, error) {
	r.Name, r.State = strings.TrimSpace(r.Name), strings.TrimSpace(r.State)
	r.Country = strings.ToUpper(strings.TrimSpace(r.Country))
	if r.Name == "" {
		r.Name = DefaultName
	}
	switch {
	case !r.Level.Valid():
		return r, &FieldError{"level", "must be 1 or 2"}
	case r.Rate < 0 || r.Rate > MaxRate:
		return r, &FieldError{"rate", "must be from 0 to 100"}
	case r.Country != "" && !Country(r.Country):
		return r, &FieldError{"country", fmt.Sprintf("%q is not an ISO 3166 country code such as GB", r.Country)}
	case r.State != "" && r.Country == "":
		return r, &FieldError{"state", StateNeedsCountry}
	}
	return r, nil
}

// Country reports whether c is an ISO 3166-1 alpha-2 code of a country, in capitals.
func Country(c string) bool {
	if len(c) != 2 || strings.ToUpper(c) != c {
		return false
	}
	r, err := language.ParseRegion(c)
	return err == nil && r.IsCountry() && r.String() == c
}

// specificity ranks how closely a rule fits a client it applies to: country and state over
// country over any; -1 when it does not apply.
func (r Rule) specificity(c Client) int {
	switch {
	case r.Country == "":
		return 0
	case !strings.EqualFold(r.Country, strings.TrimSpace(c.Country)):
		return -1
	case r.State == "":
		return 1
	case strings.EqualFold(r.State, strings.TrimSpace(c.State)):
		return 2
	}
	return -1
}

// Pick is the rule of level that applies to client c: the most specific of those that fit
// (country and state, then country, then any country), the first of equals (rules come in the
// order they were made, so the older wins). ok is false when none fits.
func Pick(rules []Rule, level Level, c Client) (rule Rule, ok bool) {
	best := -1
	for _, r := range rules {
		if r.Level != level {
			continue
		}
		if s := r.specificity(c); s > best {
			rule, best = r, s
		}
	}
	return rule, best >= 0
}
