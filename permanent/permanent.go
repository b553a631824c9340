// Package permanent marks the errors that retrying will not fix: a refused request, a missing
// row, credentials a panel rejects. Modules mark them, activities turn them into Temporal's
// non-retryable errors of type Type, and the service maps that type to a refusal.
package permanent

import "errors"

// Type is the Temporal application error type of a permanent failure.
const Type = "Permanent"

// Error wraps an error that retrying will not fix.
type Error struct{ Err error }

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Wrap marks err permanent; nil stays nil.
func Wrap(err error) error {
	if err == nil {
		return nil
	}
	return &Error{Err: err}
}

// Is reports whether err is marked permanent.
func Is(err error) bool {
	var p *Error
	return errors.As(err, &p)
}
