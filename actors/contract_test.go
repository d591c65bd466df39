package actors_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/internal/testio"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
	"github.com/actorlog/actorlog/supervision"
)

// memorySink is a small sink with every optional ability of the contract:
// it encodes records itself ("msg|"), gives up some records alone, keeps
// the messages it wrote and passes them to its targets on each tick
// (lengthening its interval after the first), takes a drain's deadline,
// can be interrupted in a blocked write, and states its handler's defaults.
type memorySink struct {
	mu          sync.Mutex
	wrote       bytes.Buffer
	pending     []string
	targets     []actors.Target
	interval    time.Duration
	ticks       []time.Time
	deadline    time.Time
	entered     chan struct{} // closed when a "block" write begins
	interrupted chan struct{} // closed by Interrupt
	closed      chan struct{}
	interruptMu sync.Once
}

func newMemorySink() *memorySink {
	return &memorySink{interval: time.Minute, entered: make(chan struct{}), interrupted: make(chan struct{}), closed: make(chan struct{})}
}

var (
	_ actors.Sink        = (*memorySink)(nil)
	_ actors.Encoder     = (*memorySink)(nil)
	_ actors.Ticker      = (*memorySink)(nil)
	_ actors.Deadliner   = (*memorySink)(nil)
	_ actors.Interrupter = (*memorySink)(nil)
	_ actors.Forwarder   = (*memorySink)(nil)
	_ actors.Defaulter   = (*memorySink)(nil)
)

func (s *memorySink) AppendRecord(dst []byte, r *record.Record) ([]byte, error) {
	if r.Message == "unencodable" {
		return dst, errors.New("no encoding for it")
	}
	return append(append(dst, r.Message...), '|'), nil
}

func (s *memorySink) WriteBatch(b *actors.Batch) (int, error) {
	for i := 0; i < b.Len(); i++ {
		switch b.Records[i].Message {
		case "too big":
			b.Fail(i, "too_large", errors.New("record of 7 bytes over the limit"))
			continue
		case "block": // as a connect that hangs until its deadline is cut short
			close(s.entered)
			<-s.interrupted
			return i, errors.New("write interrupted")
		}
		s.mu.Lock()
		s.wrote.Write(b.Record(i))
		s.pending = append(s.pending, b.Records[i].Message)
		s.mu.Unlock()
	}
	return b.Len(), nil
}

func (s *memorySink) TickInterval() time.Duration { return s.interval }

func (s *memorySink) Tick(now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ticks = append(s.ticks, now)
	for _, msg := range s.pending {
		r := record.Record{Level: record.LevelInfo, Message: msg}
		for _, t := range s.targets {
			t.Post(&r)
		}
	}
	s.pending = nil
	s.interval = 2 * time.Minute
	return nil
}

func (s *memorySink) SetDeadline(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deadline = t
}

func (s *memorySink) Interrupt() { s.interruptMu.Do(func() { close(s.interrupted) }) }

func (s *memorySink) SetTargets(ts []actors.Target) { s.targets = ts }

func (s *memorySink) HandlerDefaults() actors.Defaults {
	return actors.Defaults{
		Mailbox:     mailbox.Options{Capacity: 16, Overflow: mailbox.DropNewest},
		Supervision: supervision.Options{RetryStart: 5 * time.Second},
	}
}

func (s *memorySink) Close() error {
	close(s.closed)
	return nil
}

func receive[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("no %s", what)
		panic("unreachable")
	}
}

// TestSinkContract drives memorySink through every ability: encoding,
// failing one record, ticks on a fake clock, forwarding to a target,
// a drain's deadline, an interrupted write, and per-class defaults.
func TestSinkContract(t *testing.T) {
	t.Run("encode, fail, tick, forward, deadline", func(t *testing.T) {
		errOut := &testio.SyncBuffer{}
		eng := engine.New(engine.Options{ErrorOutput: errOut})
		clk := clock.NewFake(time.Unix(1_000_000, 0))
		delays := clk.Scheduled(10)
		outBuf := &testio.SyncBuffer{}
		_, err := eng.NewHandler("out", actors.NewStream(outBuf), actors.HandlerOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sink := newMemorySink()
		mem, err := eng.NewHandler("mem", sink, actors.HandlerOptions{Targets: []string{"out"}, Clock: clk, Terminator: "never used"})
		if err != nil {
			t.Fatal(err)
		}
		if d := receive(t, delays, "first tick scheduled"); d != time.Minute {
			t.Fatalf("first tick in %v, want the sink's 1m", d)
		}
		l := eng.Logger("app")
		l.AddHandler(mem)
		for _, m := range []string{"a", "too big", "unencodable", "b"} {
			l.Log(record.LevelWarning, m)
		}
		if err := eng.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		sink.mu.Lock()
		wrote := sink.wrote.String()
		sink.mu.Unlock()
		if wrote != "a|b|" {
			t.Fatalf("sink wrote %q", wrote)
		}
		st, _ := eng.Stats().ForHandler("mem")
		if st.Written != 2 || st.DroppedTotal() != 2 || st.InFlight != 0 {
			t.Fatalf("stats %+v", st)
		}
		for _, want := range []string{"record dropped (too_large): record of 7 bytes over the limit", "cannot encode it: no encoding for it"} {
			if !strings.Contains(errOut.String(), want) {
				t.Fatalf("error output %q lacks %q", errOut.String(), want)
			}
		}

		clk.Advance(time.Minute) // the tick: a and b go to the target
		if d := receive(t, delays, "next tick scheduled"); d != 2*time.Minute {
			t.Fatalf("next tick in %v, want the changed 2m", d)
		}
		if err := eng.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := outBuf.String(); got != "a\nb\n" {
			t.Fatalf("target got %q", got)
		}
		if ost, _ := eng.Stats().ForHandler("out"); ost.Written != 2 {
			t.Fatalf("target stats %+v", ost)
		}

		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		dl, _ := ctx.Deadline()
		if err := eng.Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
		sink.mu.Lock()
		got, ticks := sink.deadline, len(sink.ticks)
		sink.mu.Unlock()
		if !got.Equal(dl) || ticks != 1 {
			t.Fatalf("deadline %v (want %v), %d ticks", got, dl, ticks)
		}
		receive(t, sink.closed, "Close")
	})

	t.Run("defaults, interrupt", func(t *testing.T) {
		eng := engine.New(engine.Options{ErrorOutput: &testio.SyncBuffer{}})
		sink := newMemorySink()
		h, err := eng.NewHandler("mem", sink, actors.HandlerOptions{Clock: clock.NewFake(time.Unix(0, 0))})
		if err != nil {
			t.Fatal(err)
		}
		l := eng.Logger("app")
		l.AddHandler(h)
		l.Log(record.LevelWarning, "block")
		receive(t, sink.entered, "blocked write")
		for i := 0; i < 20; i++ { // the sink's default: 16 places, drop the newest
			l.Log(record.LevelWarning, "x")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		err = eng.Shutdown(ctx)
		if took := time.Since(start); took > 3*time.Second || err == nil {
			t.Fatalf("Shutdown took %v: %v", took, err)
		}
		receive(t, sink.interrupted, "Interrupt")
		receive(t, sink.closed, "Close")
		st, _ := eng.Stats().ForHandler("mem")
		if st.Accepted != 17 || st.Dropped["full"] != 4 || st.Dropped["shutdown"] != 17 || st.InFlight != 0 || st.Written != 0 {
			t.Fatalf("stats %+v", st)
		}
	})
}
