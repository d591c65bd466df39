package clock_test

import (
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/clock"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestFakeRunsDueTimersInOrder(t *testing.T) {
	c := clock.NewFake(t0)
	var got []int
	c.AfterFunc(3*time.Second, func() { got = append(got, 3) })
	c.AfterFunc(time.Second, func() { got = append(got, 1) })
	stopped := c.AfterFunc(2*time.Second, func() { got = append(got, 2) })
	c.AfterFunc(time.Second, func() { got = append(got, 11) })
	if !stopped.Stop() || stopped.Stop() {
		t.Fatal("Stop should report true once")
	}
	c.Advance(999 * time.Millisecond)
	if len(got) != 0 || c.Pending() != 3 {
		t.Fatalf("before due: ran %v, pending %d", got, c.Pending())
	}
	c.Advance(5 * time.Second)
	if want := []int{1, 11, 3}; !equal(got, want) {
		t.Fatalf("ran %v, want %v", got, want)
	}
	if c.Pending() != 0 || !c.Now().Equal(t0.Add(5999*time.Millisecond)) {
		t.Fatalf("pending %d now %v", c.Pending(), c.Now())
	}
}

func TestFakeSetAndScheduled(t *testing.T) {
	c := clock.NewFake(t0)
	sched := c.Scheduled(4)
	var mu sync.Mutex
	ran := false
	c.AfterFunc(time.Hour, func() { mu.Lock(); ran = true; mu.Unlock() })
	if d := <-sched; d != time.Hour {
		t.Fatalf("scheduled %v", d)
	}
	c.Set(t0.Add(time.Hour))
	mu.Lock()
	defer mu.Unlock()
	if !ran {
		t.Fatal("timer did not run at Set")
	}
}

func TestSystem(t *testing.T) {
	if clock.Or(nil) == nil || clock.Or(clock.NewFake(t0)).Now() != t0 {
		t.Fatal("Or")
	}
	done := make(chan struct{})
	clock.System().AfterFunc(time.Millisecond, func() { close(done) })
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("system timer did not fire")
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
