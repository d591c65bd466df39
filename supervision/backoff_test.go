package supervision

import (
	"errors"
	"log/slog"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/internal/optcheck"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// newFakeClock returns a fake clock and the channel that receives the delay
// of each restart it schedules.
func newFakeClock() (*clock.Fake, <-chan time.Duration) {
	c := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	return c, c.Scheduled(100)
}

func newTestSystem() *actor.ActorSystem {
	return actor.NewActorSystem(
		actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return slog.New(slog.DiscardHandler) }),
		actor.WithDeadLetterThrottleInterval(time.Millisecond),
	)
}

// failer panics on "fail"; it reports each instance's Started and Stopped,
// and the ints it receives.
type failer struct {
	started chan<- struct{}
	stopped chan<- struct{}
	ints    chan<- int
}

func (f *failer) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case string:
		if m == "fail" {
			panic("asked to fail")
		}
	case int:
		f.ints <- m
	}
	switch ctx.Message().(type) {
	case *actor.Started:
		f.started <- struct{}{}
	case *actor.Stopped:
		close(f.stopped)
	}
}

type harness struct {
	sys     *actor.ActorSystem
	pid     *actor.PID
	started chan struct{}
	stopped chan struct{}
	dead    chan any
	ints    chan int
}

// spawn starts a top-level failer supervised by b.
func spawn(t *testing.T, b *Backoff) *harness {
	t.Helper()
	h := &harness{sys: newTestSystem(), started: make(chan struct{}, 10), stopped: make(chan struct{}), dead: make(chan any, 10), ints: make(chan int, 10)}
	h.sys.EventStream.Subscribe(func(m any) {
		if d, ok := m.(*actor.DeadLetterEvent); ok {
			h.dead <- d.Message
		}
	})
	props := actor.PropsFromProducer(func() actor.Actor { return &failer{started: h.started, stopped: h.stopped, ints: h.ints} },
		actor.WithGuardian(b.Strategy()))
	h.pid = h.sys.Root.Spawn(props)
	<-h.started
	return h
}

// stop stops the actor, waits for it, and shuts the system down.
func (h *harness) stop() {
	h.sys.Root.Stop(h.pid)
	<-h.stopped
	h.sys.Shutdown()
}

type restartCall struct {
	attempt int
	delay   time.Duration
}

func TestDelaySchedule(t *testing.T) {
	var b Backoff
	var got []time.Duration
	for n := 0; n <= 9; n++ {
		got = append(got, b.Delay(n))
	}
	want := []time.Duration{1, 1, 2, 4, 8, 16, 30, 30, 30, 30}
	for i := range want {
		want[i] *= time.Second
	}
	if !slices.Equal(got, want) {
		t.Errorf("delays %v, want %v", got, want)
	}
	b2, err := New(Options{RetryStart: 10 * time.Millisecond, RetryFactor: 1.5, RetryMax: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if d := b2.Delay(3); d != 22500*time.Microsecond {
		t.Errorf("Delay(3) = %v, want 22.5ms", d)
	}
	if d := b2.Delay(1 << 30); d != time.Second {
		t.Errorf("Delay(huge) = %v, want the cap", d)
	}
	if o := b2.Options(); o.ResetAfter != 2*time.Second {
		t.Errorf("default ResetAfter = %v, want twice RetryMax", o.ResetAfter)
	}
}

// TestRestartDelays makes an actor fail repeatedly and checks that each
// restart waits exactly the schedule's delay on the fake clock.
func TestRestartDelays(t *testing.T) {
	clk, scheduled := newFakeClock()
	restarts := make(chan restartCall, 20)
	b, err := New(Options{Clock: clk, OnRestart: func(_ *actor.PID, attempt int, d time.Duration) {
		restarts <- restartCall{attempt, d}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	h := spawn(t, b)
	defer h.stop()

	want := []time.Duration{1, 2, 4, 8, 16, 30, 30}
	for i, w := range want {
		w *= time.Second
		h.sys.Root.Send(h.pid, "fail")
		if d := <-scheduled; d != w {
			t.Fatalf("failure %d: restart scheduled after %v, want %v", i+1, d, w)
		}
		// Not a nanosecond early.
		clk.Advance(w - 1)
		select {
		case <-h.started:
			t.Fatalf("failure %d: restarted before its delay", i+1)
		default:
		}
		clk.Advance(1)
		<-h.started
		if c := <-restarts; c.attempt != i+1 || c.delay != w {
			t.Errorf("OnRestart got %+v, want attempt %d delay %v", c, i+1, w)
		}
	}
	// Messages sent while a restart is pending wait, in order, for the new
	// instance.
	h.sys.Root.Send(h.pid, "fail")
	d := <-scheduled
	for i := range 3 {
		h.sys.Root.Send(h.pid, i)
	}
	select {
	case i := <-h.ints:
		t.Fatalf("message %d handled while the restart was pending", i)
	default:
	}
	clk.Advance(d)
	<-h.started
	for want := range 3 {
		if got := <-h.ints; got != want {
			t.Errorf("after the restart got message %d, want %d", got, want)
		}
	}
}

// TestSupervisingParent uses the Backoff as a parent's WithSupervisor, the
// other way to supervise handlers.
func TestSupervisingParent(t *testing.T) {
	clk, scheduled := newFakeClock()
	b, err := New(Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	sys := newTestSystem()
	defer sys.Shutdown()
	started, stopped, ints := make(chan struct{}, 10), make(chan struct{}), make(chan int, 10)
	childProps := actor.PropsFromProducer(func() actor.Actor { return &failer{started: started, stopped: stopped, ints: ints} })
	children := make(chan *actor.PID, 1)
	parent := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if _, ok := ctx.Message().(*actor.Started); ok {
			children <- ctx.Spawn(childProps)
		}
	}, actor.WithSupervisor(b.Strategy())))
	child := <-children
	<-started
	for _, want := range []time.Duration{time.Second, 2 * time.Second} {
		sys.Root.Send(child, "fail")
		if d := <-scheduled; d != want {
			t.Fatalf("restart scheduled after %v, want %v", d, want)
		}
		clk.Advance(want)
		<-started
	}
	sys.Root.Stop(parent) // stops the child first
	<-stopped
}

// TestResetAfterQuietRun checks that a run of ResetAfter without failure
// brings the delay back to RetryStart, and a shorter one does not.
func TestResetAfterQuietRun(t *testing.T) {
	clk, scheduled := newFakeClock()
	b, err := New(Options{Clock: clk, ResetAfter: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	h := spawn(t, b)
	defer h.stop()

	fail := func(want time.Duration, quiet time.Duration) {
		t.Helper()
		h.sys.Root.Send(h.pid, "fail")
		if d := <-scheduled; d != want {
			t.Fatalf("restart scheduled after %v, want %v", d, want)
		}
		clk.Advance(want)
		<-h.started
		clk.Advance(quiet)
	}
	fail(time.Second, 0)
	fail(2*time.Second, 0)
	fail(4*time.Second, time.Minute-time.Nanosecond) // not quite quiet long enough
	fail(8*time.Second, time.Minute)                 // quiet long enough
	fail(time.Second, 0)
	fail(2*time.Second, 0)
}

// TestNoRestartForStoppedChild stops the child while its restart is pending:
// the timer then does nothing, and no dead letter is made.
func TestNoRestartForStoppedChild(t *testing.T) {
	clk, scheduled := newFakeClock()
	restarted := make(chan struct{}, 1)
	b, err := New(Options{Clock: clk, OnRestart: func(*actor.PID, int, time.Duration) { restarted <- struct{}{} }})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	h := spawn(t, b)
	h.sys.Root.Send(h.pid, "fail")
	<-scheduled
	h.sys.Root.Stop(h.pid)
	<-h.stopped
	clk.Advance(time.Hour)
	select {
	case <-restarted:
		t.Error("a stopped child was restarted")
	default:
	}
	select {
	case m := <-h.dead:
		t.Errorf("dead letter: %v", m)
	default:
	}
	if n := b.Pending(); n != 0 {
		t.Errorf("%d restarts still pending", n)
	}
	h.sys.Shutdown()
}

// TestClosePendingRestart closes the Backoff with a restart pending on the
// real clock (an hour away): nothing fires, and goleak finds nothing.
func TestClosePendingRestart(t *testing.T) {
	defer goleak.VerifyNone(t)
	failed := make(chan struct{}, 1)
	b, err := New(Options{RetryStart: time.Hour, RetryMax: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	h := spawn(t, b)
	h.sys.EventStream.Subscribe(func(m any) {
		if e, ok := m.(*actor.SupervisorEvent); ok && e.Directive == actor.RestartDirective {
			failed <- struct{}{}
		}
	})
	h.sys.Root.Send(h.pid, "fail")
	<-failed
	if n := b.Pending(); n != 1 {
		t.Fatalf("%d restarts pending, want 1", n)
	}
	b.Close()
	b.Close() // idempotent
	if n := b.Pending(); n != 0 {
		t.Errorf("%d restarts pending after Close", n)
	}
	h.stop()
}

// TestFailureAfterCloseStops checks that after Close a failing child is
// stopped, not left suspended.
func TestFailureAfterCloseStops(t *testing.T) {
	clk, _ := newFakeClock()
	b, err := New(Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	h := spawn(t, b)
	b.Close()
	h.sys.Root.Send(h.pid, "fail")
	<-h.stopped
	if n := clk.Pending(); n != 0 {
		t.Errorf("%d timers scheduled after Close", n)
	}
	h.sys.Shutdown()
}

func TestValidate(t *testing.T) {
	if err := (Options{}).Validate(); err != nil {
		t.Errorf("zero options: %v", err)
	}
	for _, tc := range []struct {
		o    Options
		want string
	}{
		{Options{RetryStart: -1}, "RetryStart: must not be negative (got -1ns"},
		{Options{RetryMax: -time.Second}, "RetryMax: must not be negative (got -1s"},
		{Options{ResetAfter: -time.Second}, "ResetAfter: must not be negative (got -1s"},
		{Options{RetryFactor: 0.5}, "RetryFactor: must be at least 1 (got 0.5"},
		{Options{RetryFactor: -2}, "RetryFactor: must be at least 1 (got -2"},
		{Options{RetryFactor: math.NaN()}, "RetryFactor: must be a finite number (got NaN)"},
		{Options{RetryStart: time.Minute, RetryMax: time.Second}, "RetryMax: must not be below RetryStart 1m0s (got 1s)"},
		{Options{RetryStart: 25 * time.Hour, RetryMax: 25 * time.Hour}, "RetryStart: must be at most 24h0m0s (got 25h0m0s)"},
		{Options{ResetAfter: math.MaxInt64}, "ResetAfter: must be at most 24h0m0s"},
	} {
		err := tc.o.Validate()
		if !errors.Is(err, ErrInvalidOptions) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q", tc.o, err, tc.want)
		}
		if _, err := New(tc.o); err == nil {
			t.Errorf("New(%+v) accepted invalid options", tc.o)
		}
	}
	// every problem is reported, each naming its field
	err := Options{RetryStart: -1, RetryFactor: 0.5, ResetAfter: 48 * time.Hour}.Validate()
	var fields []string
	for _, f := range optcheck.Fields(err) {
		fields = append(fields, f.Field)
	}
	if want := []string{"RetryStart", "ResetAfter", "RetryFactor"}; !slices.Equal(fields, want) {
		t.Errorf("fields %v, want %v (%v)", fields, want, err)
	}
}
