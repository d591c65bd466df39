package actors

import (
	"time"

	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
	"github.com/actorlog/actorlog/supervision"
)

// Batch is one run of records a handler actor filtered and encoded, handed to
// its Sink in a single WriteBatch call.
//
// Ownership: the handler actor owns a Batch and reuses it for the next call;
// a Sink must not keep Buf, Ends or Records (or the records they point to)
// after WriteBatch returns. Copy what must outlive the call.
type Batch struct {
	// Buf holds the encoded records back to back: formatted by the handler's
	// Formatter and each followed by its Terminator, or, for an Encoder, as
	// the sink's AppendRecord wrote them.
	Buf []byte
	// Ends[i] is the offset in Buf just past record i (and its terminator).
	Ends []int
	// Records[i] is the record that was encoded into Buf[Ends[i-1]:Ends[i]].
	Records []*record.Record

	failures []Failure
}

// Failure is a record of a batch that its sink gave up with Batch.Fail.
type Failure struct {
	Index  int            // the record's index in the batch
	Reason mailbox.Reason // what the stats count it under
	Err    error          // reported through the handler's error output; may be nil
}

// Len returns the number of records in the batch.
func (b *Batch) Len() int { return len(b.Ends) }

// Record returns the bytes of record i, terminator included.
func (b *Batch) Record(i int) []byte {
	start := 0
	if i > 0 {
		start = b.Ends[i-1]
	}
	return b.Buf[start:b.Ends[i]]
}

// Fail gives up record i alone, without failing the rest of the batch: a
// datagram too large to send, a recipient the server refused. The record is
// counted as dropped under reason, a short snake_case name of the sink's
// choosing ("too_large", "refused", "http_4xx"; "" means "error"), and err,
// when not nil, is reported as any sink error is.
//
// Fail is for records WriteBatch has dealt with: a failed record counts
// within the written result, as a record done with. A record failed twice
// is counted once (the first reason stands), and a Fail for an index outside
// the batch, or at or past the written result, is ignored.
func (b *Batch) Fail(i int, reason mailbox.Reason, err error) {
	if reason == "" {
		reason = mailbox.ReasonError
	}
	b.failures = append(b.failures, Failure{Index: i, Reason: reason, Err: err})
}

// Failures returns the records given up with Fail, in the order of the
// calls. The slice belongs to the batch.
func (b *Batch) Failures() []Failure { return b.failures }

// Reset empties the batch, keeping its storage.
func (b *Batch) Reset() {
	b.Buf = b.Buf[:0]
	b.Ends = b.Ends[:0]
	clear(b.Records)
	b.Records = b.Records[:0]
	clear(b.failures)
	b.failures = b.failures[:0]
}

// Sink is where a handler actor puts its records: a file, a stream, a
// socket. A Sink lives as long as its handler, across actor restarts.
//
// Every method is called on the handler's actor, one call at a time, never
// concurrently, so a Sink needs no lock of its own. (The one exception is
// Interrupter.Interrupt, which exists to be called from elsewhere.)
type Sink interface {
	// WriteBatch writes the records of b in order and returns how many of
	// them, from the first, it dealt with: each of those was written whole,
	// or given up alone with b.Fail. A record is never left torn on the
	// destination with another record written after it.
	//
	// On an error, the records from written on were not written. By default
	// the handler reports the error, counts those records as dropped
	// (reason error), and goes on with the next batch. A Sink that wants
	// them retried after a supervised restart (a socket that lost its peer)
	// returns an error wrapped with Retry. A written result out of range is
	// taken as 0 (below) or b.Len() (above).
	//
	// A panic is a crash: supervision restarts the actor after its back-off
	// and the batch is written again, one record at a time, so that a record
	// that crashes the sink each time it is written alone is found and given
	// up (reason error) while the records around it are written.
	WriteBatch(b *Batch) (written int, err error)
	// Close flushes and releases the destination. It is called once, when the
	// handler stops; no other method is called after it.
	Close() error
}

// Flusher is a Sink that buffers: Flush is called at the end of each burst
// (when the handler's mailbox has nothing more queued), for Engine.Flush,
// and before Close.
type Flusher interface {
	Flush() error
}

// Syncer is a Sink that can make what it wrote durable (fsync).
type Syncer interface {
	Sync() error
}

// Reopener is a Sink that can reopen its destination, for a file moved by
// logrotate (SIGHUP in the collector).
type Reopener interface {
	Reopen() error
}

// Resetter is a Sink that holds state a failure may have spoiled (a half-open
// connection). Reset is called when a new actor instance starts after a
// supervised restart, before it writes the batch that failed.
type Resetter interface {
	Reset() error
}

// Encoder is a Sink that encodes records itself, as a Socket handler writes
// msgpack frames. The handler's Formatter and Terminator are not used for
// it: the actor calls AppendRecord for each record that passed the filters
// and puts the bytes in the Batch where formatted text would go. A Sink that
// needs only the records (a Memory handler) appends nothing and pays
// nothing for text it would throw away.
type Encoder interface {
	// AppendRecord appends the encoding of r to dst and returns the extended
	// slice. It is called on the actor, never concurrently. On an error the
	// record is left out of the batch and counted as dropped (reason error),
	// and the error reported; a panic is treated the same way.
	AppendRecord(dst []byte, r *record.Record) ([]byte, error)
}

// Ticker is a Sink with work to do on a schedule of its own: acknowledgement
// timeouts, resends, closing an idle connection, an HTTP linger, an SMTP
// digest interval, a Memory handler's periodic flush.
//
// Ticks are messages on the handler's actor, timed by the handler's clock
// (HandlerOptions.Clock): no goroutine per sink, and never at the same time
// as another call of the sink. A tick queues behind the records posted
// before it fires, so it comes between batches.
type Ticker interface {
	// TickInterval says how long after the last tick (or after now, when
	// none is pending) the next one is due; 0 or less means no tick. The
	// actor asks when it starts, after each tick and after each batch, so
	// that a sink may change its interval at any time; a changed interval
	// takes effect from that moment.
	TickInterval() time.Duration
	// Tick does the scheduled work; now is the clock's time. An error is
	// reported and counted as any sink error is.
	Tick(now time.Time) error
}

// Deadliner is a Sink whose blocking calls (a write, a connect) can be
// bounded. When a drain begins (Engine.Shutdown, with a context that has a
// deadline), SetDeadline is called on the actor, before the next call that
// may write, with that deadline: the sink bounds its blocking work by it (as
// net.Conn.SetDeadline does). SetDeadline itself must not block. It is not
// called for a drain without a deadline.
type Deadliner interface {
	SetDeadline(t time.Time)
}

// Interrupter is a Sink that can cut short a call that is blocked. When a
// drain's deadline passes while the actor is inside a call of the sink,
// Interrupt is called from the draining goroutine, concurrently with that
// call: it must be safe for that, must not block, and should make the
// blocked call return soon (net.Conn.SetDeadline with a time in the past).
// The handler does not wait for it: see "Deadlines" in the package doc.
type Interrupter interface {
	Interrupt()
}

// Forwarder is a Sink that passes records on to other handlers, as Python's
// MemoryHandler passes to its target and QueueListener to its handlers.
// SetTargets is called on the actor: when it first starts, before any other
// call, with the handlers named by HandlerOptions.Targets in that order
// (when it names any); and for engine.Handler.SetTargets, between batches,
// with the new targets (none clears them).
type Forwarder interface {
	SetTargets(targets []Target)
}

// Target is a handler a Forwarder passes records to.
type Target interface {
	// Name returns the target handler's name.
	Name() string
	// Level returns the target handler's level, for a Forwarder that
	// respects it (Python's QueueListener with respect_handler_level).
	Level() record.Level
	// Post offers a copy of r to the target's mailbox under the target's
	// overflow policy (it may block under Block) and reports whether it was
	// accepted; a refused record is counted by the target. The target's
	// filters apply, its level does not (as Python's Handler.handle). Safe
	// for concurrent use.
	Post(r *record.Record) bool
}

// Unterminated is a Sink that takes each record's formatted text without
// the handler's Terminator: a Queue handler passes the text on as the
// message of a record, as Python's QueueHandler.prepare does. The actor
// formats with the handler's Formatter and appends nothing after it.
type Unterminated interface {
	Unterminated()
}

// Defaulter is a Sink class with defaults of its own for its handler's
// mailbox and supervision: a Socket handler that may wait out a 30 s
// back-off should not block every caller by default, as a File handler may.
type Defaulter interface {
	// HandlerDefaults is called once, before the actor starts.
	HandlerDefaults() Defaults
}

// Defaults are a sink class's defaults for the options its handler leaves
// zero; see HandlerOptions for how they combine.
type Defaults struct {
	Mailbox     mailbox.Options
	Supervision supervision.Options
}

// StatsReporter is a Sink with counters of its own (a socket's connects,
// reconnects, resends, acknowledged records). Engine.Stats reads them, from
// any goroutine, as HandlerStats.Sink, and the stats server exports each as
// actorlog_handler_sink_<name>. Names are lower case with underscores; the
// map is the caller's own.
type StatsReporter interface {
	SinkStats() map[string]uint64
}
