// Package optcheck is the one convention for invalid options: every
// package's Validate joins one FieldError per problem, each wrapping that
// package's ErrInvalidOptions sentinel and naming the Go field, so that
//
//   - a Go caller sees "file: invalid options: MaxBytes: must not be
//     negative (got -1)" and can test errors.Is(err, file.ErrInvalidOptions);
//   - the config package finds each problem's field with Fields, maps it to
//     the config key bound to that field, and reports it at the key's
//     file:line:col.
package optcheck

import (
	"errors"
	"fmt"
)

// FieldError is one problem with one option.
type FieldError struct {
	// Field is the Go name of the option, with dots for nested fields
	// ("Mailbox.Capacity").
	Field string
	// Problem says what is wrong, without the field's name.
	Problem string
	// Sentinel is the validating package's ErrInvalidOptions.
	Sentinel error
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%v: %s: %s", e.Sentinel, e.Field, e.Problem)
}

// Unwrap returns the sentinel, for errors.Is.
func (e *FieldError) Unwrap() error { return e.Sentinel }

// Errors collects the problems of one Validate call.
type Errors struct {
	sentinel error
	errs     []error
}

// New starts collecting problems that wrap sentinel.
func New(sentinel error) *Errors { return &Errors{sentinel: sentinel} }

// Addf records a problem with field.
func (e *Errors) Addf(field, format string, args ...any) {
	e.errs = append(e.errs, &FieldError{Field: field, Problem: fmt.Sprintf(format, args...), Sentinel: e.sentinel})
}

// Nested adds the problems of a nested options value (err from its own
// Validate) under prefix: its FieldErrors become "prefix.Field" and keep
// their own sentinel; any other error is kept as it is.
func (e *Errors) Nested(prefix string, err error) {
	for _, fe := range Leaves(err) {
		if f, ok := fe.(*FieldError); ok {
			c := *f
			c.Field = prefix + "." + f.Field
			e.errs = append(e.errs, &c)
			continue
		}
		e.errs = append(e.errs, fe)
	}
}

// Err returns the joined problems, or nil.
func (e *Errors) Err() error { return errors.Join(e.errs...) }

// Fields returns every FieldError in err's tree, in order.
func Fields(err error) []*FieldError {
	var out []*FieldError
	for _, e := range Leaves(err) {
		var f *FieldError
		if errors.As(e, &f) {
			out = append(out, f)
		}
	}
	return out
}

// Leaves lists the leaves of a tree of joined errors, in order.
func Leaves(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Leaves(e)...)
		}
		return out
	}
	return []error{err}
}
