package engine

import (
	"log/slog"
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	"github.com/actorlog/actorlog/filter"
	"github.com/actorlog/actorlog/record"
)

// Logger is a named node of the engine's dotted hierarchy: "app" is the
// parent of "app.db". Like Python's, it has a level (NOTSET defers to its
// parent), handlers, filters and propagate. Changes take a lock and rebuild
// the precomputed state of every logger; logging reads that state without
// locks.
type Logger struct {
	eng    *Engine
	name   string
	parent *Logger

	// guarded by eng.mu
	level     record.Level
	propagate bool
	disabled  bool
	handlers  []*Handler
	filters   []filter.Filter

	state atomic.Pointer[loggerState]
	// enabled mirrors state.enabled, so that Log's check is small enough to
	// be inlined at every call site.
	enabled atomic.Int64
}

// loggerState is what a logging call needs, rebuilt on every change.
type loggerState struct {
	// enabled is the lowest level that does any work: above both the
	// effective level and the lowest level of the handlers reached.
	enabled   record.Level
	effective record.Level
	handlers  []*Handler // along the propagate chain, in Python's order
	filters   []filter.Filter
	disabled  bool
	// needCaller: some handler reached writes the caller, or AddSource.
	needCaller bool
	// flushLevel: records at or above it wait until written; NOTSET: none.
	flushLevel record.Level
}

// Name returns the logger's dotted name ("" for root).
func (l *Logger) Name() string { return l.name }

// SetLevel sets the logger's own level; LevelNotSet defers to the parent.
func (l *Logger) SetLevel(level record.Level) {
	l.eng.mu.Lock()
	defer l.eng.mu.Unlock()
	l.level = level
	l.eng.recomputeLocked()
}

// Level returns the logger's own level.
func (l *Logger) Level() record.Level {
	l.eng.mu.Lock()
	defer l.eng.mu.Unlock()
	return l.level
}

// EffectiveLevel returns the level that applies: the first level set on the
// way up to the root (Python's getEffectiveLevel).
func (l *Logger) EffectiveLevel() record.Level { return l.state.Load().effective }

// SetPropagate sets whether records go on to the parent's handlers.
func (l *Logger) SetPropagate(p bool) {
	l.eng.mu.Lock()
	defer l.eng.mu.Unlock()
	l.propagate = p
	l.eng.recomputeLocked()
}

// SetDisabled turns the logger off entirely (Python's disabled attribute,
// set by disable_existing_loggers).
func (l *Logger) SetDisabled(d bool) {
	l.eng.mu.Lock()
	defer l.eng.mu.Unlock()
	l.disabled = d
	l.eng.recomputeLocked()
}

// AddHandler attaches a handler. As in Python, attaching the same handler
// twice to one logger has no effect.
func (l *Logger) AddHandler(h *Handler) {
	l.eng.mu.Lock()
	defer l.eng.mu.Unlock()
	if !slices.Contains(l.handlers, h) {
		l.handlers = append(l.handlers, h)
	}
	l.eng.recomputeLocked()
}

// RemoveHandler detaches a handler; it keeps running for other loggers.
func (l *Logger) RemoveHandler(h *Handler) {
	l.eng.mu.Lock()
	defer l.eng.mu.Unlock()
	l.handlers = slices.DeleteFunc(l.handlers, func(x *Handler) bool { return x == h })
	l.eng.recomputeLocked()
}

// AddFilter adds a filter that records logged on this logger must pass.
// As in Python, it does not apply to records propagated from children.
func (l *Logger) AddFilter(f filter.Filter) {
	l.eng.mu.Lock()
	defer l.eng.mu.Unlock()
	l.filters = append(l.filters, f)
	l.eng.recomputeLocked()
}

// Enabled reports whether a record at level would do any work.
func (l *Logger) Enabled(level record.Level) bool { return level >= l.state.Load().enabled }

// Log logs msg with attrs at level. It is the native fast path: a disabled
// level costs one atomic load and a compare, inlined at the call site.
func (l *Logger) Log(level record.Level, msg string, attrs ...slog.Attr) {
	if int64(level) >= l.enabled.Load() {
		l.log(level, msg, attrs)
	}
}

// log builds the record on the stack and posts it.
func (l *Logger) log(level record.Level, msg string, attrs []slog.Attr) {
	st := l.state.Load()
	if level < st.enabled { // the configuration changed since Log looked
		return
	}
	var r record.Record
	r.Time = time.Now()
	r.Level = level
	r.Logger = l.name
	r.Message = msg
	if st.needCaller {
		var pcs [1]uintptr
		runtime.Callers(3, pcs[:]) // Callers, log, Log: the caller of Log
		r.PC = pcs[0]
	}
	r.AddAttrs(attrs...)
	l.eng.dispatch(st, &r)
}

// LogRecord posts a record that was built elsewhere (decoded from the wire,
// say) through this logger's handlers, after the same level and filter
// checks as Log. The record's own Logger name is kept.
func (l *Logger) LogRecord(r *record.Record) {
	st := l.state.Load()
	if r.Level < st.enabled {
		return
	}
	l.eng.dispatch(st, r)
}

// dispatch applies the logger's filters and posts r.
func (e *Engine) dispatch(st *loggerState, r *record.Record) {
	if e.closed.Load() {
		e.warnAfterShutdown()
	}
	if len(st.filters) > 0 && !passes(st.filters, *r) {
		return
	}
	e.post(st, r)
}

// passes takes the record by value so that handing a pointer to the
// filters (an interface call) does not move every record to the heap.
func passes(fs []filter.Filter, r record.Record) bool {
	return filter.All(fs, &r)
}
