package metrics_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/metrics"
	"github.com/actorlog/actorlog/record"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestCollector(t *testing.T) {
	eng := engine.New(engine.Options{ErrorOutput: io.Discard})
	defer eng.Shutdown(context.Background())
	h, err := eng.NewHandler("null", actors.Null{}, actors.HandlerOptions{Level: record.LevelInfo, Mailbox: mailbox.Options{Capacity: 128}})
	if err != nil {
		t.Fatal(err)
	}
	l := eng.Logger("app")
	l.SetLevel(record.LevelDebug)
	l.AddHandler(h)
	for range 3 {
		l.Log(record.LevelInfo, "x")
	}
	if err := eng.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := metrics.NewCollector(eng)
	if problems, err := testutil.CollectAndLint(c); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", problems, err)
	}
	want := `
# HELP actorlog_handler_queue_capacity The most records the handler's mailbox takes before its overflow policy acts.
# TYPE actorlog_handler_queue_capacity gauge
actorlog_handler_queue_capacity{handler="null"} 128
# HELP actorlog_handler_written_total Records the handler's sink wrote.
# TYPE actorlog_handler_written_total counter
actorlog_handler_written_total{handler="null"} 3
# HELP actorlog_handler_dropped_total Records dropped, by reason (full, timeout, closed, oldest, error, shutdown, and those sinks name).
# TYPE actorlog_handler_dropped_total counter
actorlog_handler_dropped_total{handler="null",reason="closed"} 0
actorlog_handler_dropped_total{handler="null",reason="error"} 0
actorlog_handler_dropped_total{handler="null",reason="full"} 0
actorlog_handler_dropped_total{handler="null",reason="oldest"} 0
actorlog_handler_dropped_total{handler="null",reason="shutdown"} 0
actorlog_handler_dropped_total{handler="null",reason="timeout"} 0
`
	if err := testutil.CollectAndCompare(c, strings.NewReader(want),
		"actorlog_handler_queue_capacity", "actorlog_handler_written_total", "actorlog_handler_dropped_total"); err != nil {
		t.Error(err)
	}
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(c); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Gather(); err != nil {
		t.Error(err)
	}
}
