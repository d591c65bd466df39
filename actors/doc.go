// Package actors is the contract between actorlog's handlers and the sinks
// they write to. A handler is a protoactor actor with its own bounded
// mailbox; the engine runs it (engine.Engine.NewHandler). A Sink is the
// part a handler author writes: where the records go. This package holds
// the Sink interface and its optional abilities, the Batch a sink is
// handed, HandlerOptions, Retry, and the sinks of Python's that need no
// destination of their own: Stream (StreamHandler), Null (NullHandler),
// Buffering and Memory (BufferingHandler, MemoryHandler), and Queue
// (QueueHandler with its QueueListener). The file family lives in
// actors/file.
//
// # The calls
//
// Every method of a Sink is called on its handler's actor, one call at a
// time and never concurrently, so a sink needs no lock for its own state.
// The one exception is Interrupter.Interrupt (see Deadlines). A sink lives
// as long as its handler, across actor restarts, and belongs to it: the
// engine closes it at Shutdown, or at once if NewHandler fails.
//
// In the life of a handler the actor calls, in this order:
//
//   - Forwarder.SetTargets when it first starts, if HandlerOptions.Targets
//     names any, and again for each engine.Handler.SetTargets;
//   - for each batch of records from its mailbox: the filters, then the
//     Formatter and Terminator (or Encoder.AppendRecord), then
//     WriteBatch once with every record that passed; at the end of a burst
//     (nothing more queued) Flusher.Flush; then Ticker.TickInterval;
//   - between batches: Ticker.Tick when a tick is due, Flush and
//     Syncer.Sync for Engine.Flush and Engine.Sync, Reopener.Reopen for
//     Engine.Reopen, each after the records logged before the call;
//   - after a crash and its back-off: Resetter.Reset, then the batch that
//     crashed again;
//   - at Shutdown: Deadliner.SetDeadline when the drain has a deadline,
//     the queued batches, Flush, and Close, once. Nothing is called after
//     Close.
//
// # Batches and what is counted
//
// A record the engine accepted ends as written, filtered, or dropped under
// a reason, so that accepted = written + filtered + dropped + in flight at
// every moment (engine.HandlerStats). WriteBatch returns how many records,
// from the first, it dealt with: each of those was written whole, or given
// up alone with Batch.Fail and counted under the reason the sink names
// ("too_large", "refused", "http_4xx"; the set is open). The records from
// there on were not written: with a plain error they are dropped (reason
// error) and the handler goes on with the next batch; with an error
// wrapped by Retry the actor restarts after its back-off and hands them to
// WriteBatch again. A written result below 0 counts as 0 and one above
// Len as Len; a Fail for a record outside what was dealt with is ignored,
// and a record failed twice is counted once.
//
// A Batch and the records it points to belong to the actor and are reused:
// a sink copies what it keeps after WriteBatch returns.
//
// # Crashes
//
// A panic in a sink method is a crash: supervision restarts the actor after
// its back-off (HandlerOptions.Supervision) and counts a restart. The batch
// that was being written is not lost: it is written again, one record at a
// time, so that the records before a bad one are written and a record that
// crashes the sink three times in a row, written alone, is given up
// (counted as dropped, reason error, and reported) while the rest goes on.
// One bad record therefore costs at most four restarts, whatever the size of
// its batch. A panic in a Formatter becomes visible text in place of the
// record; a panic or an error in an Encoder drops that record alone.
//
// # Encoding
//
// A sink that is an Encoder encodes records itself (a Socket handler writes
// msgpack frames): the handler's Formatter and Terminator are then not used
// for it, and each record's bytes are what AppendRecord appended. The
// records themselves are in Batch.Records for every sink. A sink that is
// Unterminated (Queue, the event log) gets each record's text without the
// Terminator: the text is a message, not a line. Text of a
// large batch is formatted on up to one goroutine per processor, the
// parts joined in order before the one write; an Encoder is called on the actor alone, so
// it may keep state.
//
// # Time
//
// A Ticker has work of its own to do on a schedule (acknowledgement
// timeouts, resends, idle close, HTTP linger, SMTP digests, a Memory
// handler's flush). Its ticks are messages on the handler's actor, timed by
// one timer of HandlerOptions.Clock per handler (clock.Fake in tests), never
// a goroutine per sink. The actor asks TickInterval when it starts, after
// each batch and after each tick; the timer is set again when the interval
// changes, and no tick is pending while it is 0.
//
// # Deadlines
//
// Engine.Shutdown drains every handler within its context. When that
// context has a deadline, a Deadliner is told it before its next call,
// ahead of the drain's writes, and should bound its blocking work by it.
// If the deadline passes while the actor is still inside a call of the sink
// (or of a formatter, a filter or an encoder), the handler is abandoned:
// an Interrupter's Interrupt is called from the draining goroutine, and
// without waiting for the call to return, the records the handler still
// held (the batch in the call included) are counted as dropped (reason
// shutdown). When the call returns, its result is not counted again, the
// actor closes the sink and its goroutine ends: until then that one
// goroutine outlives Shutdown. A sink that finishes a write after it was
// abandoned may thus have written records counted as dropped.
//
// # Forwarding and defaults
//
// A Forwarder passes records on to the handlers named by
// HandlerOptions.Targets (Python's MemoryHandler target, QueueListener
// handlers) through their mailboxes and overflow policies, as a Target
// each. Targets are created first, engine.Handler.SetTargets refuses a
// cycle, and Shutdown drains a forwarder before its targets.
//
// Memory (Python's MemoryHandler) keeps copies of records and passes them
// to its target when its buffer is full or a record reaches FlushLevel,
// and at Close unless NoFlushOnClose; Queue (Python's QueueHandler and
// QueueListener) passes each record on at once, prepared as Python's
// prepare: the handler's Formatter merges message, exception and stack
// text into the message. Both reach their targets through the targets'
// mailboxes, so a target's filters, overflow policy and supervision apply,
// and its level does not (as Python's target.handle), unless Queue's
// RespectHandlerLevel asks for it. A target that fails retries or counts
// its drops under its own supervision; the records it was handed are never
// lost without a count. engine.Handler.Listener gives a Queue handler
// Python's Start and Stop.
//
// # Python parity of Memory and Queue
//
//   - Memory flushes exactly where Python's MemoryHandler does (after the
//     append, when len(buffer) >= capacity or levelno >= flushLevel; the
//     triggering record included), checked against Python on the same
//     records (testdata/gen_memory_golden.py).
//   - Without a target Python keeps the buffer and lets it grow; Memory
//     keeps it up to Capacity records and counts the rest as dropped
//     (reason no_target). Python's close keeps what it could not flush;
//     Memory discards it at Close and counts it (Memory.Discarded),
//     returning an error wrapping ErrNotFlushed when there was no target.
//   - FlushLevel 0 means ERROR (Python's default). Python's flushLevel
//     NOTSET passes every record on at once: Capacity 0 does that here.
//   - A Queue's queue is its handler's mailbox, so a full queue blocks or
//     drops by the mailbox's overflow policy and counts, where Python's
//     put_nowait raises queue.Full into handleError. The listener runs from
//     NewHandler to Shutdown; Listener.Stop waits for what was posted
//     before it, as Python's stop joins its thread.
//
// A Defaulter states defaults of its class for the mailbox and supervision
// options its handler leaves zero: a network sink that waits out a 30 s
// back-off should drop rather than block its callers by default.
package actors
