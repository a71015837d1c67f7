// Package fault defines the handful of error kinds that cross package
// boundaries. The HTTP layer maps each kind to one status code.
package fault

import (
	"errors"
	"fmt"
)

// Kind classifies an error for the client.
type Kind string

// The kinds of error the API reports.
const (
	Invalid      Kind = "invalid"      // 422: the request is well-formed but breaks a rule
	BadRequest   Kind = "bad_request"  // 400: the request cannot be read
	NotFound     Kind = "not_found"    // 404
	NotAllowed   Kind = "not_allowed"  // 405: the path exists, the method does not (set Allow)
	Conflict     Kind = "conflict"     // 409: clashes with existing state
	Unauthorized Kind = "unauthorized" // 401: no or bad credentials
	Forbidden    Kind = "forbidden"    // 403: known caller, not allowed
	TooMany      Kind = "too_many"     // 429
	Unavailable  Kind = "unavailable"  // 503
	Internal     Kind = "internal"     // 500
)

// FieldError names one field of the request and what is wrong with it, in
// words a person understands.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is an error with a kind, a message safe to show to the user, and
// optionally field errors and a Retry-After in seconds.
type Error struct {
	Kind       Kind
	Code       string // stable machine-readable reason, e.g. "waitlist_full"
	Message    string
	Fields     []FieldError
	RetryAfter int
	Err        error // the cause, logged but never shown
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Kind, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Kind, e.Message)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// New makes an error of kind k with a message safe to show.
func New(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...)}
}

// Coded makes an error of kind k with a stable code and a message safe to show.
func Coded(k Kind, code, format string, args ...any) *Error {
	return &Error{Kind: k, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Fields makes a validation error listing each bad field.
func Fields(fields ...FieldError) *Error {
	return &Error{Kind: Invalid, Message: "Some of the details need changing", Fields: fields}
}

// Field makes a validation error for one field.
func Field(field, message string) *Error {
	return Fields(FieldError{Field: field, Message: message})
}

// KindOf returns the kind of err, Internal when it carries none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
