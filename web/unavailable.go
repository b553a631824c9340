package web

import (
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"go.temporal.io/api/serviceerror"

	"github.com/hostflow/hostflow/fault"
)

// RetryAfter is the Retry-After, in seconds, of every 503: long enough for a restarted
// PostgreSQL or Temporal to be back, short enough that a caller's retry is not held long.
const RetryAfter = "5"

// Unavailable reports whether err means that a dependency, PostgreSQL or Temporal, could not
// be reached or did not answer: the request failed without a decision, so the adapters answer
// 503 with a Retry-After (a retry with the same Idempotency-Key is safe), not a 500 that
// pages someone for an outage the caller only has to wait out.
func Unavailable(err error) bool {
	var se *fault.Error
	if errors.As(err, &se) {
		return se.Kind == fault.Unavailable
	}
	return postgresUnavailable(err) || temporalUnavailable(err)
}

// postgresUnavailable: no connection (refused, or the server starting or shutting down), or a
// connection lost under the request.
func postgresUnavailable(err error) bool {
	var connect *pgconn.ConnectError
	var pgErr *pgconn.PgError
	var netErr net.Error
	switch {
	case errors.As(err, &connect):
		return true
	case errors.As(err, &pgErr):
		// Class 08, connection exception; 57P01-57P03, the server shutting down or starting.
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	case errors.As(err, &netErr), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, io.ErrUnexpectedEOF), pgconn.Timeout(err):
		return true
	}
	return false
}

// temporalUnavailable: the frontend could not be reached or did not answer in time.
func temporalUnavailable(err error) bool {
	var unavailable *serviceerror.Unavailable
	var deadline *serviceerror.DeadlineExceeded
	return errors.As(err, &unavailable) || errors.As(err, &deadline)
}

// SetRetryAfter marks a 503 answer with when to try again.
func SetRetryAfter(w http.ResponseWriter) {
	w.Header().Set("Retry-After", RetryAfter)
}
