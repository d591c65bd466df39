package handleractor

import (
	"errors"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// handlerActor is one incarnation of a handler. protoactor makes a new one
// after each restart; everything that must survive lives in core.
type handlerActor struct {
	core  *core
	recs  []*record.Record // the records of the run being written
	out   formatted        // the run filtered and encoded for the sink
	sides []formatted      // the helpers' parts, when a large run is formatted in parallel
	segs  []segment        // where each chunk of such a run went, by chunk
	todo  atomic.Uint64    // the chunks not yet taken (see takeChunk)
	// giveUp is the record of the run given up after crashes, or -1.
	giveUp int
}

var _ actor.Actor = (*handlerActor)(nil)

// Receive handles one message under the guard (see guard): batches touch
// the mailbox only while holding, everything else runs busy, so that a
// drain past its deadline can abandon the actor wherever it blocks.
func (a *handlerActor) Receive(ctx actor.Context) {
	c := a.core
	msg := ctx.Message()
	switch msg.(type) {
	case *mailbox.Batch[record.Record], *flushMsg, *reopenMsg, *drainMsg, *tickMsg, *targetsMsg, *actor.Started, *actor.Stopping:
	case *actor.Stopped:
		close(c.guard.stopped)
		return
	default:
		return
	}
	if !c.guard.enter() {
		a.afterAbandon(msg)
		return
	}
	defer func() {
		if !c.guard.leave() {
			a.afterAbandon(msg)
		}
	}()
	a.passDeadline()
	if b, ok := msg.(*mailbox.Batch[record.Record]); ok {
		a.handleBatch(b)
		return
	}
	c.guard.away()
	a.control(ctx, msg)
}

// control handles the messages other than batches, busy.
func (a *handlerActor) control(ctx actor.Context, msg any) {
	c := a.core
	switch m := msg.(type) {
	case *flushMsg:
		m.done <- a.flush(m.sync)
	case *reopenMsg:
		var err error
		if r, ok := c.sink.(actors.Reopener); ok && !c.closed {
			if err = r.Reopen(); err != nil {
				a.report(err)
			}
		}
		m.done <- err
	case *drainMsg:
		err := a.flush(false)
		if cerr := a.closeSink(); cerr != nil {
			err = errors.Join(err, cerr)
		}
		m.done <- err
	case *targetsMsg:
		if f, ok := c.sink.(actors.Forwarder); ok && !c.closed {
			f.SetTargets(m.targets)
		}
		m.done <- nil
	case *tickMsg:
		if c.ticks.due(m) && !c.closed {
			if err := c.ticks.sink.Tick(c.ticks.clock.Now()); err != nil {
				a.report(err)
			}
			c.ticks.schedule()
		}
	case *actor.Started:
		if c.started { // a restart: counted here, before the new instance handles anything
			c.restarts.Add(1)
			if r, ok := c.sink.(actors.Resetter); ok && !c.closed {
				if err := r.Reset(); err != nil {
					a.report(err)
				}
			}
			c.ticks.schedule() // a crash in Tick left none pending
			return
		}
		c.started = true
		sys, self := ctx.ActorSystem(), ctx.Self()
		c.ticks.send = func(msg any) { sys.Root.Send(self, msg) }
		if f, ok := c.sink.(actors.Forwarder); ok && len(c.cfg.Targets) > 0 {
			f.SetTargets(c.cfg.Targets)
		}
		c.ticks.schedule()
	case *actor.Stopping:
		_ = a.closeSink()
	}
}

// afterAbandon finishes a message for an actor a drain abandoned: the
// mailbox has booked its records, so a batch is only handed back, and the
// sink is still closed when the actor stops.
func (a *handlerActor) afterAbandon(msg any) {
	switch m := msg.(type) {
	case *mailbox.Batch[record.Record]:
		m.Handled() // the mailbox emptied it: nothing is booked twice
	case *actor.Stopping:
		_ = a.closeSink()
	}
}

// passDeadline tells a Deadliner sink a drain's deadline, once.
func (a *handlerActor) passDeadline() {
	c := a.core
	if d := c.guard.deadline.Load(); d != c.deadlineSeen {
		c.deadlineSeen = d
		if dl, ok := c.sink.(actors.Deadliner); ok && !c.closed {
			dl.SetDeadline(time.Unix(0, d))
		}
	}
}

// closeSink flushes and closes the sink once, and stops its ticks.
func (a *handlerActor) closeSink() error {
	c := a.core
	if c.closed {
		return nil
	}
	c.closed = true
	c.ticks.stop()
	err := c.sink.Close()
	if err != nil {
		a.report(err)
	}
	return err
}

func (a *handlerActor) flushSink() error {
	if f, ok := a.core.sink.(actors.Flusher); ok && !a.core.closed {
		return f.Flush()
	}
	return nil
}

func (a *handlerActor) flush(sync bool) error {
	err := a.flushSink()
	if err != nil {
		a.report(err)
	}
	if sync {
		if s, ok := a.core.sink.(actors.Syncer); ok && !a.core.closed {
			if serr := s.Sync(); serr != nil {
				a.report(serr)
				err = errors.Join(err, serr)
			}
		}
	}
	return err
}

func (a *handlerActor) report(err error) {
	a.core.errors.Add(1)
	if a.core.cfg.Errors != nil {
		a.core.cfg.Errors(a.core.name, err)
	}
}
