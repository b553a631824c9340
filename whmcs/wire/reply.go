package wire

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"unicode"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/web"
)

// Reply is an action's answer: the fields besides result.
type Reply map[string]any

// apiError is a refusal with WHMCS's message. WHMCS answers a failed action with HTTP 200 and
// {"result":"error"}; only a refused caller (IP, access key, credentials) gets 403, as WHMCS's
// api.php answers its AuthException (whmcspy maps exactly that to MissingPermission).
type apiError struct {
	denied  bool
	message string
}

func (e *apiError) Error() string { return e.message }

// Fail is an action's refusal: HTTP 200, result error.
func Fail(message string) error { return &apiError{message: message} }

// Deny is the caller's refusal: HTTP 403, result error.
func Deny(message string) error { return &apiError{denied: true, message: message} }

// Write answers in WHMCS's envelope, in the format asked for.
func Write(w http.ResponseWriter, p Params, res Reply, err error) {
	status := http.StatusOK
	body := Reply{"result": "success"}
	for k, v := range res {
		body[k] = v
	}
	if err != nil {
		status, body = Status(err), Reply{"result": "error", "message": errorMessage(err)}
	}
	if status == http.StatusServiceUnavailable {
		web.SetRetryAfter(w)
	}
	switch p.Format {
	case XML:
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		w.WriteHeader(status)
		_ = writeXML(w, p.Action, body)
	case NVP:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		_ = writeNVP(w, body)
	default:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = writeJSON(w, body)
	}
}

// Status is the HTTP status of a failed request: 200 for an action WHMCS refuses, 403 for a
// caller it refuses; 503 and 500 only when hostflow itself could not answer (500: the error is
// for the server log, the caller is told only to look there).
func Status(err error) int {
	var ae *apiError
	var se *fault.Error
	switch {
	case errors.As(err, &ae) && ae.denied:
		return http.StatusForbidden
	case errors.As(err, &ae):
		return http.StatusOK
	case web.Unavailable(err): // a refusal of kind Unavailable, or PostgreSQL or Temporal unreachable
		return http.StatusServiceUnavailable
	case errors.As(err, &se):
		return http.StatusOK
	}
	return http.StatusInternalServerError
}

func errorMessage(err error) string {
	var ae *apiError
	var se *fault.Error
	switch {
	case errors.As(err, &ae):
		return ae.message
	case errors.As(err, &se) && se.Field != "" && se.Message != "" && !unicode.IsUpper([]rune(se.Message)[0]):
		return se.Error() // "field: is required" reads better than "is required"
	case errors.As(err, &se):
		return se.Message
	case web.Unavailable(err):
		return "hostflow cannot reach its database or Temporal just now; retry shortly"
	}
	return "An internal error occurred; see the server log"
}

// InWHMCSWords says a service refusal as WHMCS says it, where WHMCS has its own words for the
// field; the rule itself stays in the service. A refusal the service already says in those
// words, with more after them ("Invalid Payment Method. Valid options include ..."), is kept.
func InWHMCSWords(err error, messages map[string]string) error {
	var se *fault.Error
	if errors.As(err, &se) && se.Kind == fault.Invalid {
		if msg, ok := messages[se.Field]; ok {
			if strings.HasPrefix(se.Message, msg) {
				return Fail(se.Message)
			}
			return Fail(msg)
		}
	}
	return err
}

// InNotFoundWords says a service NotFound in the action's own words.
func InNotFoundWords(err error, message string) error {
	var se *fault.Error
	if errors.As(err, &se) && se.Kind == fault.NotFound {
		return Fail(message)
	}
	return err
}

type callerKey struct{}

// WithCaller carries the address that called the API to its action (ValidateLogin's sign-in
// guard counts failures by it).
func WithCaller(ctx context.Context, address string) context.Context {
	return context.WithValue(ctx, callerKey{}, address)
}

// Caller is the address that called the API, as the front door saw it.
func Caller(ctx context.Context) string {
	s, _ := ctx.Value(callerKey{}).(string)
	return s
}
