package main

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/metrics"
)

type fixedStats engine.Stats

func (s fixedStats) Stats() engine.Stats { return engine.Stats(s) }

func TestMetricsEscapesLabels(t *testing.T) {
	s := engine.Stats{Handlers: []engine.HandlerStats{{
		Name: "a\"b\\c\nd", Received: 3, Written: 2, Dropped: map[string]uint64{"full": 1, "error": 0}, Depth: 4, Capacity: 16, HighWater: 9,
	}}, Unhandled: 7}
	rec := httptest.NewRecorder()
	metricsHandler(metrics.NewCollector(fixedStats(s))).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	got := rec.Body.String()
	for _, want := range []string{
		`actorlog_handler_received_total{handler="a\"b\\c\nd"} 3`,
		`actorlog_handler_written_total{handler="a\"b\\c\nd"} 2`,
		`actorlog_handler_dropped_total{handler="a\"b\\c\nd",reason="error"} 0`,
		`actorlog_handler_dropped_total{handler="a\"b\\c\nd",reason="full"} 1`,
		`actorlog_handler_queue_depth{handler="a\"b\\c\nd"} 4`,
		`actorlog_handler_queue_capacity{handler="a\"b\\c\nd"} 16`,
		`actorlog_handler_queue_high_water{handler="a\"b\\c\nd"} 9`,
		"# TYPE actorlog_unhandled_total counter\nactorlog_unhandled_total 7\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
}
