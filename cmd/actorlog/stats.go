package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/actorlog/actorlog/engine"
)

// statsServer is serve's --stats-addr: bound before any handler opens a
// file (so a busy address fails before a mode "w" file is truncated), then
// served once the engine exists.
type statsServer struct {
	ln  net.Listener
	srv *http.Server
}

// bindStats listens on addr ("" means no stats server: nil, nil) and warns
// on stderr when the address is not a loopback one, since the stats are
// then open to the network.
func bindStats(addr string, stderr io.Writer) (*statsServer, error) {
	if addr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	if !isLoopback(ln.Addr()) {
		fmt.Fprintf(stderr, "actorlog serve: warning: stats on %s are reachable from the network; bind to 127.0.0.1 to keep them local\n", ln.Addr())
	}
	return &statsServer{ln: ln}, nil
}

// isLoopback reports whether a is a loopback address; the unspecified
// address (0.0.0.0, ::) listens on every interface and is not.
func isLoopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

// Limits of the stats server, so idle or slow clients cannot hold its
// descriptors: a request is small and answered at once.
const (
	statsReadHeaderTimeout = 5 * time.Second
	statsReadTimeout       = 10 * time.Second
	statsWriteTimeout      = 10 * time.Second
	statsIdleTimeout       = 30 * time.Second
	statsMaxHeaderBytes    = 8 << 10
)

// newStatsServer returns the HTTP server of the stats, with its limits.
func newStatsServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: statsReadHeaderTimeout,
		ReadTimeout:       statsReadTimeout,
		WriteTimeout:      statsWriteTimeout,
		IdleTimeout:       statsIdleTimeout,
		MaxHeaderBytes:    statsMaxHeaderBytes,
	}
}

// serve starts answering with eng's stats.
func (s *statsServer) serve(eng *engine.Engine) {
	if s == nil {
		return
	}
	s.srv = newStatsServer(statsHandler(eng))
	go func() { _ = s.srv.Serve(s.ln) }()
}

// close stops the server, letting requests in progress end for at most a
// second; before serve, it closes the listener.
func (s *statsServer) close() {
	switch {
	case s == nil:
	case s.srv == nil:
		_ = s.ln.Close()
	default:
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := s.srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = s.srv.Close()
		}
	}
}

// statsHandler serves the engine's stats: Prometheus text format at /metrics
// and JSON at /stats.
func statsHandler(eng *engine.Engine) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		_, _ = io.WriteString(w, metricsText(eng.Stats()))
	})
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(statsJSON(eng.Stats()))
	})
	return mux
}

// handlerJSON is one handler's stats as /stats writes them.
type handlerJSON struct {
	Name      string            `json:"name"`
	Received  uint64            `json:"received"`
	Accepted  uint64            `json:"accepted"`
	Written   uint64            `json:"written"`
	Filtered  uint64            `json:"filtered"`
	Dropped   map[string]uint64 `json:"dropped"`
	InFlight  uint64            `json:"inFlight"`
	Errors    uint64            `json:"errors"`
	Restarts  uint64            `json:"restarts"`
	Depth     int               `json:"depth"`
	HighWater int               `json:"highWater"`
	Sink      map[string]uint64 `json:"sink,omitempty"`
}

// receiverJSON is one receiver's stats as /stats writes them.
type receiverJSON struct {
	Name        string            `json:"name"`
	Connections uint64            `json:"connections"`
	Open        int64             `json:"open"`
	Frames      uint64            `json:"frames"`
	Bytes       uint64            `json:"bytes"`
	Rejected    map[string]uint64 `json:"rejected"`
	AcksSent    uint64            `json:"acksSent"`
	Acked       uint64            `json:"acked"`
	Duplicates  uint64            `json:"duplicates"`
}

type statsDoc struct {
	Handlers  []handlerJSON  `json:"handlers"`
	Receivers []receiverJSON `json:"receivers"`
	Unhandled uint64         `json:"unhandled"`
}

func statsJSON(s engine.Stats) statsDoc {
	d := statsDoc{Handlers: make([]handlerJSON, len(s.Handlers)), Receivers: make([]receiverJSON, len(s.Receivers)), Unhandled: s.Unhandled}
	for i, r := range s.Receivers {
		d.Receivers[i] = receiverJSON{Name: r.Name, Connections: r.Connections, Open: r.Open, Frames: r.Frames, Bytes: r.Bytes,
			Rejected: r.Rejected, AcksSent: r.AcksSent, Acked: r.Acked, Duplicates: r.Duplicates}
	}
	for i, h := range s.Handlers {
		d.Handlers[i] = handlerJSON{Name: h.Name, Received: h.Received, Accepted: h.Accepted, Written: h.Written,
			Filtered: h.Filtered, Dropped: h.Dropped, InFlight: h.InFlight, Errors: h.Errors, Restarts: h.Restarts,
			Depth: h.Depth, HighWater: h.HighWater, Sink: h.Sink}
	}
	return d
}

// metric is one family of the Prometheus exposition.
type metric struct {
	name, typ, help string
	value           func(h engine.HandlerStats) uint64
}

var handlerMetrics = []metric{
	{"actorlog_handler_received_total", "counter", "Records offered to the handler.", func(h engine.HandlerStats) uint64 { return h.Received }},
	{"actorlog_handler_accepted_total", "counter", "Records the handler's mailbox took.", func(h engine.HandlerStats) uint64 { return h.Accepted }},
	{"actorlog_handler_written_total", "counter", "Records the handler's sink wrote.", func(h engine.HandlerStats) uint64 { return h.Written }},
	{"actorlog_handler_filtered_total", "counter", "Records the handler's filters rejected.", func(h engine.HandlerStats) uint64 { return h.Filtered }},
	{"actorlog_handler_errors_total", "counter", "Errors the handler met.", func(h engine.HandlerStats) uint64 { return h.Errors }},
	{"actorlog_handler_restarts_total", "counter", "Supervised restarts of the handler.", func(h engine.HandlerStats) uint64 { return h.Restarts }},
	{"actorlog_handler_in_flight", "gauge", "Records accepted and not yet written, filtered or dropped.", func(h engine.HandlerStats) uint64 { return h.InFlight }},
	{"actorlog_handler_queue_depth", "gauge", "Records in the handler's mailbox.", func(h engine.HandlerStats) uint64 { return uint64(h.Depth) }},
	{"actorlog_handler_queue_high_water", "gauge", "The most records the handler's mailbox has held.", func(h engine.HandlerStats) uint64 { return uint64(h.HighWater) }},
}

// receiverMetric is one family of the receivers' exposition.
type receiverMetric struct {
	name, typ, help string
	value           func(r engine.ReceiverStats) uint64
}

var receiverMetrics = []receiverMetric{
	{"actorlog_receiver_connections_total", "counter", "Connections (HTTP requests, datagrams) the receiver accepted.", func(r engine.ReceiverStats) uint64 { return r.Connections }},
	{"actorlog_receiver_open_connections", "gauge", "Connections open now.", func(r engine.ReceiverStats) uint64 { return uint64(max(r.Open, 0)) }},
	{"actorlog_receiver_frames_total", "counter", "Frames (records) handed to loggers.", func(r engine.ReceiverStats) uint64 { return r.Frames }},
	{"actorlog_receiver_bytes_total", "counter", "Bytes of accepted frames.", func(r engine.ReceiverStats) uint64 { return r.Bytes }},
	{"actorlog_receiver_acks_sent_total", "counter", "Acknowledgement frames sent.", func(r engine.ReceiverStats) uint64 { return r.AcksSent }},
	{"actorlog_receiver_acked_total", "counter", "Frames acknowledged as written.", func(r engine.ReceiverStats) uint64 { return r.Acked }},
	{"actorlog_receiver_duplicates_total", "counter", "Frames a sender sent again after a reconnect.", func(r engine.ReceiverStats) uint64 { return r.Duplicates }},
}

// metricsText renders s in Prometheus's text exposition format (0.0.4).
func metricsText(s engine.Stats) string {
	var b strings.Builder
	header := func(name, typ, help string) {
		b.WriteString("# HELP " + name + " " + help + "\n# TYPE " + name + " " + typ + "\n")
	}
	sample := func(name string, labels []string, v uint64) {
		b.WriteString(name)
		if len(labels) > 0 {
			b.WriteByte('{')
			for i := 0; i+1 < len(labels); i += 2 {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(labels[i] + `="` + escapeLabel(labels[i+1]) + `"`)
			}
			b.WriteByte('}')
		}
		b.WriteByte(' ')
		b.WriteString(strconv.FormatUint(v, 10))
		b.WriteByte('\n')
	}
	for _, m := range handlerMetrics {
		header(m.name, m.typ, m.help)
		for _, h := range s.Handlers {
			sample(m.name, []string{"handler", h.Name}, m.value(h))
		}
	}
	header("actorlog_handler_dropped_total", "counter", "Records dropped, by reason (full, timeout, closed, oldest, error, shutdown).")
	byReason := func(name, label, value string, counts map[string]uint64) {
		reasons := make([]string, 0, len(counts))
		for r := range counts {
			reasons = append(reasons, r)
		}
		sort.Strings(reasons)
		for _, r := range reasons {
			sample(name, []string{label, value, "reason", r}, counts[r])
		}
	}
	for _, h := range s.Handlers {
		byReason("actorlog_handler_dropped_total", "handler", h.Name, h.Dropped)
	}
	sinkMetrics(&b, s.Handlers, header, sample)
	for _, m := range receiverMetrics {
		header(m.name, m.typ, m.help)
		for _, r := range s.Receivers {
			sample(m.name, []string{"receiver", r.Name}, m.value(r))
		}
	}
	header("actorlog_receiver_rejected_total", "counter", "Frames, requests and connections a receiver refused, by reason.")
	for _, r := range s.Receivers {
		byReason("actorlog_receiver_rejected_total", "receiver", r.Name, r.Rejected)
	}
	header("actorlog_unhandled_total", "counter", "Records that reached no handler and no last resort.")
	sample("actorlog_unhandled_total", nil, s.Unhandled)
	return b.String()
}

// sinkMetrics writes the sinks' own counters: one family per name,
// actorlog_handler_sink_<name>, in name order.
func sinkMetrics(b *strings.Builder, hs []engine.HandlerStats, header func(name, typ, help string), sample func(name string, labels []string, v uint64)) {
	seen := map[string]bool{}
	var names []string
	for _, h := range hs {
		for n := range h.Sink {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	for _, n := range names {
		name := "actorlog_handler_sink_" + metricName(n)
		header(name, "counter", "The sink's own counter "+n+".")
		for _, h := range hs {
			if v, ok := h.Sink[n]; ok {
				sample(name, []string{"handler", h.Name}, v)
			}
		}
	}
}

// metricName keeps the characters a Prometheus metric name allows.
func metricName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

// escapeLabel escapes a label value as the text format wants.
func escapeLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}
