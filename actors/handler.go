package actors

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actorlog/actorlog/filter"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
	"github.com/actorlog/actorlog/supervision"
)

// HandlerOptions configure one handler: the engine's Engine.NewHandler and
// the config file's handler entries take them. The zero value works: every
// record is written as its message, one per line, through a Block mailbox.
type HandlerOptions struct {
	// Level: records below it are not posted to the handler (the engine
	// checks it on the caller's goroutine, as Python's Logger.handle checks
	// a handler's level before calling it). Default NOTSET: every record.
	Level record.Level
	// Formatter formats each record; nil means Python's default,
	// "%(message)s" followed by exception and stack text.
	Formatter format.Formatter
	// Filters run on the actor, in order; a record that fails one is counted
	// as filtered. Level checks belong to the caller (the engine checks a
	// handler's level before posting, as Python's logger does).
	Filters []filter.Filter
	// Terminator is written after every record; "" means "\n" (Python's
	// default). Any other string is written as it is, "\x00" included.
	Terminator string
	// NoTerminator writes records with nothing after them (Python's
	// terminator = ""); Terminator is then ignored.
	NoTerminator bool
	// Mailbox sizes the handler's queue and picks its overflow policy.
	Mailbox mailbox.Options
	// Supervision is the restart back-off after a failure (a panic, or a sink
	// error wrapped with Retry).
	Supervision supervision.Options
}

// ErrorHook is told of every error a handler meets, on the handler's actor.
// It must not block for long and must not log through the engine.
type ErrorHook func(handler string, err error)

// DefaultFormatter is Python's Formatter() with no format: the message, then
// exception and stack text. Handlers use it when given no Formatter.
var DefaultFormatter format.Formatter = format.MustPython("%(message)s", format.PythonOptions{})

// Handle is the engine's side of one running handler actor: it posts records
// and sends control messages. Safe for concurrent use.
type Handle struct {
	name     string
	sys      *actor.ActorSystem
	pid      *actor.PID
	mb       *mailbox.Mailbox[record.Record]
	core     *core
	backoff  *supervision.Backoff
	stopOnce atomic.Bool
	stopped  chan struct{}
}

// core is what outlives actor restarts: the sink and the counters.
type core struct {
	name     string
	sink     Sink
	opts     HandlerOptions
	errHook  ErrorHook
	term     []byte
	mb       *mailbox.Mailbox[record.Record]
	errors   atomic.Uint64
	restarts atomic.Uint64
	closed   bool // sink closed by a drain (actor goroutine only)
	started  bool // an instance started before: the next Started is a restart
	// panics counts failures in a row at the same place of the same batch,
	// to give up on a record that crashes the sink every time.
	panics    int
	panicDone int
}

// Spawn starts a handler actor named name around sink, under its own
// back-off supervisor. The sink is the handler's from now on: it is closed by
// Drain or Stop. errs receives the handler's errors; nil discards them (they
// are still counted). See ErrorReporter for Python's handleError behaviour.
func Spawn(sys *actor.ActorSystem, name string, sink Sink, o HandlerOptions, errs ErrorHook) (*Handle, error) {
	if sink == nil {
		return nil, fmt.Errorf("handler %q: %w", name, ErrNoSink)
	}
	if err := o.Mailbox.Validate(); err != nil {
		return nil, fmt.Errorf("handler %q: %w", name, err)
	}
	if o.Formatter == nil {
		o.Formatter = DefaultFormatter
	}
	c := &core{name: name, sink: sink, opts: o, errHook: errs}
	switch {
	case o.NoTerminator:
	case o.Terminator == "":
		c.term = []byte("\n")
	default:
		c.term = []byte(o.Terminator)
	}
	sup := o.Supervision
	backoff, err := supervision.New(sup)
	if err != nil {
		return nil, fmt.Errorf("handler %q: %w", name, err)
	}
	if c.mb, err = mailbox.New[record.Record](o.Mailbox); err != nil {
		return nil, fmt.Errorf("handler %q: %w", name, err)
	}
	h := &Handle{name: name, sys: sys, mb: c.mb, core: c, backoff: backoff, stopped: make(chan struct{})}
	props := actor.PropsFromProducer(func() actor.Actor { return &handlerActor{core: c, h: h} },
		actor.WithMailbox(c.mb.Producer()),
		actor.WithGuardian(backoff.Strategy()),
	)
	pid, err := sys.Root.SpawnNamed(props, "handler/"+name)
	if err != nil {
		backoff.Close()
		return nil, fmt.Errorf("handler %q: %w", name, err)
	}
	h.pid = pid
	return h, nil
}

// ErrNoSink is returned by Spawn for a nil sink.
var ErrNoSink = errors.New("no sink")

// ErrStopped is returned by control calls on a handler that has stopped.
var ErrStopped = errors.New("handler stopped")

// Name returns the handler's name.
func (h *Handle) Name() string { return h.name }

// Post offers a record to the handler's mailbox (copied); see mailbox.Post.
func (h *Handle) Post(r *record.Record) bool { return h.mb.Post(r) }

// Flush waits until every record posted before it has been handled and the
// sink flushed (and synced, when sync is true), or until ctx ends.
func (h *Handle) Flush(ctx context.Context, sync bool) error {
	return h.request(ctx, &flushMsg{sync: sync, done: make(chan error, 1)})
}

// Reopen asks the sink to reopen its destination (after logrotate), after
// the records posted before it. A sink that cannot reopen ignores it.
func (h *Handle) Reopen(ctx context.Context) error {
	return h.request(ctx, &reopenMsg{done: make(chan error, 1)})
}

type request interface{ reply() chan error }

func (h *Handle) request(ctx context.Context, msg request) error {
	select {
	case <-h.stopped:
		return fmt.Errorf("handler %q: %w", h.name, ErrStopped)
	default:
	}
	h.sys.Root.Send(h.pid, msg)
	select {
	case err := <-msg.reply():
		return err
	case <-h.stopped:
		return fmt.Errorf("handler %q: %w", h.name, ErrStopped)
	case <-ctx.Done():
		return fmt.Errorf("handler %q: %d records not yet handled: %w", h.name, h.mb.Counts().Depth, ctx.Err())
	}
}

// Drain refuses new records, writes every queued one, flushes and closes the
// sink, and stops the actor. If ctx ends first, the actor is stopped
// anyway and what was still queued is counted as dropped (shutdown). It
// returns an error naming how many records were lost. Idempotent.
func (h *Handle) Drain(ctx context.Context) error {
	if !h.stopOnce.CompareAndSwap(false, true) {
		<-h.stopped
		return nil
	}
	h.mb.Seal()
	before := h.mb.Counts()
	msg := &drainMsg{done: make(chan error, 1)}
	h.sys.Root.Send(h.pid, msg)
	var err error
	select {
	case err = <-msg.done:
	case <-ctx.Done():
		err = fmt.Errorf("handler %q: drain: %w", h.name, ctx.Err())
	}
	h.stop()
	after := h.mb.Counts()
	if lost := after.Dropped[mailbox.ReasonShutdown] - before.Dropped[mailbox.ReasonShutdown]; lost > 0 {
		err = errors.Join(err, fmt.Errorf("handler %q: %d records dropped at shutdown", h.name, lost))
	}
	return err
}

// stop stops the actor (a system Stop overtakes whatever is still queued),
// closes the mailbox, counting what it held, and ends supervision.
func (h *Handle) stop() {
	h.backoff.Close()
	_ = h.sys.Root.StopFuture(h.pid).Wait()
	// If the actor did not stop (a sink blocked in a write for longer than
	// protoactor's 10 s stop timeout), the batch it holds is booked when its
	// write returns; Close counts only what is queued.
	h.mb.Close()
	close(h.stopped)
}

// Counts returns the handler's mailbox counters.
func (h *Handle) Counts() mailbox.Counts { return h.mb.Counts() }

// Errors returns how many errors the handler has met.
func (h *Handle) Errors() uint64 { return h.core.errors.Load() }

// Restarts returns how many times supervision restarted the handler.
func (h *Handle) Restarts() uint64 { return h.core.restarts.Load() }

// Sink returns the handler's sink, for inspection in tests and tools. It
// must not be called into while the handler runs.
func (h *Handle) Sink() Sink { return h.core.sink }

// Control messages, answered on their channel.
type (
	flushMsg struct {
		sync bool
		done chan error
	}
	reopenMsg struct{ done chan error }
	drainMsg  struct{ done chan error }
)

func (m *flushMsg) reply() chan error  { return m.done }
func (m *reopenMsg) reply() chan error { return m.done }
func (m *drainMsg) reply() chan error  { return m.done }
