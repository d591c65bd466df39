package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/internal/handleractor"
	"github.com/actorlog/actorlog/record"
)

// Options configure an Engine. The zero value works.
type Options struct {
	// ErrorOutput receives the engine's own diagnostics: handler errors (as
	// Python's handleError writes them, rate-limited) and, with ActorLogs,
	// protoactor's warnings. nil means os.Stderr; io.Discard silences them.
	ErrorOutput io.Writer
	// ActorLogs routes protoactor's own log output (warnings and above) to
	// ErrorOutput. Off by default: protoactor never writes to stdout/stderr.
	ActorLogs bool
	// LastResort receives WARNING and above of records that reach no handler
	// at all, as Python's logging.lastResort; nil means os.Stderr.
	LastResort io.Writer
	// NoLastResort drops such records instead (they are counted), and, as
	// Python does with lastResort = None, writes "No handlers could be found
	// for logger NAME" once to ErrorOutput.
	NoLastResort bool
	// AddSource captures the caller's program counter for every record made
	// through Logger.Log (slog records carry theirs already). Without it the
	// caller is still captured for the records of a logger whose handlers'
	// formatters write it (format.CallerNeeder: %(filename)s, %(lineno)d,
	// %(funcName)s, JSON's AddSource...); set it for formatters of your own
	// that read Record.PC without saying so.
	AddSource bool
	// FlushLevel, when not NOTSET (0), makes a logging call at or above it
	// wait until every handler the record reached has written it (and every
	// record before it), as Python's handlers write before the call returns;
	// so an ERROR is on disk before the program goes on to crash. Default
	// NOTSET: no call waits. A handler stuck in its sink holds the caller
	// until it recovers.
	FlushLevel record.Level
	// Synchronous makes every logging call wait until its record is written,
	// as FlushLevel at the lowest level: for tests and short command-line
	// programs that must not lose the tail and do not mind the cost (a round
	// trip to each handler actor per record). Default false.
	Synchronous bool
	// ContextAttrs, when not nil, is called by the slog handler with the
	// context of each enabled record (slog's Logger.InfoContext and
	// friends); the attributes it returns are added to the record after its
	// own, at the top level. It is the place to turn a tracing span in the
	// context into trace and span IDs without actorlog importing a tracing
	// library. It runs on the caller's goroutine and must be safe for
	// concurrent use. Default nil.
	ContextAttrs func(ctx context.Context) []slog.Attr
	// ExitTimeout bounds how long Exit waits for the handlers to drain.
	// Default 0: 10 seconds.
	ExitTimeout time.Duration
	// Clock times the rate limit of error reports; nil means clock.System().
	// (Each handler's ticks and back-off take HandlerOptions.Clock.)
	Clock clock.Clock
}

// Engine owns one actor system, the tree of named loggers and the handler
// actors. All methods are safe for concurrent use.
type Engine struct {
	opts   Options
	sys    *actor.ActorSystem
	errs   *handleractor.ErrorReporter
	closed atomic.Bool

	mu       sync.Mutex // serialises configuration changes
	root     *Logger
	loggers  map[string]*Logger
	handlers []*Handler // in creation order
	byName   map[string]*Handler

	lastResortMu sync.Mutex
	unhandled    atomic.Uint64 // records that reached no handler and no last resort
	shutdownOnce sync.Once
	shutdownErr  error
	lateOnce     sync.Once
	// noHandlersOnce guards Python's one "No handlers could be found" line.
	noHandlersOnce sync.Once

	// receivers report their counters in Stats (guarded by mu).
	receivers   map[uint64]func() ReceiverStats
	receiverSeq uint64
}

// warnAfterShutdown says once, on the error output, that records are
// arriving after Shutdown; each handler counts them as dropped (closed).
func (e *Engine) warnAfterShutdown() {
	e.lateOnce.Do(func() {
		_, _ = io.WriteString(e.opts.ErrorOutput, "actorlog: records logged after Shutdown are dropped (counted as closed)\n")
	})
}

// New starts an engine. Its root logger has level WARNING and no handlers,
// as Python's.
func New(o Options) *Engine {
	if o.ErrorOutput == nil {
		o.ErrorOutput = os.Stderr
	}
	if o.LastResort == nil {
		o.LastResort = os.Stderr
	}
	e := &Engine{opts: o, loggers: map[string]*Logger{}, byName: map[string]*Handler{}}
	e.errs = handleractor.NewErrorReporter(o.ErrorOutput, o.Clock)
	errOut := o.ErrorOutput
	e.sys = actor.NewActorSystem(
		actor.WithLoggerFactory(func(s *actor.ActorSystem) *slog.Logger {
			if !o.ActorLogs {
				return slog.New(slog.DiscardHandler)
			}
			return slog.New(slog.NewTextHandler(errOut, &slog.HandlerOptions{Level: slog.LevelWarn})).With("lib", "protoactor")
		}),
		// A dead letter starts a goroutine that lives this long; keep it short
		// so that programs (and their leak tests) end cleanly.
		actor.WithDeadLetterThrottleInterval(10*time.Millisecond),
	)
	e.root = &Logger{eng: e, name: "", level: record.LevelWarning, propagate: true}
	e.loggers[""] = e.root
	e.recomputeLocked()
	return e
}

// Handler is a running handler: an actor that owns one sink, made by
// Engine.NewHandler and attached to loggers with Logger.AddHandler, as
// Python's logging.Handler. (The slog front end is Engine.SlogHandler.)
type Handler struct {
	eng     *Engine
	name    string
	level   atomic.Int64
	h       *handleractor.Handle
	targets []*Handler // a Forwarder's targets, drained after it; guarded by eng.mu
	// forwarder: the sink is an actors.Forwarder.
	forwarder bool
	// listener is Python's QueueListener of a Queue handler, else nil.
	listener *Listener
	// writesCaller: its own formatter writes the record's caller.
	writesCaller bool
}

// needsCallerLocked reports whether h's formatter, or a formatter of a
// handler its records are forwarded to, writes the record's caller (targets
// form no cycle).
func (h *Handler) needsCallerLocked() bool {
	if h.writesCaller {
		return true
	}
	for _, t := range h.targets {
		if t.needsCallerLocked() {
			return true
		}
	}
	return false
}

// needsCaller reports whether f writes the record's caller.
func needsCaller(f format.Formatter) bool {
	cn, ok := f.(format.CallerNeeder)
	return ok && cn.NeedsCaller()
}

// Name returns the handler's name.
func (h *Handler) Name() string { return h.name }

// Level returns the handler's level.
func (h *Handler) Level() record.Level { return record.Level(h.level.Load()) }

// Post offers a copy of r to the handler directly, as Python's
// Handler.handle: the handler's filters apply, its level does not (the
// level is the logger's check). It reports whether the handler's mailbox
// took the record; a refused record is counted by the handler. Memory and
// Queue handlers pass records to their targets this way.
func (h *Handler) Post(r *record.Record) bool { return h.h.Post(r) }

var _ actors.Target = (*Handler)(nil)

// ErrDuplicateHandler is returned by NewHandler for a name in use.
var ErrDuplicateHandler = errors.New("handler name already in use")

// ErrShutdown is returned for changes to an engine that has shut down.
var ErrShutdown = errors.New("engine shut down")

// ErrNoSink is returned by NewHandler for a nil sink.
var ErrNoSink = errors.New("no sink")

// ErrNoTarget is returned by NewHandler for a target name that names no
// handler.
var ErrNoTarget = errors.New("no handler of that name")

// NewHandler starts a handler actor that writes to sink. The engine owns the
// sink from now on and closes it at Shutdown; if NewHandler fails, the sink
// is closed. Attach the handler to loggers with Logger.AddHandler.
//
// A sink that is an actors.Forwarder is handed the handlers named by
// o.Targets, which must exist already.
func (e *Engine) NewHandler(name string, sink actors.Sink, o actors.HandlerOptions) (*Handler, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	fail := func(err error) (*Handler, error) {
		if sink != nil {
			_ = sink.Close()
		}
		return nil, err
	}
	if e.closed.Load() {
		return fail(fmt.Errorf("handler %q: %w", name, ErrShutdown))
	}
	if name == "" {
		name = fmt.Sprintf("handler%d", len(e.handlers)+1)
	}
	if _, dup := e.byName[name]; dup {
		return fail(fmt.Errorf("handler %q: %w", name, ErrDuplicateHandler))
	}
	if sink == nil {
		return nil, fmt.Errorf("handler %q: %w", name, ErrNoSink)
	}
	cfg := handleractor.Config{Errors: e.errs.Report}
	var targets []*Handler
	if _, ok := sink.(actors.Forwarder); ok {
		for _, t := range o.Targets {
			th := e.byName[t]
			if th == nil {
				return fail(fmt.Errorf("handler %q: target %q: %w", name, t, ErrNoTarget))
			}
			targets = append(targets, th)
			cfg.Targets = append(cfg.Targets, th)
		}
	}
	hd, err := handleractor.Spawn(e.sys, name, sink, o, cfg)
	if err != nil {
		return fail(err)
	}
	_, fw := sink.(actors.Forwarder)
	h := &Handler{eng: e, name: name, h: hd, targets: targets, forwarder: fw, writesCaller: needsCaller(o.Formatter)}
	if _, ok := sink.(*actors.Queue); ok {
		h.listener = &Listener{h: h}
	}
	h.level.Store(int64(o.Level))
	e.handlers = append(e.handlers, h)
	e.byName[name] = h
	return h, nil
}

// ErrNotForwarder is returned by SetTargets for a handler whose sink passes
// nothing on.
var ErrNotForwarder = errors.New("handler does not forward records")

// ErrTargetCycle is returned by SetTargets for targets that would pass
// records back to the handler.
var ErrTargetCycle = errors.New("targets would form a cycle")

// SetTargets replaces the handlers a forwarding handler (a Memory or Queue
// handler) passes records to, as Python's MemoryHandler.setTarget; with
// none, it has none. Records handled before the call went to the old
// targets; the call returns once the handler's actor has the new ones, or
// ctx ends. Shutdown drains the handler before its new targets, so what it
// passes on at the end reaches them. Each target must be a handler of this
// engine that does not pass records back to h (ErrTargetCycle).
func (h *Handler) SetTargets(ctx context.Context, targets ...*Handler) error {
	e := h.eng
	e.mu.Lock()
	switch {
	case e.closed.Load():
		e.mu.Unlock()
		return fmt.Errorf("handler %q: %w", h.name, ErrShutdown)
	case !h.forwarder:
		e.mu.Unlock()
		return fmt.Errorf("handler %q: %w", h.name, ErrNotForwarder)
	}
	ts := make([]actors.Target, len(targets))
	for i, t := range targets {
		if t == nil || e.byName[t.name] != t {
			e.mu.Unlock()
			return fmt.Errorf("handler %q: target: %w", h.name, ErrNoTarget)
		}
		if t.reachesLocked(h) {
			e.mu.Unlock()
			return fmt.Errorf("handler %q: target %q: %w", h.name, t.name, ErrTargetCycle)
		}
		ts[i] = t
	}
	h.targets = slices.Clone(targets)
	e.recomputeLocked() // the targets' formatters may need the caller
	e.mu.Unlock()
	return h.h.SetTargets(ctx, ts)
}

// reachesLocked reports whether records h handles can reach to, h itself
// included, along the handlers' targets.
func (h *Handler) reachesLocked(to *Handler) bool {
	seen := map[*Handler]bool{}
	stack := []*Handler{h}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if c == to {
			return true
		}
		if !seen[c] {
			seen[c] = true
			stack = append(stack, c.targets...)
		}
	}
	return false
}

// HandlerByName returns the handler called name, or nil.
func (e *Engine) HandlerByName(name string) *Handler {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.byName[name]
}

// Handlers returns every handler, in creation order.
func (e *Engine) Handlers() []*Handler {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.handlers)
}

// SetLevel changes a handler's level.
func (h *Handler) SetLevel(l record.Level) {
	e := h.eng
	e.mu.Lock()
	defer e.mu.Unlock()
	h.level.Store(int64(l))
	e.recomputeLocked()
}

// Logger returns the logger called name, creating it (and its place in the
// dotted hierarchy) if needed. "" and "root" are the root logger.
func (e *Engine) Logger(name string) *Logger {
	if name == "root" {
		name = ""
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if l, ok := e.loggers[name]; ok {
		return l
	}
	l := &Logger{eng: e, name: name, propagate: true}
	e.loggers[name] = l
	e.recomputeLocked()
	return l
}

// parentLocked finds a logger's nearest existing ancestor (Python's manager
// fixes up placeholders the same way: a.b.c under a when a.b does not exist).
func (e *Engine) parentLocked(name string) *Logger {
	for name != "" {
		i := strings.LastIndexByte(name, '.')
		if i < 0 {
			break
		}
		name = name[:i]
		if p, ok := e.loggers[name]; ok {
			return p
		}
	}
	return e.root
}

// recomputeLocked rebuilds every logger's precomputed state after a change:
// its effective level and the handlers its records reach along the
// propagate chain. Loggers read the state without locks.
func (e *Engine) recomputeLocked() {
	for name, l := range e.loggers {
		if l != e.root {
			l.parent = e.parentLocked(name)
		}
	}
	for _, l := range e.loggers {
		st := &loggerState{disabled: l.disabled, filters: slices.Clone(l.filters)}
		st.effective = record.LevelNotSet
		for c := l; c != nil; c = c.parent {
			if c.level != record.LevelNotSet {
				st.effective = c.level
				break
			}
		}
		for c := l; c != nil; c = c.parent {
			st.handlers = append(st.handlers, c.handlers...)
			if !c.propagate {
				break
			}
		}
		minHandler := record.Level(maxLevel)
		for _, h := range st.handlers {
			minHandler = min(minHandler, h.Level())
		}
		if len(st.handlers) == 0 {
			// Records past the logger's level go to the last resort, which
			// writes or counts them (Stats.Unhandled).
			minHandler = record.LevelNotSet
		}
		st.enabled = max(st.effective, minHandler)
		st.needCaller = e.opts.AddSource
		for _, h := range st.handlers {
			st.needCaller = st.needCaller || h.needsCallerLocked()
		}
		st.flushLevel = e.opts.FlushLevel
		if e.opts.Synchronous {
			st.flushLevel = record.Level(minLevel)
		}
		if st.disabled {
			st.enabled = maxLevel
		}
		l.state.Store(st)
		l.enabled.Store(int64(st.enabled))
	}
}

const (
	maxLevel = record.Level(int(^uint(0) >> 1))
	minLevel = -maxLevel - 1
)

// post hands a record to the handlers its logger reaches.
func (e *Engine) post(st *loggerState, r *record.Record) {
	if len(st.handlers) == 0 {
		e.lastResort(*r)
		return
	}
	for _, h := range st.handlers {
		if r.Level >= record.Level(h.level.Load()) {
			h.h.Post(r)
		}
	}
	if st.flushLevel != record.LevelNotSet && r.Level >= st.flushLevel {
		e.waitWritten(st, r.Level)
	}
}

// waitWritten waits until every handler that took a record at level has
// handled what it was given so far (FlushLevel, Synchronous).
func (e *Engine) waitWritten(st *loggerState, level record.Level) {
	for _, h := range st.handlers {
		if level >= record.Level(h.level.Load()) {
			_ = h.h.Flush(context.Background(), false)
		}
	}
}

// lastResort writes a record that reached no handler, as Python's
// logging.lastResort: WARNING and above, message only, to stderr. It takes
// the record by value so that the formatter call (through an interface) does
// not move every record of the hot path to the heap.
func (e *Engine) lastResort(r record.Record) {
	if e.opts.NoLastResort {
		// Python with lastResort = None says so once, on stderr.
		e.noHandlersOnce.Do(func() {
			name := r.Logger
			if name == "" {
				name = "root"
			}
			_, _ = io.WriteString(e.opts.ErrorOutput, "No handlers could be found for logger \""+name+"\"\n")
		})
	}
	if e.opts.NoLastResort || r.Level < record.LevelWarning || e.closed.Load() {
		e.unhandled.Add(1)
		return
	}
	// Records handed to handlers before this one are written first, so that
	// the last resort's line does not overtake them (Python writes both in
	// call order). The wait is bounded: a stuck handler delays the line,
	// it does not hold it back for ever.
	ctx, cancel := context.WithTimeout(context.Background(), lastResortWait)
	_ = e.Flush(ctx)
	cancel()
	buf := append(format.Default().Append(nil, &r), '\n')
	e.lastResortMu.Lock()
	_, _ = e.opts.LastResort.Write(buf)
	e.lastResortMu.Unlock()
}

// lastResortWait bounds how long a last-resort line waits for the handlers
// to write what they were given before it.
const lastResortWait = time.Second

// Exit shuts the engine down, draining every handler within
// Options.ExitTimeout (10 seconds by default), and then ends the program
// with os.Exit(code). It is for the paths that leave without returning from
// main: log.Fatal's and os.Exit's. Records still queued when the program
// ends are otherwise lost, since Go, unlike Python's atexit, runs nothing at
// exit:
//
//	if err != nil {
//		log.Error("cannot start", "err", err)
//		eng.Exit(1)
//	}
//
// A failure to drain in time is written to Options.ErrorOutput before the
// exit.
func (e *Engine) Exit(code int) {
	e.exit(code, os.Exit)
}

func (e *Engine) exit(code int, exit func(int)) {
	d := e.opts.ExitTimeout
	if d <= 0 {
		d = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	if err := e.Shutdown(ctx); err != nil {
		_, _ = fmt.Fprintf(e.opts.ErrorOutput, "actorlog: exit: %v\n", err)
	}
	cancel()
	exit(code)
}

// Flush waits until every record logged before the call has been handled by
// every handler and buffering sinks have flushed, or until ctx ends; the
// error then names each handler and how many records it had left.
func (e *Engine) Flush(ctx context.Context) error {
	return e.eachHandler(func(h *handleractor.Handle) error { return h.Flush(ctx, false) })
}

// Sync is Flush followed by fsync on every sink that can (files).
func (e *Engine) Sync(ctx context.Context) error {
	return e.eachHandler(func(h *handleractor.Handle) error { return h.Flush(ctx, true) })
}

// Reopen asks every sink that can (files) to reopen its destination, as a
// syslog daemon does on SIGHUP after logrotate moved its files, and waits
// until each has done so or ctx ends.
func (e *Engine) Reopen(ctx context.Context) error {
	return e.eachHandler(func(h *handleractor.Handle) error { return h.Reopen(ctx) })
}

// eachHandler sends a request to every handler in turn and joins the errors;
// a handler already stopped (after Shutdown) has nothing left to do. Each
// forwarder (a Memory or Queue handler) comes before its targets, so that
// what it passes on while it flushes reaches them before they flush.
func (e *Engine) eachHandler(req func(*handleractor.Handle) error) error {
	var errs []error
	for _, h := range e.forwardersFirst() {
		if err := ignoreStopped(req(h.h)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// forwardersFirst returns the handlers in reverse creation order (as
// Python's shutdown goes), moved where needed so that every forwarder comes
// before the targets it has now (targets never form a cycle).
func (e *Engine) forwardersFirst() []*Handler {
	e.mu.Lock()
	defer e.mu.Unlock()
	done := make(map[*Handler]bool, len(e.handlers))
	out := make([]*Handler, 0, len(e.handlers))
	var visit func(h *Handler)
	visit = func(h *Handler) { // appends h after every handler it reaches
		if done[h] {
			return
		}
		done[h] = true
		for _, t := range h.targets {
			visit(t)
		}
		out = append(out, h)
	}
	for _, h := range e.handlers {
		visit(h)
	}
	slices.Reverse(out)
	return out
}

// ignoreStopped drops the error of a request to a handler already stopped
// (after Shutdown): it has nothing left to do.
func ignoreStopped(err error) error {
	if errors.Is(err, handleractor.ErrStopped) {
		return nil
	}
	return err
}

// Shutdown stops taking records, drains every handler's mailbox, closes the
// sinks and stops the actor system. The handlers are drained at once, each
// within ctx, except that a handler forwarding to others (a Forwarder) is
// drained before its targets, so that what it passes on at the end still
// reaches them.
//
// If ctx ends first, what was still queued is dropped and counted
// (reason shutdown), InFlight is 0 for every handler, and the error says how
// many records each handler lost. A handler blocked in its sink past the
// deadline is abandoned: the batch it holds is counted as dropped too, and
// its goroutine ends when the sink call returns (it then closes the sink;
// nothing is counted twice). So Shutdown returns soon after ctx ends, however
// many sinks are stuck. Logging after Shutdown never blocks: the records are
// counted as dropped (closed). Calling Shutdown again returns the first
// result.
func (e *Engine) Shutdown(ctx context.Context) error {
	e.shutdownOnce.Do(func() {
		e.closed.Store(true)
		// Forwarders and their targets, taken once: SetTargets refuses
		// changes from now on.
		e.mu.Lock()
		hs := slices.Clone(e.handlers)
		targets := make(map[*Handler][]*Handler, len(hs))
		for _, h := range hs {
			targets[h] = slices.Clone(h.targets)
		}
		e.mu.Unlock()
		drained := make(map[*Handler]chan struct{}, len(hs))
		for _, h := range hs {
			drained[h] = make(chan struct{})
		}
		errs := make([]error, len(hs))
		var wg sync.WaitGroup
		for i, h := range hs {
			wg.Go(func() {
				defer close(drained[h])
				for _, src := range hs { // a forwarder before its targets (no cycles)
					if src != h && slices.Contains(targets[src], h) {
						select {
						case <-drained[src]:
						case <-ctx.Done():
						}
					}
				}
				errs[i] = h.h.Drain(ctx)
			})
		}
		wg.Wait()
		e.sys.Shutdown()
		e.shutdownErr = errors.Join(errs...)
	})
	return e.shutdownErr
}
