// Package handleractor runs handlers: the protoactor actor that owns one
// actors.Sink and reads runs of records from its bounded mailbox. Only the
// engine calls it; sink authors read the contract in package actors.
//
// # The actor
//
// Spawn starts the actor under its own back-off supervisor (package
// supervision) and returns a Handle. For each batch the actor takes a run of
// records from the mailbox, filters and encodes them (formatter and
// terminator, or the sink's Encoder) into one reused buffer, calls
// WriteBatch once, and books every record as written, filtered or dropped,
// so the mailbox's counters always add up; at the end of a burst it flushes
// a buffering sink. After a crash the batch comes back to the restarted
// actor and is written one record at a time (crashWatch), so a poison
// record costs only itself.
//
// # Control
//
// Handle.Flush, Handle.Reopen and Handle.Drain send messages that queue
// behind the records posted before them and are answered on channels, never
// protoactor futures (their 10 s timeouts and races). Ticks of a Ticker
// sink are such messages too, sent by one clock timer per handler.
//
// # Draining and abandoning
//
// Drain seals the mailbox, writes what is queued, closes the sink and stops
// the actor. When its context ends first, it stops the actor where it is:
// a system Stop overtakes the queue, and what is queued is counted as
// dropped (shutdown). An actor blocked in its sink cannot take the Stop, so
// a guard tells the drain where the actor is: between calls (holding) it
// reads and books the mailbox's batch and never blocks, so the drain lets
// it reach the Stop; inside a call that may block (busy) it touches nothing
// of the mailbox's, so the drain may abandon it there, book the batch it
// holds as dropped, and return. The actor, back from its call, sees that it
// was abandoned, leaves the batch alone, closes the sink and stops: its
// goroutine lives until that call returns, and no longer.
//
// # Errors
//
// ErrorReporter is Python's handleError, rate limited per distinct error;
// the engine hands its Report to every handler as the ErrorHook.
package handleractor
