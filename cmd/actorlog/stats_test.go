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

// TestMetricsReceiversAndSinks: per receiver counters and rejections by
// reason, and the sinks' own counters, in the exposition and the JSON.
func TestMetricsReceiversAndSinks(t *testing.T) {
	s := engine.Stats{
		Handlers: []engine.HandlerStats{{Name: "sock", Sink: map[string]uint64{"connects": 2, "resends": 5}}, {Name: "file"}},
		Receivers: []engine.ReceiverStats{{Name: "tcp 127.0.0.1:9020", Connections: 3, Open: 1, Frames: 100, Bytes: 9000,
			Rejected: map[string]uint64{"bad_tag": 1, "too_large": 2}, AcksSent: 4, Acked: 100, Duplicates: 7}},
	}
	rec := httptest.NewRecorder()
	metricsHandler(metrics.NewCollector(fixedStats(s))).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	got := rec.Body.String()
	for _, want := range []string{
		"# TYPE actorlog_handler_sink_total counter\n",
		`actorlog_handler_sink_total{counter="connects",handler="sock"} 2`,
		`actorlog_handler_sink_total{counter="resends",handler="sock"} 5`,
		`actorlog_receiver_connections_total{receiver="tcp 127.0.0.1:9020"} 3`,
		`actorlog_receiver_open_connections{receiver="tcp 127.0.0.1:9020"} 1`,
		`actorlog_receiver_frames_total{receiver="tcp 127.0.0.1:9020"} 100`,
		`actorlog_receiver_acks_sent_total{receiver="tcp 127.0.0.1:9020"} 4`,
		`actorlog_receiver_acked_total{receiver="tcp 127.0.0.1:9020"} 100`,
		`actorlog_receiver_duplicates_total{receiver="tcp 127.0.0.1:9020"} 7`,
		`actorlog_receiver_rejected_total{reason="bad_tag",receiver="tcp 127.0.0.1:9020"} 1`,
		`actorlog_receiver_rejected_total{reason="too_large",receiver="tcp 127.0.0.1:9020"} 2`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, `actorlog_handler_sink_total{counter="connects",handler="file"}`) {
		t.Error("a sink without counters has a sample")
	}
	d := statsJSON(s)
	if len(d.Receivers) != 1 || d.Receivers[0].Duplicates != 7 || d.Handlers[0].Sink["resends"] != 5 {
		t.Errorf("JSON %+v", d)
	}
}
