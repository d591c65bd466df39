package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/record"
)

// TestShutdownAbandonsStuckSinksWithinTheDeadline drains three handlers
// whose sinks never return within a 100 ms deadline. Before, Shutdown took
// about 10 s per stuck handler, one after another (30.1 s), and left 1, 10
// and 10 records in flight; now the handlers drain at once, the stuck ones
// are abandoned at the deadline with everything they held counted as
// dropped (shutdown), and nothing is counted twice when their writes
// return later.
func TestShutdownAbandonsStuckSinksWithinTheDeadline(t *testing.T) {
	e := newEngine(t, Options{})
	l := e.Logger("")
	sinks := make([]*stuckSink, 3)
	names := []string{"a", "b", "c"}
	for i, name := range names {
		sinks[i] = newStuckSink()
		h, err := e.NewHandler(name, sinks[i], actors.HandlerOptions{})
		if err != nil {
			t.Fatal(err)
		}
		l.AddHandler(h)
	}
	l.Log(record.LevelError, "first") // each actor takes it and blocks
	for _, s := range sinks {
		<-s.entered
	}
	for i := 0; i < 9; i++ {
		l.Log(record.LevelError, "queued")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := e.Shutdown(ctx)
	took := time.Since(start)
	t.Logf("Shutdown returned after %v", took)
	if took > 3*time.Second {
		t.Fatalf("Shutdown took %v with a 100 ms deadline", took)
	}
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "10 records dropped at shutdown") {
		t.Fatalf("Shutdown error = %v", err)
	}
	check := func(when string) {
		t.Helper()
		for _, name := range names {
			st, _ := e.Stats().ForHandler(name)
			if st.Accepted != 10 || st.InFlight != 0 || st.Written != 0 || st.Dropped["shutdown"] != 10 || st.DroppedTotal() != 10 {
				t.Fatalf("%s, handler %s: %+v", when, name, st)
			}
		}
	}
	check("after Shutdown")

	for _, s := range sinks { // the writes return: the actors close their sinks and end
		close(s.release)
	}
	for _, s := range sinks {
		select {
		case <-s.closed:
		case <-time.After(10 * time.Second):
			t.Fatal("an abandoned handler never closed its sink")
		}
	}
	goleak.VerifyNone(t)
	check("after the sinks returned")
}
