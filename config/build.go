package config

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
)

// BuildOptions configure Build.
type BuildOptions struct {
	// Engine configures the engine Build makes.
	Engine engine.Options
	// Sinks gives the sinks what they need from outside the config (the
	// streams of StreamHandler).
	Sinks SinkEnv
	// MakeDirs creates the missing directories of the file handlers'
	// filenames (mode 0755). Off by default: Python's file handlers fail when
	// the directory does not exist.
	MakeDirs bool
}

// buildTimeout bounds the shutdown of a half-built engine.
const buildTimeout = 10 * time.Second

// Build makes a new engine from cfg: it creates the sinks and handler actors
// (in sorted-name order, each handler's targets before it, as dictConfig),
// then configures the loggers. On failure it closes what it made, shuts the
// engine down and returns an *Error naming the handler, wrapping ErrBuild and
// the cause.
//
// Relative file names resolve against the working directory, as Python's
// do. disable_existing_loggers concerns loggers that existed before the
// config; the engine is new, so it changes nothing here.
func Build(cfg *Config, opts BuildOptions) (*engine.Engine, error) {
	if opts.MakeDirs {
		for _, name := range cfg.HandlerOrder() {
			h := cfg.Handlers[name]
			if fn, isFile := h.Dest(); isFile && fn != "" {
				if err := os.MkdirAll(filepath.Dir(fn), 0o755); err != nil {
					return nil, h.buildError(cfg, err.Error(), err)
				}
			}
		}
	}
	e := engine.New(opts.Engine)
	env := &opts.Sinks
	newSink := func(h *HandlerSpec) (actors.Sink, error) { return h.Class.newSink(h.Options, env) }
	if err := apply(cfg, e, env, newSink); err != nil {
		ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
		defer cancel()
		_ = e.Shutdown(ctx)
		var ce *Error
		if !opts.MakeDirs && errors.Is(err, fs.ErrNotExist) && errors.As(err, &ce) {
			ce.Msg += " (is its directory missing? BuildOptions.MakeDirs creates the directories of file handlers, as actorlog serve does)"
		}
		return nil, err
	}
	return e, nil
}

// buildError is an error of Build about handler h.
func (h *HandlerSpec) buildError(cfg *Config, msg string, err error) *Error {
	return &Error{File: cfg.File, Line: h.Line, Column: h.Column, Path: joinKey("handlers", h.Name),
		Msg: msg, Err: fmt.Errorf("%w: %w", ErrBuild, err)}
}

// apply makes cfg's handlers in e, each with the sink newSink makes, and
// configures its loggers.
func apply(cfg *Config, e *engine.Engine, env *SinkEnv, newSink func(h *HandlerSpec) (actors.Sink, error)) error {
	env.built = make(map[string]*engine.Handler, len(cfg.Handlers))
	for _, name := range cfg.HandlerOrder() {
		h := cfg.Handlers[name]
		fail := func(err error) error { return h.buildError(cfg, fmt.Sprintf("%s: %v", h.Class.Name, err), err) }
		env.formatter = h.Formatter
		sink, err := newSink(h)
		if err != nil {
			return fail(err)
		}
		eh, err := e.NewHandler(name, sink, h.HandlerOptions)
		if err != nil { // NewHandler closed the sink
			return fail(err)
		}
		env.built[name] = eh
	}
	setup := func(l *engine.Logger, c *LoggerSpec) {
		if c.HasLevel {
			l.SetLevel(c.Level)
		}
		if c.Name != "" {
			l.SetPropagate(c.Propagate)
		}
		l.SetDisabled(false)
		for _, r := range c.Handlers {
			l.AddHandler(env.built[r.Name])
		}
		for _, f := range cfg.filters(c.Filters) {
			l.AddFilter(f)
		}
	}
	if cfg.Root != nil {
		setup(e.Logger(""), cfg.Root)
	}
	for _, name := range sortedKeys(cfg.Loggers) {
		setup(e.Logger(name), cfg.Loggers[name])
	}
	return nil
}

// HandlerOrder returns the handler ids in the order Build creates them:
// sorted by name, except that a handler's targets come before it.
func (c *Config) HandlerOrder() []string {
	names := sortedKeys(c.Handlers)
	done := make(map[string]bool, len(names))
	out := make([]string, 0, len(names))
	var visit func(string)
	visit = func(n string) {
		if done[n] {
			return
		}
		done[n] = true // Parse refused cycles; this also stops one
		for _, r := range c.Handlers[n].targets {
			if _, ok := c.Handlers[r.Name]; ok {
				visit(r.Name)
			}
		}
		out = append(out, n)
	}
	for _, n := range names {
		visit(n)
	}
	return out
}
