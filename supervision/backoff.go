package supervision

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// Defaults of Options, Python's SocketHandler schedule.
const (
	DefaultRetryStart  = time.Second
	DefaultRetryFactor = 2.0
	DefaultRetryMax    = 30 * time.Second
)

// ErrInvalidOptions is wrapped by the errors of Options.Validate.
var ErrInvalidOptions = errors.New("supervision: invalid options")

// Options configure a Backoff. The zero value is Python's schedule: 1 s,
// doubling, at most 30 s, reset after a minute without failure.
type Options struct {
	// RetryStart is the delay before the first restart after a failure.
	// 0 means DefaultRetryStart (1 s).
	RetryStart time.Duration
	// RetryFactor multiplies the delay after each further failure; 1 keeps
	// it constant. 0 means DefaultRetryFactor (2).
	RetryFactor float64
	// RetryMax caps the delay. 0 means DefaultRetryMax (30 s), or RetryStart
	// when that is larger.
	RetryMax time.Duration
	// ResetAfter is how long a restarted child must run without failing for
	// its next failure to start again at RetryStart. 0 means twice RetryMax
	// (1 min with the defaults): long enough that a child failing at the
	// capped rate is never mistaken for a healthy one.
	ResetAfter time.Duration
	// Clock schedules restarts and tells the time; nil means the system
	// clock (time.Now, time.AfterFunc). Tests pass a fake.
	Clock Clock
	// OnRestart, when set, is called each time a child is actually restarted
	// (not when a restart is abandoned because the child stopped), with the
	// child, the attempt number (1 after a first failure, counting up until
	// a reset) and the delay it waited. It runs on the timer's goroutine and
	// must not block.
	OnRestart func(child *actor.PID, attempt int, delay time.Duration)
}

// Clock is the time source of a Backoff.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// AfterFunc calls f on its own goroutine once d has passed, unless the
	// returned Timer is stopped first.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc call.
type Timer interface {
	// Stop prevents the call if it has not started; it reports whether it did.
	Stop() bool
}

// systemClock is the Clock of the real time.
type systemClock struct{}

func (systemClock) Now() time.Time                            { return time.Now() }
func (systemClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// Validate reports options that cannot work, naming the field: a negative
// duration, a RetryFactor below 1 (other than 0, the default) or not finite,
// a RetryMax below RetryStart.
func (o Options) Validate() error {
	var errs []error
	for _, f := range []struct {
		name string
		d    time.Duration
	}{{"RetryStart", o.RetryStart}, {"RetryMax", o.RetryMax}, {"ResetAfter", o.ResetAfter}} {
		if f.d < 0 {
			errs = append(errs, fmt.Errorf("%w: %s is %v, must not be negative (0 means the default)", ErrInvalidOptions, f.name, f.d))
		}
	}
	switch {
	case math.IsNaN(o.RetryFactor) || math.IsInf(o.RetryFactor, 0):
		errs = append(errs, fmt.Errorf("%w: RetryFactor is %v, must be a finite number", ErrInvalidOptions, o.RetryFactor))
	case o.RetryFactor != 0 && o.RetryFactor < 1:
		errs = append(errs, fmt.Errorf("%w: RetryFactor is %v, must be at least 1 (0 means the default %v)", ErrInvalidOptions, o.RetryFactor, DefaultRetryFactor))
	}
	if o.RetryMax > 0 && o.RetryStart > o.RetryMax {
		errs = append(errs, fmt.Errorf("%w: RetryMax %v is below RetryStart %v", ErrInvalidOptions, o.RetryMax, o.RetryStart))
	}
	return errors.Join(errs...)
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
	if o.Clock == nil {
		o.Clock = systemClock{}
	}
	return o
}

// Backoff is a protoactor SupervisorStrategy that restarts a failed child
// after a delay growing exponentially with its consecutive failures:
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
// actor.WithGuardian on its props (protoactor ignores WithSupervisor there);
// a child by its parent's actor.WithSupervisor. One Backoff may supervise
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
	attempt  int       // consecutive failures
	runStart time.Time // when the last restart was issued
	timer    Timer     // the pending restart, nil when none
	gen      int       // increases with each scheduled restart
}

var _ actor.SupervisorStrategy = (*Backoff)(nil)

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

// HandleFailure implements actor.SupervisorStrategy: it schedules the
// failed child's restart after Delay(n) and publishes a SupervisorEvent. It
// runs on the failing child's goroutine. After Close a failing child is
// stopped instead of restarted.
func (b *Backoff) HandleFailure(sys *actor.ActorSystem, sup actor.Supervisor, child *actor.PID,
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
