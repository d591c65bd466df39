package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/metrics"
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
// Collectors of other parts of serve (its receivers) are registered beside
// the engine's.
func statsHandler(eng *engine.Engine, more ...prometheus.Collector) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metricsHandler(append([]prometheus.Collector{metrics.NewCollector(eng)}, more...)...))
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(statsJSON(eng.Stats()))
	})
	return mux
}

// metricsHandler serves the collectors in Prometheus's text format, from a
// registry of their own (not the process-wide default one).
func metricsHandler(cs ...prometheus.Collector) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(cs...)
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
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
	Capacity  int               `json:"capacity"`
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
			Depth: h.Depth, Capacity: h.Capacity, HighWater: h.HighWater, Sink: h.Sink}
	}
	return d
}
