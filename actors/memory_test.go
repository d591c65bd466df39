package actors_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/filter"
	"github.com/actorlog/actorlog/internal/testio"
	"github.com/actorlog/actorlog/record"
)

// flakySink fails its first writes with a Retry error (a target whose
// destination is away), then keeps the messages it writes.
type flakySink struct {
	mu    sync.Mutex
	fails int
	got   []string
}

func (s *flakySink) WriteBatch(b *actors.Batch) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fails > 0 {
		s.fails--
		return 0, actors.Retry(errors.New("destination away"))
	}
	for _, r := range b.Records {
		s.got = append(s.got, r.Message)
	}
	return b.Len(), nil
}

func (s *flakySink) Close() error { return nil }

func (s *flakySink) messages() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.got, " ")
}

// TestMemoryHandlerPassesItsBufferToAFailingTarget runs a Memory handler in
// an engine: the buffer reaches its target in order when an ERROR arrives,
// through the target's supervision while the target fails, with the
// target's filters applying and its level not; at Shutdown what the Memory
// holds is passed on before the target is drained.
func TestMemoryHandlerPassesItsBufferToAFailingTarget(t *testing.T) {
	clk := clock.NewFake(time.Unix(1_000_000, 0))
	delays := clk.Scheduled(10)
	eng := engine.New(engine.Options{ErrorOutput: &testio.SyncBuffer{}})
	out := &flakySink{fails: 2}
	noB := filter.Func(func(r *record.Record) bool { return r.Message != "b" })
	_, err := eng.NewHandler("out", out, actors.HandlerOptions{Level: record.LevelCritical, Filters: []filter.Filter{noB}, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	sink, err := actors.NewMemory(actors.MemoryOptions{Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	mem, err := eng.NewHandler("mem", sink, actors.HandlerOptions{Targets: []string{"out"}})
	if err != nil {
		t.Fatal(err)
	}
	l := eng.Logger("app")
	l.SetLevel(record.LevelDebug)
	l.AddHandler(mem)
	for _, m := range []string{"a", "b", "c"} {
		l.Log(record.LevelDebug, m)
	}
	l.Log(record.LevelError, "boom") // flushes a, b, c, boom
	for range 2 {                    // two failures, two back-offs
		clk.Advance(receive(t, delays, "a restart scheduled"))
	}
	if err := eng.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := out.messages(); got != "a c boom" {
		t.Fatalf("target wrote %q, want a c boom", got)
	}
	l.Log(record.LevelInfo, "held")
	if err := eng.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := out.messages(); got != "a c boom held" {
		t.Fatalf("after Shutdown the target wrote %q", got)
	}
	st := eng.Stats()
	ms, _ := st.ForHandler("mem")
	os, _ := st.ForHandler("out")
	if ms.Written != 5 || ms.InFlight != 0 || sink.Forwarded() != 5 || sink.Discarded() != 0 {
		t.Errorf("memory stats %+v, forwarded %d", ms, sink.Forwarded())
	}
	if os.Accepted != 5 || os.Written != 4 || os.Filtered != 1 || os.Restarts != 2 || os.InFlight != 0 {
		t.Errorf("target stats %+v", os)
	}
}

// TestMemoryHandlerAtShutdownCountsWhatItDiscards checks flushOnClose
// false and a Memory without a target: nothing reaches anyone, and what was
// held is counted (Discarded) and, without a target, reported.
func TestMemoryHandlerAtShutdownCountsWhatItDiscards(t *testing.T) {
	eng := engine.New(engine.Options{ErrorOutput: &testio.SyncBuffer{}})
	out := &flakySink{}
	if _, err := eng.NewHandler("out", out, actors.HandlerOptions{}); err != nil {
		t.Fatal(err)
	}
	keep, _ := actors.NewMemory(actors.MemoryOptions{Capacity: 10, NoFlushOnClose: true})
	alone, _ := actors.NewMemory(actors.MemoryOptions{Capacity: 2})
	hk, err := eng.NewHandler("keep", keep, actors.HandlerOptions{Targets: []string{"out"}})
	if err != nil {
		t.Fatal(err)
	}
	ha, err := eng.NewHandler("alone", alone, actors.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l := eng.Logger("app")
	l.AddHandler(hk)
	l.AddHandler(ha)
	for _, m := range []string{"w1", "w2", "w3"} {
		l.Log(record.LevelWarning, m)
	}
	err = eng.Shutdown(context.Background())
	if !errors.Is(err, actors.ErrNotFlushed) || !strings.Contains(err.Error(), "2 records (no target)") {
		t.Fatalf("Shutdown: %v", err)
	}
	if out.messages() != "" || keep.Discarded() != 3 || alone.Discarded() != 2 {
		t.Fatalf("target got %q; discarded %d and %d", out.messages(), keep.Discarded(), alone.Discarded())
	}
	as, _ := eng.Stats().ForHandler("alone")
	if as.Written != 2 || as.Dropped[string(actors.ReasonNoTarget)] != 1 {
		t.Fatalf("stats of the Memory without target: %+v", as)
	}
}

// TestMemorySetTargetRacesFlush is CPython's
// test_race_between_set_target_and_flush: a target cleared and set again
// while records flush never crashes and never posts to a cleared target.
func TestMemorySetTargetRacesFlush(t *testing.T) {
	m, err := actors.NewMemory(actors.MemoryOptions{Capacity: 10, FlushLevel: record.LevelWarning})
	if err != nil {
		t.Fatal(err)
	}
	tg := &recordingTarget{}
	m.SetTarget(tg)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 1000 {
			if i%2 == 0 {
				m.SetTarget(nil)
			} else {
				m.SetTarget(tg)
			}
		}
	}()
	for range 1000 {
		m.WriteBatch(oneRecord(&record.Record{Level: record.LevelInfo, Message: "i"}))
		m.WriteBatch(oneRecord(&record.Record{Level: record.LevelWarning, Message: "w"}))
	}
	<-done
	m.SetTarget(tg)
	_ = m.Close()
	if got := len(tg.take()) + int(m.Discarded()); got > 2000 {
		t.Fatalf("%d records delivered of 2000", got)
	}
}

func TestMemoryOptionsValidate(t *testing.T) {
	err := actors.MemoryOptions{Capacity: -1, FlushLevel: -5}.Validate()
	if !errors.Is(err, actors.ErrInvalidOptions) || !strings.Contains(err.Error(), "Capacity") || !strings.Contains(err.Error(), "FlushLevel") {
		t.Fatalf("got %v", err)
	}
	if _, err := actors.NewMemory(actors.MemoryOptions{Capacity: actors.MaxCapacity + 1}); !errors.Is(err, actors.ErrInvalidOptions) {
		t.Fatalf("got %v", err)
	}
	if _, err := actors.NewBuffering(actors.BufferingOptions{Capacity: -1}); !errors.Is(err, actors.ErrInvalidOptions) {
		t.Fatalf("got %v", err)
	}
	if err := (actors.MemoryOptions{}).Validate(); err != nil {
		t.Fatalf("zero value: %v", err)
	}
}

// TestMemoryTargetSetLater is Python's setTarget through the engine: a
// Memory made without a target keeps its records until one is set, then
// passes them on; Shutdown drains it before the target set later, so what
// it holds at the end arrives; targets that would loop are refused.
func TestMemoryTargetSetLater(t *testing.T) {
	eng := engine.New(engine.Options{ErrorOutput: &testio.SyncBuffer{}})
	sink, _ := actors.NewMemory(actors.MemoryOptions{Capacity: 10})
	mem, err := eng.NewHandler("mem", sink, actors.HandlerOptions{}) // made first: no creation order helps
	if err != nil {
		t.Fatal(err)
	}
	out := &flakySink{}
	oh, err := eng.NewHandler("out", out, actors.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l := eng.Logger("app")
	l.AddHandler(mem)
	l.Log(record.LevelWarning, "w1")
	l.Log(record.LevelError, "e1") // flushes nowhere: kept
	ctx := context.Background()
	if err := mem.SetTargets(ctx, oh); err != nil {
		t.Fatal(err)
	}
	l.Log(record.LevelWarning, "w2")
	l.Log(record.LevelError, "e2")
	if err := eng.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got := out.messages(); got != "w1 e1 w2 e2" {
		t.Fatalf("target got %q", got)
	}
	if err := oh.SetTargets(ctx, mem); !errors.Is(err, engine.ErrNotForwarder) {
		t.Fatalf("SetTargets on a plain handler: %v", err)
	}
	if err := mem.SetTargets(ctx, mem); !errors.Is(err, engine.ErrTargetCycle) {
		t.Fatalf("a Memory as its own target: %v", err)
	}
	sink2, _ := actors.NewMemory(actors.MemoryOptions{Capacity: 10})
	mem2, err := eng.NewHandler("mem2", sink2, actors.HandlerOptions{Targets: []string{"mem"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := mem.SetTargets(ctx, mem2); !errors.Is(err, engine.ErrTargetCycle) {
		t.Fatalf("a loop of two: %v", err)
	}
	l.Log(record.LevelWarning, "held")
	if err := eng.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if got := out.messages(); got != "w1 e1 w2 e2 held" {
		t.Fatalf("after Shutdown the target got %q", got)
	}
	if err := mem.SetTargets(ctx); !errors.Is(err, engine.ErrShutdown) {
		t.Fatalf("after Shutdown: %v", err)
	}
}
