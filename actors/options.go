package actors

import (
	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/filter"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
	"github.com/actorlog/actorlog/supervision"
)

// HandlerOptions configure one handler: the engine's Engine.NewHandler and
// the config file's handler entries take them. The zero value works: every
// record is written as its message, one per line, through a Block mailbox.
type HandlerOptions struct {
	// Level: records below it are not posted to the handler (the engine
	// checks it on the caller's goroutine, as Python's Logger.handle checks
	// a handler's level before calling it). Default NOTSET: every record.
	Level record.Level
	// Formatter formats each record; nil means Python's default,
	// "%(message)s" followed by exception and stack text. Not used for a
	// sink that is an Encoder.
	Formatter format.Formatter
	// Filters run on the actor, in order; a record that fails one is counted
	// as filtered. Level checks belong to the caller (the engine checks a
	// handler's level before posting, as Python's logger does).
	Filters []filter.Filter
	// Terminator is written after every record; "" means "\n" (Python's
	// default). Any other string is written as it is, "\x00" included. Not
	// used for a sink that is an Encoder.
	Terminator string
	// NoTerminator writes records with nothing after them (Python's
	// terminator = ""); Terminator is then ignored.
	NoTerminator bool
	// Mailbox sizes the handler's queue and picks its overflow policy.
	// Fields left zero take the sink's Defaults (a Defaulter) where it has
	// them, then the mailbox package's: Capacity and MaxBatch each on its
	// own; Overflow and BlockTimeout together, when Overflow is Block with
	// no BlockTimeout (the zero value).
	Mailbox mailbox.Options
	// Supervision is the restart back-off after a failure (a panic, or a sink
	// error wrapped with Retry). Each field left zero takes the sink's
	// Defaults where it has them, then the supervision package's.
	Supervision supervision.Options
	// Targets names the handlers a Forwarder sink passes records to (Python's
	// MemoryHandler target, QueueListener handlers). Each must exist already:
	// create targets first, as dictConfig does. Ignored for other sinks.
	Targets []string
	// Clock times the sink's ticks (Ticker) and, unless Supervision has a
	// clock of its own, the restart back-off; nil means clock.System().
	Clock clock.Clock
}
