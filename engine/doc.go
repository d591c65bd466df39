// Package engine is actorlog's public face: an Engine owns one protoactor
// actor system, a tree of named loggers and the handler actors that write
// records out.
//
// # Loggers
//
// Loggers form Python's dotted hierarchy: "app" is the parent of "app.db",
// and "" (or "root") is the root. Each has a level (NOTSET defers to the
// parent; the root starts at WARNING, as Python's), handlers, filters and
// propagate. Every change rebuilds, for every logger, the set of handlers its
// records reach and the lowest level that does any work; a logging call reads
// that state with one atomic load, so a disabled level costs almost nothing.
//
// # Handlers
//
// NewHandler starts a handler actor around an actors.Sink (a stream, a file,
// a socket) with its own bounded mailbox (package mailbox) and restart
// back-off (package supervision); package actors is the contract a sink
// follows. A logging call checks each handler's level
// and copies the record into its mailbox; it blocks only when a mailbox with
// the Block policy is full. The actor formats runs of records into one
// buffer and writes them in one call.
//
// A handler is also an actors.Target: Handler.Post hands it a record as
// Python's Handler.handle does (its filters apply, its level does not), and
// handlers whose sinks forward (a Memory or Queue handler) reach the
// handlers named in their HandlerOptions.Targets that way. A Queue
// handler's Listener gives Python's QueueListener Start and Stop.
//
// # slog
//
// Engine.SlogHandler returns a slog.Handler bound to a logger, which is the way
// Go code logs:
//
//	log := slog.New(eng.SlogHandler("app.db"))
//	log.Info("connected", "host", host)
//
// Logger.Log is the native path, and Engine.Writer bridges the standard log
// package.
//
// # Records made elsewhere
//
// Logger.Handle takes a record decoded from the wire as Python's
// Logger.handle does: the logger's filters, then every handler reached at
// the handler's own level, without the logger's level check;
// Logger.HandleBatch does it for a run of records of one logger, with one
// hand-off per handler and run. A Tracker does the same and tells, per window of records, when every handler they
// reached has written them (and flushed), or that one may have been
// dropped: package receiver acknowledges frames with it. It costs the
// logging path of Log and slog nothing. LookupLogger finds a logger without
// creating one, and AddReceiverStats puts a receiver's counters in Stats.
//
// # Order
//
// What is guaranteed:
//
//   - Per handler and per producer: the records one goroutine logs reach
//     each handler, and are written by it, in the order of the calls (one
//     mailbox, read by one actor).
//   - Per handler, across producers: a handler writes records in the order
//     its mailbox took them; records of two goroutines logged concurrently
//     have no order to keep, as with any logger.
//   - The last resort (records that reach no handler) writes its line only
//     after the handlers have written what they were given before it (it
//     waits at most a second for a stuck handler), so it does not overtake
//     earlier records on a shared stream.
//   - Flush, Sync, FlushLevel, Synchronous, Shutdown and Exit see every
//     record logged before them.
//
// What is not: two handlers are two actors, so two handlers writing to one
// stream (a console and a JSON copy on stdout, say) do not interleave record
// by record as Python's synchronous handlers do; each keeps its own order,
// and their lines mix as the actors run. Give each handler its own
// destination, or set Synchronous (or FlushLevel) where the mix matters.
//
// # Exit
//
// Go runs nothing at exit, so records still queued when main returns, or
// when os.Exit or log.Fatal ends the program, are lost. Return through
// Shutdown (defer eng.Shutdown(ctx) in main), leave through Exit (which
// drains, then calls os.Exit), or set FlushLevel so that errors are written
// before the call that logged them returns.
//
// # Caller
//
// slog records carry their caller. Logger.Log captures it (one
// runtime.Callers) only for loggers whose handlers need it: a formatter that
// implements format.CallerNeeder and says so (a Python format naming
// filename, lineno, funcName, module or pathname; JSON or logfmt with
// AddSource). Which loggers those are is decided when handlers, levels or
// loggers change, never per call; Options.AddSource captures it always.
//
// # Flush, Shutdown and stats
//
// Flush waits for everything logged so far to be written (each forwarder
// before its targets, so that what it passes on reaches them before they
// flush; a Memory handler's buffer is not flushed: it waits for its flush
// level, as in Python); Shutdown drains
// every mailbox at once within its context's deadline (a forwarding handler
// before its targets), closes the sinks and stops the actors. A handler
// whose sink is still blocked at the deadline is abandoned: what it held is
// counted as dropped, and its goroutine ends when the sink call returns
// (package actors, "Deadlines").
// Stats reports per handler what was received, accepted, written, filtered
// and dropped (by reason); Accepted = Written + Filtered + lost drops +
// InFlight holds in every snapshot, and InFlight is 0 after Flush or
// Shutdown.
package engine
