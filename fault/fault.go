// Package fault is how the core says no: an Error is a refusal the caller can act on, of a
// Kind each adapter maps to its own answer (an HTTP status, WHMCS's result=error), and Wrap
// names what failed without hiding such a refusal.
package fault

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Kind classifies an Error for the adapters: each maps it to its own status codes.
type Kind int

// Error kinds.
const (
	Invalid     Kind = iota + 1 // the request is wrong
	NotFound                    // what it names does not exist
	Conflict                    // the current state forbids it
	Unavailable                 // a dependency did not answer in time; retrying is safe
)

// Error is a refusal the caller can act on. Field names the offending input, if one.
type Error struct {
	Kind    Kind
	Field   string
	Message string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Invalidf refuses the input field with a message.
func Invalidf(field, format string, args ...any) error {
	return &Error{Kind: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Absent says that what a request names does not exist.
func Absent(message string) error { return &Error{Kind: NotFound, Message: message} }

// OrAbsent turns "no rows" into a NotFound error with message.
func OrAbsent(err error, message string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return Absent(message)
	}
	return err
}

// OrInvalid turns "no rows" into a refusal of field with message: the input names nothing.
func OrInvalid(err error, field, message string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return Invalidf(field, "%s", message)
	}
	return err
}

// Wrap says what failed: "what: err". nil stays nil, and a refusal (*Error) is returned as it
// is, for the caller to show.
func Wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*Error); ok {
		return err
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
