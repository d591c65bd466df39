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

// forwardOnClose keeps the messages it is given and passes them to its
// targets only when it is closed, as Python's MemoryHandler flushes to its
// target on close.
type forwardOnClose struct {
	targets []actors.Target
	kept    []string
}

func (s *forwardOnClose) SetTargets(ts []actors.Target) { s.targets = ts }

func (s *forwardOnClose) WriteBatch(b *actors.Batch) (int, error) {
	for _, r := range b.Records {
		s.kept = append(s.kept, r.Message)
	}
	return b.Len(), nil
}

func (s *forwardOnClose) Close() error {
	for _, msg := range s.kept {
		r := record.Record{Level: record.LevelError, Message: msg}
		for _, t := range s.targets {
			t.Post(&r)
		}
	}
	return nil
}

// TestShutdownDrainsForwardersBeforeTheirTargets checks that what a
// forwarding handler passes on as it closes still reaches its targets,
// although handlers drain at once.
func TestShutdownDrainsForwardersBeforeTheirTargets(t *testing.T) {
	e := newEngine(t, Options{})
	out, buf := addStream(t, e, "out", actors.HandlerOptions{})
	mem, err := e.NewHandler("memory", &forwardOnClose{}, actors.HandlerOptions{Targets: []string{"out"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.NewHandler("lost", &forwardOnClose{}, actors.HandlerOptions{Targets: []string{"nowhere"}}); !errors.Is(err, ErrNoTarget) {
		t.Fatalf("unknown target: %v", err)
	}
	l := e.Logger("")
	l.AddHandler(mem)
	l.Log(record.LevelError, "kept until close")
	if err := e.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "kept until close\n" {
		t.Fatalf("target got %q", got)
	}
	if st, _ := e.Stats().ForHandler(out.Name()); st.Written != 1 || st.DroppedTotal() != 0 {
		t.Fatalf("target stats %+v", st)
	}
}
