// Package web is what the two HTTP adapters, the REST API and the console, share: the status
// a refusal is answered with, the order list's query string, and request ids.
package web

import (
	"net/http"

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
