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
	// through Logger.Log (slog records carry theirs already).
	AddSource bool
}

// Engine owns one actor system, the tree of named loggers and the handler
// actors. All methods are safe for concurrent use.
type Engine struct {
	opts   Options
	sys    *actor.ActorSystem
	errs   *actors.ErrorReporter
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
	e.errs = &actors.ErrorReporter{W: o.ErrorOutput}
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
	eng   *Engine
	name  string
	level atomic.Int64
	h     *actors.Handle
}

// Name returns the handler's name.
func (h *Handler) Name() string { return h.name }

// Level returns the handler's level.
func (h *Handler) Level() record.Level { return record.Level(h.level.Load()) }

// ErrDuplicateHandler is returned by NewHandler for a name in use.
var ErrDuplicateHandler = errors.New("handler name already in use")

// ErrShutdown is returned for changes to an engine that has shut down.
var ErrShutdown = errors.New("engine shut down")

// NewHandler starts a handler actor that writes to sink. The engine owns the
// sink from now on and closes it at Shutdown; if NewHandler fails, the sink
// is closed. Attach the handler to loggers with Logger.AddHandler.
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
	hd, err := actors.Spawn(e.sys, name, sink, o, e.errs.Report)
	if err != nil {
		return fail(err)
	}
	h := &Handler{eng: e, name: name, h: hd}
	h.level.Store(int64(o.Level))
	e.handlers = append(e.handlers, h)
	e.byName[name] = h
	return h, nil
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
		if st.disabled {
			st.enabled = maxLevel
		}
		l.state.Store(st)
		l.enabled.Store(int64(st.enabled))
	}
}

const maxLevel = record.Level(int(^uint(0) >> 1))

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
	buf := append(actors.DefaultFormatter.Append(nil, &r), '\n')
	e.lastResortMu.Lock()
	_, _ = e.opts.LastResort.Write(buf)
	e.lastResortMu.Unlock()
}

// Flush waits until every record logged before the call has been handled by
// every handler and buffering sinks have flushed, or until ctx ends; the
// error then names each handler and how many records it had left.
func (e *Engine) Flush(ctx context.Context) error {
	return e.eachHandler(func(h *actors.Handle) error { return h.Flush(ctx, false) })
}

// Sync is Flush followed by fsync on every sink that can (files).
func (e *Engine) Sync(ctx context.Context) error {
	return e.eachHandler(func(h *actors.Handle) error { return h.Flush(ctx, true) })
}

// Reopen asks every sink that can (files) to reopen its destination, as a
// syslog daemon does on SIGHUP after logrotate moved its files, and waits
// until each has done so or ctx ends.
func (e *Engine) Reopen(ctx context.Context) error {
	return e.eachHandler(func(h *actors.Handle) error { return h.Reopen(ctx) })
}

// eachHandler sends a request to every handler in turn and joins the errors;
// a handler already stopped (after Shutdown) has nothing left to do.
func (e *Engine) eachHandler(req func(*actors.Handle) error) error {
	var errs []error
	for _, h := range e.Handlers() {
		if err := req(h.h); err != nil && !errors.Is(err, actors.ErrStopped) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Shutdown stops taking records, drains every handler's mailbox, closes the
// sinks and stops the actor system. Handlers are drained in reverse creation
// order, as Python's logging.shutdown does. If ctx ends first, what was
// still queued is dropped and counted, and the error says how many records
// each handler lost. Logging after Shutdown never blocks: the records are
// counted as dropped (closed). Calling Shutdown again returns the first
// result.
func (e *Engine) Shutdown(ctx context.Context) error {
	e.shutdownOnce.Do(func() {
		e.closed.Store(true)
		hs := e.Handlers()
		var errs []error
		for i := len(hs) - 1; i >= 0; i-- {
			if err := hs[i].h.Drain(ctx); err != nil {
				errs = append(errs, err)
			}
		}
		e.sys.Shutdown()
		e.shutdownErr = errors.Join(errs...)
	})
	return e.shutdownErr
}
