package format

import "github.com/actorlog/actorlog/record"

// Formatter turns a record into text.
//
// Append appends r, formatted, to dst and returns the extended slice; it adds
// no terminator (the handler does). It is called on a handler actor's
// goroutine, but one Formatter may serve several handlers at once, so a
// Formatter's configuration is immutable after construction and Append must
// be safe for concurrent use (a cache it keeps must take no lock on a hit). Append never panics on odd input (a nil value, an unknown
// attribute in a format string): it writes something visible instead, as
// slog writes !BADKEY.
type Formatter interface {
	Append(dst []byte, r *record.Record) []byte
}

// defaultFormatter is Python's Formatter() with no format string.
var defaultFormatter Formatter = MustPython("%(message)s", PythonOptions{})

// Default returns the formatter a handler uses when it is given none,
// Python's logging.Formatter() with no format string: the message, then the
// exception text and the stack text, each on a new line. Every call returns
// the same formatter; it is immutable and safe for concurrent use.
func Default() Formatter { return defaultFormatter }
