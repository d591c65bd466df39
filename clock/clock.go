// Package clock is the one time source of actorlog: file rotation, the
// supervision back-off, the error reporter, the mailbox's block timeout and
// the handler actors' ticks all take a Clock, so that tests drive time by
// hand (Fake) and never wait on the real one.
//
// # Use
//
// Options structs take a Clock field whose zero value (nil) means System().
// A test passes a Fake and calls Advance; timers that come due run on the
// goroutine that called Advance, in the order they were due.
package clock

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// Clock tells the time and schedules calls.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// AfterFunc calls f on its own goroutine once d has passed, unless the
	// returned Timer is stopped first. f must not block for long.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc call.
type Timer interface {
	// Stop prevents the call if it has not started; it reports whether it
	// did. It never waits for a call that has started.
	Stop() bool
}

// System returns the real clock: time.Now and time.AfterFunc.
func System() Clock { return system{} }

// Or returns c, or System() when c is nil: the default of every Clock field.
func Or(c Clock) Clock {
	if c == nil {
		return system{}
	}
	return c
}

type system struct{}

func (system) Now() time.Time                            { return time.Now() }
func (system) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// Fake is a Clock that moves only when told to. Safe for concurrent use.
type Fake struct {
	mu     sync.Mutex
	now    time.Time
	seq    uint64
	timers []*fakeTimer
	// scheduled, when set by Scheduled, receives each AfterFunc delay.
	scheduled chan time.Duration
}

type fakeTimer struct {
	c    *Fake
	when time.Time
	seq  uint64
	f    func()
	done bool
}

// NewFake returns a Fake clock that reads t.
func NewFake(t time.Time) *Fake { return &Fake{now: t} }

// Now returns the fake time.
func (c *Fake) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc schedules f to run when Advance or Set reaches now+d. A d of
// zero or less is due at the next Advance (even Advance(0)).
func (c *Fake) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	c.seq++
	t := &fakeTimer{c: c, when: c.now.Add(d), seq: c.seq, f: f}
	c.timers = append(c.timers, t)
	ch := c.scheduled
	c.mu.Unlock()
	if ch != nil {
		ch <- d
	}
	return t
}

// Scheduled returns a channel that receives the delay of every later
// AfterFunc call (buffered for n; AfterFunc blocks when it is full), so a
// test can wait for a timer to be set instead of sleeping.
func (c *Fake) Scheduled(n int) <-chan time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.scheduled = make(chan time.Duration, n)
	return c.scheduled
}

// Advance moves the time on by d and runs the timers that came due, on the
// caller's goroutine, earliest first.
func (c *Fake) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	c.fire()
}

// Set moves the time to t (it may go backwards, as a wall clock may) and
// runs the timers that came due.
func (c *Fake) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
	c.fire()
}

// Pending counts the timers neither fired nor stopped.
func (c *Fake) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.done {
			n++
		}
	}
	return n
}

func (c *Fake) fire() {
	c.mu.Lock()
	var due []*fakeTimer
	keep := c.timers[:0]
	for _, t := range c.timers {
		switch {
		case t.done:
		case !t.when.After(c.now):
			t.done = true
			due = append(due, t)
		default:
			keep = append(keep, t)
		}
	}
	clear(c.timers[len(keep):])
	c.timers = keep
	c.mu.Unlock()
	slices.SortFunc(due, func(a, b *fakeTimer) int {
		if c := a.when.Compare(b.when); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	for _, t := range due {
		t.f()
	}
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.done
	t.done = true
	return was
}

var (
	_ Clock = system{}
	_ Clock = (*Fake)(nil)
)
