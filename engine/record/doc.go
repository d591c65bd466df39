// Package record defines what flows through actorlog: the Record a handler
// sees, its Level on Python's scale, and the msgpack wire codec.
//
// # Records
//
// A Record is built once on the logging goroutine and never changes after it
// is posted; handlers copy it by value into their mailboxes. Attributes use
// slog's types (slog.Attr, slog.Value) so nothing is converted on the way in.
//
// # Levels
//
// Levels use Python's numbers (DEBUG 10 ... CRITICAL 50); FromSlog and
// Level.Slog convert to and from slog's scale, and AddLevelName registers
// custom names as Python's logging.addLevelName does.
//
// This package imports nothing of actorlog's and nothing of protoactor's.
package record
