package config

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Every *Error wraps one of them, so a caller can ask
// errors.Is(err, config.ErrUnknownKey) of a single error or of an Errors list.
var (
	// ErrSyntax reports YAML that does not parse.
	ErrSyntax = errors.New("syntax error")
	// ErrUnknownKey reports a key the schema does not have.
	ErrUnknownKey = errors.New("unknown key")
	// ErrType reports a value of the wrong type (a string where an integer belongs).
	ErrType = errors.New("wrong type")
	// ErrValue reports a value of the right type that cannot work (a negative
	// size, an unknown "when", a bad duration or overflow policy).
	ErrValue = errors.New("invalid value")
	// ErrMissing reports a required key that is absent.
	ErrMissing = errors.New("missing key")
	// ErrLevel reports a level name that is not registered.
	ErrLevel = errors.New("unknown level")
	// ErrUnknownClass reports a handler class (or formatter class) that does not exist.
	ErrUnknownClass = errors.New("unknown class")
	// ErrUndefined reports a reference to a formatter, filter or handler that
	// the config does not define.
	ErrUndefined = errors.New("not defined")
	// ErrCycle reports handlers whose targets form a cycle.
	ErrCycle = errors.New("cycle of targets")
	// ErrUnsupported reports a dictConfig feature actorlog does not offer
	// (incremental configuration, "()" factories, ext:// other than the
	// standard streams).
	ErrUnsupported = errors.New("not supported")
	// ErrTooLarge reports a config larger than MaxSize.
	ErrTooLarge = errors.New("config too large")
	// ErrBuild reports a failure while building the engine from a valid
	// config (a file that cannot be opened).
	ErrBuild = errors.New("build failed")
	// ErrFormatField is wrapped by Check's warning about a format field
	// that is not a LogRecord attribute (a typo such as %(levelnam)s, or an
	// attribute only some records carry).
	ErrFormatField = errors.New("format field is not a LogRecord attribute")
)

// Error is one problem in a config file, at a place in it.
type Error struct {
	// File is the file name given to Parse (or Load's path).
	File string
	// Line and Column locate the offending node, from 1; 0 when unknown.
	Line, Column int
	// Path is the key path of the node, as "handlers.file.maxBytes",
	// "loggers.\"app.db\".handlers[0]"; empty for the whole document.
	Path string
	// Msg says what is wrong.
	Msg string
	// Err is the sentinel (ErrType, ErrUnknownKey, ...) or the underlying error.
	Err error
}

// Error formats the error as "file:line:column: path: message".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Line))
		if e.Column > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Column))
		}
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the sentinel or underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem found in one config file, in the order of the
// file. Parse and Load return an Errors (never an empty one) when anything
// is wrong.
type Errors []*Error

// Error lists the errors one per line.
func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the errors, so errors.Is and errors.As look at each.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}
