package eventlog

import "github.com/actorlog/actorlog/actors"

var (
	_ actors.Sink         = (*EventLog)(nil)
	_ actors.Unterminated = (*EventLog)(nil)
)

// Unterminated marks that a record's text comes without the handler's
// terminator: it is the event's one string, as Python's format(record).
func (*EventLog) Unterminated() {}
