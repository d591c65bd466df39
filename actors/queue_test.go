package actors_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/internal/testio"
	"github.com/actorlog/actorlog/record"
)

func pyFormat(t *testing.T, f string) format.Formatter {
	t.Helper()
	p, err := format.NewPython(f, format.PythonOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestQueueMatchesPython runs the case of testdata/queue.json (made by
// gen_queue_golden.py with Python's own QueueHandler and QueueListener):
// the prepared records (message merged by the queue handler's formatter,
// exception and stack text once) reach both handlers, or with
// respect_handler_level only those whose level they reach; a handler on
// the same logger sees the original records.
func TestQueueMatchesPython(t *testing.T) {
	b, err := os.ReadFile("testdata/queue.json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Records []struct {
			Level    record.Level `json:"level"`
			Msg      string       `json:"msg"`
			Args     []string     `json:"args"`
			ExcText  string       `json:"exc_text"`
			StackInf string       `json:"stack_info"`
		} `json:"records"`
		Outputs map[string]map[string]string `json:"outputs"`
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	for _, respect := range []bool{false, true} {
		name := "que.False"
		want := g.Outputs["respect_false"]
		if respect {
			name, want = "que.True", g.Outputs["respect_true"]
		}
		t.Run(name, func(t *testing.T) {
			eng := engine.New(engine.Options{ErrorOutput: &testio.SyncBuffer{}})
			defer eng.Shutdown(context.Background())
			outs := map[string]*testio.SyncBuffer{"all": {}, "crit": {}, "direct": {}}
			mustHandler := func(name string, s actors.Sink, o actors.HandlerOptions) *engine.Handler {
				h, err := eng.NewHandler(name, s, o)
				if err != nil {
					t.Fatal(err)
				}
				return h
			}
			mustHandler("all", actors.NewStream(outs["all"]), actors.HandlerOptions{Formatter: pyFormat(t, "%(levelname)s|%(message)s")})
			mustHandler("crit", actors.NewStream(outs["crit"]), actors.HandlerOptions{Level: record.LevelCritical})
			direct := mustHandler("direct", actors.NewStream(outs["direct"]), actors.HandlerOptions{})
			qs, _ := actors.NewQueue(actors.QueueOptions{RespectHandlerLevel: respect})
			qh := mustHandler("queue", qs, actors.HandlerOptions{
				Targets:   []string{"all", "crit"},
				Formatter: pyFormat(t, "%(name)s -> %(levelname)s: %(message)s"),
			})
			lst := qh.Listener()
			if lst == nil || direct.Listener() != nil {
				t.Fatal("a Queue handler has a listener, others none")
			}
			if err := lst.Start(); err != nil {
				t.Fatal(err)
			}
			l := eng.Logger(name)
			l.SetLevel(record.LevelWarning)
			l.SetPropagate(false)
			l.AddHandler(qh)
			l.AddHandler(direct)
			for _, r := range g.Records {
				msg := r.Msg
				if len(r.Args) > 0 {
					msg = strings.Replace(msg, "%s", r.Args[0], 1)
				}
				l.LogRecord(&record.Record{Logger: name, Level: r.Level, Message: msg, ErrText: r.ExcText, Stack: r.StackInf})
			}
			if err := lst.Stop(context.Background()); err != nil {
				t.Fatal(err)
			}
			if err := eng.Flush(context.Background()); err != nil { // direct is not behind the listener
				t.Fatal(err)
			}
			for k, w := range want {
				if got := outs[k].String(); got != w {
					t.Errorf("%s wrote\n%q\nPython\n%q", k, got, w)
				}
			}
		})
	}
}

// countSink counts the records it is handed.
type countSink struct{ n atomic.Int64 }

func (s *countSink) WriteBatch(b *actors.Batch) (int, error) {
	s.n.Add(int64(b.Len()))
	return b.Len(), nil
}
func (s *countSink) Close() error { return nil }

// TestQueueListenerStartStop is CPython's listener tests: 20 rounds of
// start, 5 records, stop hand exactly 100 records to the handler, each
// counted when Stop returns; a second start fails (3.14); stop twice, or
// before start, does no harm; nothing is left in the queue after stop.
func TestQueueListenerStartStop(t *testing.T) {
	eng := engine.New(engine.Options{ErrorOutput: &testio.SyncBuffer{}})
	cs := &countSink{}
	if _, err := eng.NewHandler("count", cs, actors.HandlerOptions{}); err != nil {
		t.Fatal(err)
	}
	qs, _ := actors.NewQueue(actors.QueueOptions{})
	qh, err := eng.NewHandler("queue", qs, actors.HandlerOptions{Targets: []string{"count"}})
	if err != nil {
		t.Fatal(err)
	}
	lst := qh.Listener()
	ctx := context.Background()
	if err := lst.Stop(ctx); err != nil {
		t.Fatalf("stop before start: %v", err)
	}
	l := eng.Logger("app")
	l.AddHandler(qh)
	for round := range 20 {
		if err := lst.Start(); err != nil {
			t.Fatal(err)
		}
		if err := lst.Start(); !errors.Is(err, engine.ErrListenerStarted) {
			t.Fatalf("second start: %v", err)
		}
		for range 5 {
			l.Log(record.LevelWarning, "x")
		}
		if err := lst.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		if n := cs.n.Load(); n != int64(5*(round+1)) {
			t.Fatalf("round %d: %d records handled when Stop returned", round, n)
		}
		st, _ := eng.Stats().ForHandler("queue")
		if st.Depth != 0 || st.InFlight != 0 {
			t.Fatalf("queue not empty after stop: %+v", st)
		}
	}
	if err := lst.Stop(ctx); err != nil {
		t.Fatalf("second stop: %v", err)
	}
	if err := eng.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if err := lst.Stop(ctx); err != nil {
		t.Fatalf("stop after Shutdown: %v", err)
	}
	if n := cs.n.Load(); n != 100 {
		t.Fatalf("%d records handled, want 100", n)
	}
}

// TestPrepareLeavesTheOriginal checks Python's prepare on a copy
// (bpo-35726): the original keeps its message and exception text.
func TestPrepareLeavesTheOriginal(t *testing.T) {
	r := &record.Record{Message: "m", ErrText: "Traceback", Stack: "Stack"}
	p := actors.Prepare(r, "formatted")
	if p.Message != "formatted" || p.ErrText != "" || p.Stack != "" {
		t.Fatalf("prepared %+v", p)
	}
	if r.Message != "m" || r.ErrText != "Traceback" || r.Stack != "Stack" {
		t.Fatalf("original changed: %+v", r)
	}
}

// TestQueueWithoutHandlersCounts: records a Queue has nobody to hand to
// are counted as dropped (no_target), never written.
func TestQueueWithoutHandlersCounts(t *testing.T) {
	eng := engine.New(engine.Options{ErrorOutput: &testio.SyncBuffer{}})
	qs, _ := actors.NewQueue(actors.QueueOptions{})
	qh, err := eng.NewHandler("queue", qs, actors.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	eng.Logger("").AddHandler(qh)
	eng.Logger("").Log(record.LevelWarning, "nowhere")
	if err := eng.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	st, _ := eng.Stats().ForHandler("queue")
	if st.Written != 0 || st.Dropped[string(actors.ReasonNoTarget)] != 1 {
		t.Fatalf("stats %+v", st)
	}
}
