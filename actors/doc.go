// Package actors is the handler-actor protocol: a handler is a protoactor
// actor that owns one Sink (where records go) and reads runs of records from
// its bounded mailbox.
//
// # The actor
//
// Spawn starts the actor under its own back-off supervisor and returns a
// Handle. For each batch the actor applies its filters, formats every record
// into one reused buffer, and calls Sink.WriteBatch once; at the end of a
// burst (nothing more queued) it flushes a buffering sink. It books every
// record as written, filtered or failed, so the mailbox's counters always add
// up.
//
// # Failures
//
// A sink error is reported to the ErrorHook (ErrorReporter writes it as
// Python's handleError does, rate-limited) and the unwritten records are
// counted as dropped. A sink that wants its records retried wraps the error
// with Retry: the actor then panics, supervision restarts it after the
// back-off delay, and the same batch is handed to the new actor, which
// starts after the records already written. A panic in a formatter becomes
// visible text in the output instead of a crash.
//
// # Control
//
// Handle.Flush, Handle.Reopen and Handle.Drain send messages that queue
// behind the records posted before them and are answered on channels, never
// protoactor futures. Drain seals the mailbox, writes what is queued, closes
// the sink and stops the actor; whatever a deadline cuts off is counted as
// dropped at shutdown.
//
// # Sinks
//
// Stream (Python's StreamHandler) and Null (NullHandler) live here; the file
// family lives in actors/file.
package actors
