package supervision

import (
	"errors"
	"math"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/internal/optcheck"
)

// Defaults of Options, Python's SocketHandler schedule.
const (
	DefaultRetryStart  = time.Second
	DefaultRetryFactor = 2.0
	DefaultRetryMax    = 30 * time.Second
)

// ErrInvalidOptions is wrapped by every error of Options.Validate and New;
// each problem is an optcheck.FieldError naming its field.
var ErrInvalidOptions = errors.New("supervision: invalid options")

// DelayLimit bounds RetryStart, RetryMax and ResetAfter: a day. Longer is a
// unit mistake, and the arithmetic on them stays far from overflow.
const DelayLimit = 24 * time.Hour

// Options configure a Backoff. The zero value is Python's schedule: 1 s,
// doubling, at most 30 s, reset after a minute without failure.
type Options struct {
	// RetryStart is the delay before the first restart after a failure.
	// 0 means DefaultRetryStart (1 s); at most DelayLimit (24 h).
	RetryStart time.Duration `config:"retryStart"`
	// RetryFactor multiplies the delay after each further failure; 1 keeps
	// it constant. 0 means DefaultRetryFactor (2); otherwise at least 1 and
	// finite (a huge factor reaches RetryMax at the second failure).
	RetryFactor float64 `config:"retryFactor"`
	// RetryMax caps the delay. 0 means DefaultRetryMax (30 s), or RetryStart
	// when that is larger; at most DelayLimit, and not below RetryStart.
	RetryMax time.Duration `config:"retryMax"`
	// ResetAfter is how long a restarted child must run without failing for
	// its next failure to start again at RetryStart. 0 means twice RetryMax
	// (1 min with the defaults): long enough that a child failing at the
	// capped rate is never mistaken for a healthy one. At most DelayLimit.
	ResetAfter time.Duration `config:"resetAfter"`
	// Clock schedules restarts and tells the time; nil means clock.System().
	// Tests pass a clock.Fake.
	Clock clock.Clock
	// OnRestart, when set, is called each time a child is actually restarted
	// (not when a restart is abandoned because the child stopped), with the
	// child, the attempt number (1 after a first failure, counting up until
	// a reset) and the delay it waited. It runs on the timer's goroutine and
	// must not block.
	OnRestart func(child *actor.PID, attempt int, delay time.Duration)
}

// Validate reports every option that cannot work, each as an
// optcheck.FieldError wrapping ErrInvalidOptions: a negative duration or one
// above DelayLimit, a RetryFactor below 1 (other than 0, the default) or not
// finite, a RetryMax below RetryStart. The zero Options are valid.
func (o Options) Validate() error {
	p := optcheck.New(ErrInvalidOptions)
	for _, f := range []struct {
		name string
		d    time.Duration
	}{{"RetryStart", o.RetryStart}, {"RetryMax", o.RetryMax}, {"ResetAfter", o.ResetAfter}} {
		switch {
		case f.d < 0:
			p.Addf(f.name, "must not be negative (got %v; 0 means the default)", f.d)
		case f.d > DelayLimit:
			p.Addf(f.name, "must be at most %v (got %v)", DelayLimit, f.d)
		}
	}
	switch {
	case math.IsNaN(o.RetryFactor) || math.IsInf(o.RetryFactor, 0):
		p.Addf("RetryFactor", "must be a finite number (got %v)", o.RetryFactor)
	case o.RetryFactor != 0 && o.RetryFactor < 1:
		p.Addf("RetryFactor", "must be at least 1 (got %v; 0 means the default %v)", o.RetryFactor, DefaultRetryFactor)
	}
	if o.RetryMax > 0 && o.RetryStart > o.RetryMax {
		p.Addf("RetryMax", "must not be below RetryStart %v (got %v)", o.RetryStart, o.RetryMax)
	}
	return p.Err()
}

// withDefaults fills in the zero fields.
func (o Options) withDefaults() Options {
	if o.RetryStart <= 0 {
		o.RetryStart = DefaultRetryStart
	}
	if o.RetryFactor == 0 {
		o.RetryFactor = DefaultRetryFactor
	}
	if o.RetryMax <= 0 {
		o.RetryMax = max(DefaultRetryMax, o.RetryStart)
	}
	if o.ResetAfter <= 0 {
		o.ResetAfter = 2 * o.RetryMax
	}
	o.Clock = clock.Or(o.Clock)
	return o
}

// Backoff is a protoactor supervisor strategy (see Strategy) that restarts a
// failed child after a delay growing exponentially with its consecutive failures:
// Delay(n) for the n-th, from RetryStart, times RetryFactor each time, capped
// at RetryMax. A child that then runs ResetAfter without failing starts again
// at RetryStart. While a restart is pending the child's mailbox is suspended
// and its queued messages wait; a Stop still takes effect at once.
//
// A restart is a timer, not a goroutine. When it fires it checks the process
// registry first and does nothing for a child that has stopped meanwhile, so
// it never makes a dead letter (nor protoactor's dead-letter throttle
// goroutine). Close stops every pending timer; call it when the actor
// system shuts down.
//
// A top-level actor is supervised by the strategy given with
// actor.WithGuardian(b.Strategy()) on its props (protoactor ignores
// WithSupervisor there); a child by its parent's
// actor.WithSupervisor(b.Strategy()). One Backoff may supervise
// many children; each has its own count. A Backoff is safe for concurrent
// use; its zero value uses the default Options.
type Backoff struct {
	opts Options // as given; defaults are applied on use

	mu       sync.Mutex
	closed   bool
	children map[string]*childState // by PID id, for children that failed
}

// childState is one child's failure count and pending restart.
type childState struct {
	attempt  int         // consecutive failures
	runStart time.Time   // when the last restart was issued
	timer    clock.Timer // the pending restart, nil when none
	gen      int         // increases with each scheduled restart
}

// New returns a Backoff with the given options, or the error of
// opts.Validate.
func New(opts Options) (*Backoff, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	return &Backoff{opts: opts}, nil
}

// Options returns the options in effect, defaults filled in.
func (b *Backoff) Options() Options { return b.opts.withDefaults() }

// Delay returns the delay before the restart that follows the n-th
// consecutive failure: min(RetryStart * RetryFactor^(n-1), RetryMax), so
// 1 s, 2 s, 4 s, ..., 16 s, 30 s, 30 s with the defaults. n below 1 counts
// as 1.
func (b *Backoff) Delay(n int) time.Duration {
	o := b.opts.withDefaults()
	n = max(n, 1)
	d := float64(o.RetryStart) * math.Pow(o.RetryFactor, float64(n-1))
	if d >= float64(o.RetryMax) { // also +Inf
		return o.RetryMax
	}
	return time.Duration(d)
}

// Strategy returns b as protoactor's actor.SupervisorStrategy, for
// actor.WithGuardian or actor.WithSupervisor. Every call returns the same
// strategy: the children it supervises share b's state and its Close.
func (b *Backoff) Strategy() actor.SupervisorStrategy { return strategy{b} }

// strategy is a Backoff as protoactor's SupervisorStrategy.
type strategy struct{ b *Backoff }

var _ actor.SupervisorStrategy = strategy{}

// HandleFailure is called by protoactor on the failing child's goroutine.
func (s strategy) HandleFailure(sys *actor.ActorSystem, sup actor.Supervisor, child *actor.PID,
	rs *actor.RestartStatistics, reason, message interface{}) {
	s.b.handleFailure(sys, sup, child, rs, reason, message)
}

// handleFailure schedules the failed child's restart after Delay(n) and
// publishes a SupervisorEvent. After Close a failing child is stopped
// instead of restarted.
func (b *Backoff) handleFailure(sys *actor.ActorSystem, sup actor.Supervisor, child *actor.PID,
	_ *actor.RestartStatistics, reason, _ interface{}) {
	o := b.opts.withDefaults()
	now := o.Clock.Now()
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		sys.EventStream.Publish(&actor.SupervisorEvent{Child: child, Reason: reason, Directive: actor.StopDirective})
		sup.StopChildren(child)
		return
	}
	if b.children == nil {
		b.children = map[string]*childState{}
	}
	b.prune(now, o.ResetAfter)
	key := child.Id
	st := b.children[key]
	if st == nil {
		st = &childState{}
		b.children[key] = st
	}
	if st.attempt > 0 && now.Sub(st.runStart) >= o.ResetAfter {
		st.attempt = 0
	}
	st.attempt++
	if st.timer != nil { // a failure while a restart is pending: replace it
		st.timer.Stop()
	}
	st.gen++
	attempt, gen := st.attempt, st.gen
	delay := b.Delay(attempt)
	st.timer = o.Clock.AfterFunc(delay, func() { b.restart(sys, sup, child, st, gen, attempt, delay) })
	b.mu.Unlock()
	sys.EventStream.Publish(&actor.SupervisorEvent{Child: child, Reason: reason, Directive: actor.RestartDirective})
}

// restart is the timer's work: restart the child unless the Backoff was
// closed, the restart superseded, or the child stopped.
func (b *Backoff) restart(sys *actor.ActorSystem, sup actor.Supervisor, child *actor.PID, st *childState, gen, attempt int, delay time.Duration) {
	o := b.opts.withDefaults()
	b.mu.Lock()
	if b.closed || st.gen != gen || st.timer == nil {
		b.mu.Unlock()
		return
	}
	st.timer = nil
	st.runStart = o.Clock.Now()
	if _, alive := sys.ProcessRegistry.GetLocal(child.Id); !alive {
		delete(b.children, child.Id)
		b.mu.Unlock()
		return
	}
	b.mu.Unlock()
	sup.RestartChildren(child)
	if o.OnRestart != nil {
		o.OnRestart(child, attempt, delay)
	}
}

// prune forgets children with no pending restart whose count would be reset
// anyway, so that children that come and go do not accumulate. b.mu is held.
func (b *Backoff) prune(now time.Time, resetAfter time.Duration) {
	for k, st := range b.children {
		if st.timer == nil && now.Sub(st.runStart) >= resetAfter {
			delete(b.children, k)
		}
	}
}

// Pending reports how many restarts are scheduled and not yet fired.
func (b *Backoff) Pending() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, st := range b.children {
		if st.timer != nil {
			n++
		}
	}
	return n
}

// Close stops every pending restart; the children they were for stay
// suspended until they are stopped. Later failures stop the failing child.
// Close is idempotent.
func (b *Backoff) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for k, st := range b.children {
		if st.timer != nil {
			st.timer.Stop()
			st.timer = nil
		}
		delete(b.children, k)
	}
}
