package handleractor

import (
	"sync/atomic"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// core is what outlives actor restarts: the sink, the counters and the
// state a restarted actor picks up. Its plain fields belong to the actor's
// goroutine.
type core struct {
	name string
	sink actors.Sink
	enc  actors.Encoder // the sink, when it encodes records itself
	// discard: the sink is actors.Null, which reads no bytes, so records are
	// filtered and counted but not formatted (Python's NullHandler does not
	// format either).
	discard  bool
	opts     actors.HandlerOptions
	cfg      Config
	term     []byte
	mb       *mailbox.Mailbox[record.Record]
	guard    *guard
	errors   atomic.Uint64
	restarts atomic.Uint64

	closed       bool  // sink closed (by a drain, or as the actor stopped)
	started      bool  // an instance started before: the next Started is a restart
	deadlineSeen int64 // the drain deadline last passed to a Deadliner
	crash        crashWatch
	ticks        ticks
}

func newCore(name string, sink actors.Sink, o actors.HandlerOptions, cfg Config) (*core, error) {
	c := &core{name: name, sink: sink, opts: o, cfg: cfg, guard: newGuard()}
	c.crash.batchDone()
	c.enc, _ = sink.(actors.Encoder)
	switch sink.(type) {
	case actors.Null, *actors.Null:
		c.discard = true
	}
	_, bare := sink.(actors.Unterminated)
	switch {
	case c.enc != nil, o.NoTerminator, bare:
	case o.Terminator == "":
		c.term = []byte("\n")
	default:
		c.term = []byte(o.Terminator)
	}
	mb, err := mailbox.New[record.Record](o.Mailbox)
	if err != nil {
		return nil, err
	}
	c.mb = mb
	c.ticks.sink, _ = sink.(actors.Ticker)
	c.ticks.clock = clock.Or(o.Clock)
	return c, nil
}

// ticks schedules a Ticker sink's ticks: one clock timer at a time, whose
// call sends a tickMsg to the actor. Its fields belong to the actor.
type ticks struct {
	sink     actors.Ticker
	clock    clock.Clock
	send     func(msg any) // to the actor; set when it first starts
	timer    clock.Timer
	interval time.Duration // of the pending timer
	gen      uint64
}

// schedule asks the sink for its interval and arms the timer when none is
// pending or the interval changed.
func (t *ticks) schedule() {
	if t.sink == nil || t.send == nil {
		return
	}
	d := t.sink.TickInterval()
	if t.timer != nil && d == t.interval {
		return
	}
	t.stop()
	if d <= 0 {
		return
	}
	t.interval = d
	t.gen++
	gen, send := t.gen, t.send
	t.timer = t.clock.AfterFunc(d, func() { send(&tickMsg{gen: gen}) })
}

// due reports whether m is the tick of the pending timer, and clears it.
func (t *ticks) due(m *tickMsg) bool {
	if t.timer == nil || m.gen != t.gen {
		return false // a timer replaced or stopped after it fired
	}
	t.timer = nil
	return true
}

func (t *ticks) stop() {
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
	t.interval = 0
}
