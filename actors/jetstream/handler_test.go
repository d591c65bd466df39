package jetstream_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/jetstream"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/internal/natstest"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/metrics"
	"github.com/actorlog/actorlog/record"
	"github.com/actorlog/actorlog/supervision"
)

// newHandler starts an engine with one JetStream handler on logger "app".
func newHandler(t *testing.T, o jetstream.Options, mb mailbox.Options) (*engine.Engine, *engine.Logger, *jetstream.Sink) {
	t.Helper()
	s, err := jetstream.New(o)
	if err != nil {
		t.Fatal(err)
	}
	e := engine.New(engine.Options{NoLastResort: true})
	h, err := e.NewHandler("js", s, actors.HandlerOptions{
		Mailbox:     mb,
		Supervision: supervision.Options{RetryStart: 50 * time.Millisecond, RetryFactor: 2, RetryMax: 500 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	l := e.Logger("app")
	l.SetLevel(record.LevelInfo)
	l.AddHandler(h)
	return e, l, s
}

func shutdown(t *testing.T, e *engine.Engine) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := e.Shutdown(ctx); err != nil {
		t.Errorf("shutdown: %v", err)
	}
}

func TestPublishR3(t *testing.T) {
	c := natstest.Start(t, 3)
	for _, tc := range []struct {
		batch int
		comp  string
	}{{1, ""}, {256, ""}, {256, jetstream.CompressNone}} {
		batch := tc.batch
		t.Run(fmt.Sprintf("batchRecords=%d,compression=%q", batch, tc.comp), func(t *testing.T) {
			stream := fmt.Sprintf("B%d%s", batch, tc.comp)
			o := jetstream.Options{StreamOptions: jetstream.StreamOptions{
				Servers: c.URLs(), Stream: stream, SubjectPrefix: "b" + fmt.Sprint(batch) + tc.comp, CreateStream: true, Replicas: 3,
			}, BatchRecords: batch, Key: "secret", Compression: tc.comp}
			e, l, s := newHandler(t, o, mailbox.Options{})
			const n = 5000
			for i := range n {
				l.Log(record.LevelInfo, "hello", slog.Int("seq", i))
			}
			e.Logger("app.db").Log(record.LevelWarning, "sub", slog.Int("seq", n))
			shutdown(t, e)
			counts, subjects := readStream(t, c.URLs(), stream, n+1, record.NewFrameKey([]byte("secret")))
			for i := range n + 1 {
				if counts[int64(i)] != 1 {
					t.Fatalf("seq %d arrived %d times", i, counts[int64(i)])
				}
			}
			if p := "b" + fmt.Sprint(batch) + tc.comp; subjects[p+".app.db"] == 0 || subjects[p+".app"] == 0 {
				t.Errorf("subjects = %v", subjects)
			}
			t.Logf("stats %+v, subjects %d", s.Stats(), len(subjects))
			checkSinkStats(t, e, n+1)
		})
	}
}

// checkSinkStats: the sink's counters reach Engine.Stats and /metrics
// (actors.StatsReporter) after n records published without a failure.
func checkSinkStats(t *testing.T, e *engine.Engine, n uint64) {
	t.Helper()
	st, _ := e.Stats().ForHandler("js")
	want := map[string]uint64{"connects": 1, "reconnects": 0, "published": n, "acknowledged": n, "resends": 0, "failures": 0}
	for k, v := range want {
		if got, ok := st.Sink[k]; !ok || got != v {
			t.Errorf("HandlerStats.Sink[%q] = %d, %v; want %d (%v)", k, got, ok, v, st.Sink)
		}
	}
	if st.Sink["messages"] == 0 || st.Sink["messages"] > n {
		t.Errorf("messages = %d for %d records", st.Sink["messages"], n)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(metrics.NewCollector(e))
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range fams {
		if f.GetName() != "actorlog_handler_sink_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, lp := range m.GetLabel() {
				if lp.GetName() == "counter" {
					got[lp.GetValue()] = m.GetCounter().GetValue()
				}
			}
		}
	}
	if got["acknowledged"] != float64(n) || got["published"] != float64(n) || got["messages"] != float64(st.Sink["messages"]) {
		t.Errorf("/metrics actorlog_handler_sink_total = %v; want acknowledged and published %d", got, n)
	}
}

// TestClusterUnreachable: issue 13, 3(c). The whole cluster is down for
// several seconds under load: the handler's records wait in its mailbox
// under the overflow policy (DropNewest, the class default), the refused
// ones counted, the restarts paced by the back-off; when the cluster is
// back everything accepted flows, exactly once after de-duplication.
func TestClusterUnreachable(t *testing.T) {
	c := natstest.Start(t, 3)
	o := jetstream.Options{StreamOptions: jetstream.StreamOptions{
		Servers: c.URLs(), Stream: "OUTAGE", CreateStream: true, Replicas: 3, ConnectTimeout: time.Second,
	}, AckTimeout: 2 * time.Second}
	e, l, s := newHandler(t, o, mailbox.Options{Capacity: 20_000})
	const before, during = 5_000, 30_000
	seq := 0
	for ; seq < before; seq++ {
		l.Log(record.LevelInfo, "before", slog.Int("seq", seq))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range c.Nodes {
		c.Kill(i)
	}
	down := time.Now()
	for ; seq < before+during; seq++ {
		l.Log(record.LevelInfo, "during", slog.Int("seq", seq))
	}
	// The outage lasts at least 3 s and four restarts (bounded).
	var st engine.HandlerStats
	for {
		st, _ = e.Stats().ForHandler("js")
		if time.Since(down) > 3*time.Second && st.Restarts >= 4 {
			break
		}
		if time.Since(down) > 30*time.Second {
			t.Fatalf("no restarts while the cluster is down: %+v", st)
		}
		time.Sleep(50 * time.Millisecond) // the outage's length; bounded
	}
	t.Logf("cluster down %v: written %d, waiting %d (depth %d), dropped %v, restarts %d",
		time.Since(down).Round(time.Millisecond), st.Written, st.InFlight, st.Depth, st.Dropped, st.Restarts)
	if st.Written > before || st.InFlight == 0 || st.Dropped["full"] == 0 {
		t.Errorf("while down: written %d, in flight %d, full %d", st.Written, st.InFlight, st.Dropped["full"])
	}
	for i := range c.Nodes {
		c.Restart(i)
	}
	c.WaitReady(30 * time.Second)
	shutdown(t, e)
	st, _ = e.Stats().ForHandler("js")
	counts, _ := readStream(t, c.URLs(), "OUTAGE", int(st.Written), nil)
	dups := 0
	for _, k := range counts {
		dups += k - 1
	}
	t.Logf("after: written %d, dropped %v, restarts %d; stream holds %d distinct records, %d duplicates; sink %+v",
		st.Written, st.Dropped, st.Restarts, len(counts), dups, s.Stats())
	if st.Written+st.DroppedTotal() != before+during || uint64(len(counts)) != st.Written || dups != 0 {
		t.Errorf("logged %d: written %d + dropped %d; stream has %d, %d duplicates", before+during, st.Written, st.DroppedTotal(), len(counts), dups)
	}
}
