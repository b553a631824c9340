// Package web is what the HTTP adapters, the REST API, the WHMCS API and the console, share:
// the status a refusal is answered with, the order list's query string, request ids, the
// client's address behind trusted proxies (the router's middleware sets both for every
// adapter it mounts), and the client area's session cookie.
package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/hostflow/hostflow/access"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/token"
)

// Status is the status the REST API and the console answer a refusal of this kind with
// (the WHMCS API answers every refusal with 200, as WHMCS does).
func Status(k fault.Kind) int {
	switch k {
	case fault.Invalid:
		return http.StatusUnprocessableEntity
	case fault.NotFound:
		return http.StatusNotFound
	case fault.Conflict:
		return http.StatusConflict
	case fault.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// RequestID is a new random request id: 24 hex digits.
func RequestID() string {
	return token.New(12)
}

// maxRequestID bounds a client's X-Request-Id; a longer one, or one with other characters than
// letters, digits and "-_.:/", is replaced.
const maxRequestID = 64

// WithRequestID takes the client's X-Request-Id if it is short and plain, else makes one, and
// answers with it in X-Request-Id. It is what middleware.GetReqID returns.
func WithRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(middleware.RequestIDHeader)
		if !safeRequestID(id) {
			id = RequestID()
		}
		w.Header().Set(middleware.RequestIDHeader, id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), middleware.RequestIDKey, id)))
	})
}

func safeRequestID(id string) bool {
	if id == "" || len(id) > maxRequestID {
		return false
	}
	for _, c := range []byte(id) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.:/", c) >= 0) {
			return false
		}
	}
	return true
}

// Throttled answers for a page whether err is a sign-in or request refused before it was
// looked at (access.Throttled: a lockout, every hash slot busy): its reason, with Retry-After
// set on w, for the 429 the page answers with. The console's and the store's forms share it.
func Throttled(w http.ResponseWriter, err error) (reason string, ok bool) {
	var th *access.Throttled
	if !errors.As(err, &th) {
		return "", false
	}
	SetRetryAfterIn(w, th.RetryAfter)
	return th.Reason, true
}

// SetRetryAfterIn says in a Retry-After header when a refused request may be tried again, d
// from now: whole seconds, at least one.
func SetRetryAfterIn(w http.ResponseWriter, d time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int((d+time.Second-1)/time.Second))))
}
