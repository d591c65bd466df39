package engine

import (
	"context"
	"log/slog"
	"runtime"
	"strings"
	"time"

	"github.com/actorlog/actorlog/record"
)

// SlogHandler returns a slog.Handler that logs through the named logger:
//
//	log := slog.New(eng.SlogHandler("app.db"))
//
// slog levels map onto Python's (record.FromSlog). With Options.ContextAttrs
// the attributes it finds in a call's context are added to the record. WithAttrs and WithGroup
// build an immutable record.Scope shared by every record of the derived
// handler, with LogValuers resolved once.
func (e *Engine) SlogHandler(logger string) slog.Handler {
	return &slogHandler{l: e.Logger(logger)}
}

type slogHandler struct {
	l     *Logger
	scope *record.Scope
}

var _ slog.Handler = (*slogHandler)(nil)

func (h *slogHandler) Enabled(_ context.Context, level slog.Level) bool {
	return record.FromSlog(level) >= h.l.state.Load().enabled
}

func (h *slogHandler) Handle(ctx context.Context, sr slog.Record) error {
	st := h.l.state.Load()
	level := record.FromSlog(sr.Level)
	if level < st.enabled {
		return nil
	}
	var r record.Record
	r.Time = sr.Time
	r.Level = level
	r.Logger = h.l.name
	r.Message = sr.Message
	r.PC = sr.PC
	r.Scope = h.scope
	if sr.NumAttrs() > 0 {
		sr.Attrs(func(a slog.Attr) bool {
			r.AddAttr(a)
			return true
		})
	}
	if fn := h.l.eng.opts.ContextAttrs; fn != nil && ctx != nil {
		r.AddAttrs(fn(ctx)...)
	}
	h.l.eng.dispatch(st, &r)
	return nil
}

func (h *slogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	return &slogHandler{l: h.l, scope: h.scope.WithAttrs(attrs)}
}

func (h *slogHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return &slogHandler{l: h.l, scope: h.scope.WithGroup(name)}
}

// Writer returns an io.Writer for the standard log package (log.New,
// log.SetOutput): each Write becomes one record at level on the named logger,
// without its trailing newline.
func (e *Engine) Writer(logger string, level record.Level) *LogWriter {
	return &LogWriter{l: e.Logger(logger), level: level}
}

// LogWriter is the io.Writer of Engine.Writer.
type LogWriter struct {
	l     *Logger
	level record.Level
}

// Write logs p as one record and reports len(p), nil. When a handler
// needs the caller, it is the caller of the log package's function (Printf,
// Println...), not the log package itself, as Python's findCaller skips
// logging's own frames.
func (w *LogWriter) Write(p []byte) (int, error) {
	st := w.l.state.Load()
	if w.level < st.enabled {
		return len(p), nil
	}
	var r record.Record
	r.Time = time.Now()
	r.Level = w.level
	r.Logger = w.l.name
	r.Message = strings.TrimSuffix(string(p), "\n")
	if st.needCaller {
		r.PC = callerOutside("log.")
	}
	w.l.eng.dispatch(st, &r)
	return len(p), nil
}

// callerOutside returns the program counter of the first caller of
// LogWriter.Write whose function is not in the package of prefix ("log.").
func callerOutside(prefix string) uintptr {
	var pcs [8]uintptr
	n := runtime.Callers(3, pcs[:]) // Callers, callerOutside, Write
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, prefix) {
			return f.PC + 1 // a return address, as runtime.Callers gives and Record.PC holds
		}
		if !more {
			return 0
		}
	}
}
