package catalog

import (
	"strings"

	"github.com/hostflow/hostflow/fault"
)

// Problems are every refusal of one form's input at once, field by field, in the order the
// rules check them. The REST API answers with the first (errors.As finds it, so its answer is
// the one refusal it always gave); the console shows each beside its field, so an admin fixes
// a product's name and its prices in one go.
type Problems []*fault.Error

func (ps Problems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap lets errors.As and errors.Is see each refusal.
func (ps Problems) Unwrap() []error {
	out := make([]error, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	return out
}

// invalid adds a refusal of field.
func (ps *Problems) invalid(field, format string, args ...any) {
	*ps = append(*ps, fault.Invalidf(field, format, args...).(*fault.Error))
}

// err is nil when nothing was refused.
func (ps Problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}
