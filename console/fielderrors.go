package console

import (
	"errors"
	"net/http"
	"strings"

	"github.com/hostflow/hostflow/fault"
)

// fieldErrors are a Setup form's refusals by field, each shown beside its field; "" is the
// form's own, shown above it. The service's field names are the REST API's (max_accounts,
// product_ids[0]); the forms name their inputs alike, so a refusal lands where it belongs.
type fieldErrors map[string]string

// refused puts a refusal of the service on its field: a field the form does not have
// (known says which it has) is the form's. It answers the page's status, 422, and false for
// an error that is no refusal, which the caller shows as a server error.
func refused(err error, known ...string) (fieldErrors, int, bool) {
	var fe *fault.Error
	if !errors.As(err, &fe) || fe.Kind == fault.Unavailable {
		return nil, 0, false
	}
	status := http.StatusUnprocessableEntity
	if fe.Kind == fault.NotFound {
		status = http.StatusNotFound
	}
	field, _, _ := strings.Cut(fe.Field, "[") // product_ids[2] is the product_ids boxes'
	for _, k := range known {
		if k == field {
			return fieldErrors{field: fe.Message}, status, true
		}
	}
	return fieldErrors{"": fe.Error()}, status, true
}
