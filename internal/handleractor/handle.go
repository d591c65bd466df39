package handleractor

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
	"github.com/actorlog/actorlog/supervision"
)

// ErrorHook is told of every error a handler meets, on the handler's actor.
// It must not block for long and must not log through the engine.
type ErrorHook func(handler string, err error)

// Config is what the engine gives a handler besides its options.
type Config struct {
	// Errors receives the handler's errors; nil discards them (they are
	// still counted).
	Errors ErrorHook
	// Targets are the handlers a Forwarder sink passes records to, in the
	// order of HandlerOptions.Targets.
	Targets []actors.Target

	// onParallel, when set (by tests), is called for each batch formatted in
	// parts on several goroutines, with the number of parts.
	onParallel func(parts int)
}

// ErrStopped is returned by control calls on a handler that has stopped.
var ErrStopped = errors.New("handler stopped")

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

// Spawn starts a handler actor named name around sink, under its own
// back-off supervisor. The sink is the handler's from now on: it is closed by
// Drain. The caller checks that sink is not nil.
func Spawn(sys *actor.ActorSystem, name string, sink actors.Sink, o actors.HandlerOptions, cfg Config) (*Handle, error) {
	o = withSinkDefaults(o, sink)
	if err := o.Mailbox.Validate(); err != nil {
		return nil, fmt.Errorf("handler %q: %w", name, err)
	}
	if o.Formatter == nil {
		o.Formatter = format.Default()
	}
	backoff, err := supervision.New(o.Supervision)
	if err != nil {
		return nil, fmt.Errorf("handler %q: %w", name, err)
	}
	c, err := newCore(name, sink, o, cfg)
	if err != nil {
		backoff.Close()
		return nil, fmt.Errorf("handler %q: %w", name, err)
	}
	h := &Handle{name: name, sys: sys, mb: c.mb, core: c, backoff: backoff, stopped: make(chan struct{})}
	props := actor.PropsFromProducer(func() actor.Actor { return &handlerActor{core: c} },
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

// withSinkDefaults fills the mailbox and supervision options o leaves zero
// from the sink's Defaults, and gives the back-off the handler's clock.
func withSinkDefaults(o actors.HandlerOptions, sink actors.Sink) actors.HandlerOptions {
	if d, ok := sink.(actors.Defaulter); ok {
		def := d.HandlerDefaults()
		m, dm := &o.Mailbox, def.Mailbox
		m.Capacity = cmpOr(m.Capacity, dm.Capacity)
		m.MaxBatch = cmpOr(m.MaxBatch, dm.MaxBatch)
		if m.Overflow == mailbox.Block && m.BlockTimeout == 0 {
			m.Overflow, m.BlockTimeout = dm.Overflow, dm.BlockTimeout
		}
		s, ds := &o.Supervision, def.Supervision
		s.RetryStart = cmpOr(s.RetryStart, ds.RetryStart)
		s.RetryFactor = cmpOr(s.RetryFactor, ds.RetryFactor)
		s.RetryMax = cmpOr(s.RetryMax, ds.RetryMax)
		s.ResetAfter = cmpOr(s.ResetAfter, ds.ResetAfter)
		if s.Clock == nil {
			s.Clock = ds.Clock
		}
		if s.OnRestart == nil {
			s.OnRestart = ds.OnRestart
		}
	}
	if o.Supervision.Clock == nil && o.Clock != nil {
		o.Supervision.Clock = o.Clock
	}
	return o
}

// cmpOr is cmp.Or for one fallback, kept short at its call sites.
func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Name returns the handler's name.
func (h *Handle) Name() string { return h.name }

// Post offers a record to the handler's mailbox (copied); see mailbox.Post.
func (h *Handle) Post(r *record.Record) bool { return h.mb.Post(r) }

// PostAll offers a run of records (copied) with one hand-off, and returns
// how many were accepted; see mailbox.PostAll.
func (h *Handle) PostAll(rs []record.Record) int { return h.mb.PostAll(rs) }

// Flush waits until every record posted before it has been handled and the
// sink flushed (and synced, when sync is true), or until ctx ends.
func (h *Handle) Flush(ctx context.Context, sync bool) error {
	return h.request(ctx, &flushMsg{sync: sync, done: make(chan error, 1)})
}

// SetTargets hands a Forwarder sink new targets on its actor, after the
// records posted before it, and waits until it has them or ctx ends.
func (h *Handle) SetTargets(ctx context.Context, ts []actors.Target) error {
	return h.request(ctx, &targetsMsg{targets: ts, done: make(chan error, 1)})
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
// sink, and stops the actor. A Deadliner sink is told ctx's deadline first.
//
// If ctx ends first, the actor is stopped where it is: what was still
// queued is counted as dropped (shutdown), and if the actor is inside a
// call of its sink (or of a formatter or filter) it is abandoned: an
// Interrupter sink is interrupted, the records of the batch it holds are
// counted as dropped too, and Drain returns without waiting. The actor's
// goroutine ends once that call returns (its results are not booked again),
// after closing the sink. Drain returns an error naming how many records
// were lost. Idempotent; a second call waits for the first.
func (h *Handle) Drain(ctx context.Context) error {
	if !h.stopOnce.CompareAndSwap(false, true) {
		<-h.stopped
		return nil
	}
	g := h.core.guard
	if dl, ok := ctx.Deadline(); ok {
		g.setDeadline(dl)
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
	if h.stop(ctx) {
		err = errors.Join(err, fmt.Errorf("handler %q: sink call abandoned at the deadline", h.name))
	}
	after := h.mb.Counts()
	if lost := after.Dropped[mailbox.ReasonShutdown] - before.Dropped[mailbox.ReasonShutdown]; lost > 0 {
		err = errors.Join(err, fmt.Errorf("handler %q: %d records dropped at shutdown", h.name, lost))
	}
	return err
}

// stop stops the actor (a system Stop overtakes whatever is still queued),
// closes the mailbox, counting what it held, and ends supervision. Once ctx
// has ended it waits for nothing that may block: an actor busy in a call is
// abandoned (see guard), and stop reports that it was.
func (h *Handle) stop(ctx context.Context) (wasAbandoned bool) {
	defer close(h.stopped)
	g := h.core.guard
	h.backoff.Close()
	h.sys.Root.Stop(h.pid)
	select {
	case <-g.stopped:
		h.mb.Close()
		return false
	case <-ctx.Done():
	}
	g.cut.Store(true)
	for {
		if g.abandon() {
			if i, ok := h.core.sink.(actors.Interrupter); ok {
				i.Interrupt()
			}
			// The actor is busy in a call and touches nothing of its batch
			// until released is closed: the mailbox books that batch now.
			h.mb.Abandon()
			close(g.released)
			return true
		}
		select {
		case <-g.stopped:
			h.mb.Close()
			return false
		case <-g.entered:
		}
	}
}

// Counts returns the handler's mailbox counters.
func (h *Handle) Counts() mailbox.Counts { return h.mb.Counts() }

// Capacity returns the handler's mailbox capacity, in records.
func (h *Handle) Capacity() int { return h.mb.Options().Capacity }

// Errors returns how many errors the handler has met.
func (h *Handle) Errors() uint64 { return h.core.errors.Load() }

// Restarts returns how many times supervision restarted the handler.
func (h *Handle) Restarts() uint64 { return h.core.restarts.Load() }

// Control messages, answered on their channel.
type (
	flushMsg struct {
		sync bool
		done chan error
	}
	reopenMsg struct{ done chan error }
	drainMsg  struct{ done chan error }
	// targetsMsg carries a Forwarder's new targets.
	targetsMsg struct {
		targets []actors.Target
		done    chan error
	}
	// tickMsg is a Ticker's tick; gen tells a tick from a timer that was
	// replaced.
	tickMsg struct{ gen uint64 }
)

func (m *flushMsg) reply() chan error   { return m.done }
func (m *reopenMsg) reply() chan error  { return m.done }
func (m *drainMsg) reply() chan error   { return m.done }
func (m *targetsMsg) reply() chan error { return m.done }

// FlushAsync is Flush without waiting: the outcome arrives on the returned
// channel (buffered, one value) once every record posted before the call has
// been handled and the sink flushed. A handler that stops first never
// answers; wait on Stopped as well.
func (h *Handle) FlushAsync() <-chan error {
	msg := &flushMsg{done: make(chan error, 1)}
	select {
	case <-h.stopped:
		msg.done <- fmt.Errorf("handler %q: %w", h.name, ErrStopped)
		return msg.done
	default:
	}
	h.sys.Root.Send(h.pid, msg)
	return msg.done
}

// Stopped is closed once the handler has stopped.
func (h *Handle) Stopped() <-chan struct{} { return h.stopped }

// SinkStats returns the sink's own counters when it is an
// actors.StatsReporter, else nil.
func (h *Handle) SinkStats() map[string]uint64 {
	if s, ok := h.core.sink.(actors.StatsReporter); ok {
		return s.SinkStats()
	}
	return nil
}
