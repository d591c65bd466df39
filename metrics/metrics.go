package metrics

import (
	"sort"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/actorlog/actorlog/engine"
)

// StatsSource is what a Collector reads: *engine.Engine, or anything that
// takes the same snapshot.
type StatsSource interface {
	Stats() engine.Stats
}

var _ StatsSource = (*engine.Engine)(nil)

// Collector is a prometheus.Collector of an engine's Stats: every Collect
// takes one snapshot (Engine.Stats) and reports it as constant metrics, so
// the numbers of one scrape agree with each other (accepted = written +
// filtered + lost + in flight). It is safe for concurrent use.
type Collector struct {
	src      StatsSource
	handler  []handlerMetric
	dropped  *prometheus.Desc
	sink     *prometheus.Desc
	receiver []receiverMetric
	rejected *prometheus.Desc
	unhand   *prometheus.Desc
}

var _ prometheus.Collector = (*Collector)(nil)

// handlerMetric is one per-handler family.
type handlerMetric struct {
	desc  *prometheus.Desc
	typ   prometheus.ValueType
	value func(h *engine.HandlerStats) float64
}

// receiverMetric is one per-receiver family.
type receiverMetric struct {
	desc  *prometheus.Desc
	typ   prometheus.ValueType
	value func(r *engine.ReceiverStats) float64
}

// NewCollector returns a collector of src's stats. Register it with a
// registry of your own (prometheus.NewRegistry) or the default one:
//
//	prometheus.MustRegister(metrics.NewCollector(eng))
func NewCollector(src StatsSource) *Collector {
	c := &Collector{src: src}
	h := []string{"handler"}
	add := func(name, help string, typ prometheus.ValueType, v func(h *engine.HandlerStats) float64) {
		c.handler = append(c.handler, handlerMetric{prometheus.NewDesc(name, help, h, nil), typ, v})
	}
	counter, gauge := prometheus.CounterValue, prometheus.GaugeValue
	add("actorlog_handler_received_total", "Records offered to the handler.", counter, func(h *engine.HandlerStats) float64 { return float64(h.Received) })
	add("actorlog_handler_accepted_total", "Records the handler's mailbox took.", counter, func(h *engine.HandlerStats) float64 { return float64(h.Accepted) })
	add("actorlog_handler_written_total", "Records the handler's sink wrote.", counter, func(h *engine.HandlerStats) float64 { return float64(h.Written) })
	add("actorlog_handler_filtered_total", "Records the handler's filters rejected.", counter, func(h *engine.HandlerStats) float64 { return float64(h.Filtered) })
	add("actorlog_handler_errors_total", "Errors the handler met.", counter, func(h *engine.HandlerStats) float64 { return float64(h.Errors) })
	add("actorlog_handler_restarts_total", "Supervised restarts of the handler.", counter, func(h *engine.HandlerStats) float64 { return float64(h.Restarts) })
	add("actorlog_handler_in_flight", "Records accepted and not yet written, filtered or dropped.", gauge, func(h *engine.HandlerStats) float64 { return float64(h.InFlight) })
	add("actorlog_handler_queue_depth", "Records in the handler's mailbox.", gauge, func(h *engine.HandlerStats) float64 { return float64(h.Depth) })
	add("actorlog_handler_queue_capacity", "The most records the handler's mailbox takes before its overflow policy acts.", gauge, func(h *engine.HandlerStats) float64 { return float64(h.Capacity) })
	add("actorlog_handler_queue_high_water", "The most records the handler's mailbox has held.", gauge, func(h *engine.HandlerStats) float64 { return float64(h.HighWater) })
	c.dropped = prometheus.NewDesc("actorlog_handler_dropped_total",
		"Records dropped, by reason (full, timeout, closed, oldest, error, shutdown, and those sinks name).", []string{"handler", "reason"}, nil)
	c.sink = prometheus.NewDesc("actorlog_handler_sink_total",
		"A sink's own counters (actors.StatsReporter): a socket's connects, reconnects, resends, acknowledged...", []string{"handler", "counter"}, nil)
	r := []string{"receiver"}
	addR := func(name, help string, typ prometheus.ValueType, v func(r *engine.ReceiverStats) float64) {
		c.receiver = append(c.receiver, receiverMetric{prometheus.NewDesc(name, help, r, nil), typ, v})
	}
	addR("actorlog_receiver_connections_total", "Connections (HTTP requests, datagrams) the receiver accepted.", counter, func(r *engine.ReceiverStats) float64 { return float64(r.Connections) })
	addR("actorlog_receiver_open_connections", "Connections open now.", gauge, func(r *engine.ReceiverStats) float64 { return float64(max(r.Open, 0)) })
	addR("actorlog_receiver_frames_total", "Frames (records) handed to loggers.", counter, func(r *engine.ReceiverStats) float64 { return float64(r.Frames) })
	addR("actorlog_receiver_bytes_total", "Bytes of accepted frames.", counter, func(r *engine.ReceiverStats) float64 { return float64(r.Bytes) })
	addR("actorlog_receiver_acks_sent_total", "Acknowledgement frames sent.", counter, func(r *engine.ReceiverStats) float64 { return float64(r.AcksSent) })
	addR("actorlog_receiver_acked_total", "Frames acknowledged as written.", counter, func(r *engine.ReceiverStats) float64 { return float64(r.Acked) })
	addR("actorlog_receiver_duplicates_total", "Frames a sender sent again after a reconnect.", counter, func(r *engine.ReceiverStats) float64 { return float64(r.Duplicates) })
	c.rejected = prometheus.NewDesc("actorlog_receiver_rejected_total",
		"Frames, requests and connections a receiver refused, by reason.", []string{"receiver", "reason"}, nil)
	c.unhand = prometheus.NewDesc("actorlog_unhandled_total", "Records that reached no handler and no last resort.", nil, nil)
	return c
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, m := range c.handler {
		ch <- m.desc
	}
	ch <- c.dropped
	ch <- c.sink
	for _, m := range c.receiver {
		ch <- m.desc
	}
	ch <- c.rejected
	ch <- c.unhand
}

// Collect implements prometheus.Collector: one snapshot of the stats.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	s := c.src.Stats()
	for i := range s.Handlers {
		h := &s.Handlers[i]
		for _, m := range c.handler {
			ch <- prometheus.MustNewConstMetric(m.desc, m.typ, m.value(h), h.Name)
		}
		byName(ch, c.dropped, h.Name, h.Dropped)
		byName(ch, c.sink, h.Name, h.Sink)
	}
	for i := range s.Receivers {
		r := &s.Receivers[i]
		for _, m := range c.receiver {
			ch <- prometheus.MustNewConstMetric(m.desc, m.typ, m.value(r), r.Name)
		}
		byName(ch, c.rejected, r.Name, r.Rejected)
	}
	ch <- prometheus.MustNewConstMetric(c.unhand, prometheus.CounterValue, float64(s.Unhandled))
}

// byName sends one counter of desc per name of counts, in name order, with
// the labels owner and the name.
func byName(ch chan<- prometheus.Metric, desc *prometheus.Desc, owner string, counts map[string]uint64) {
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.CounterValue, float64(counts[n]), owner, n)
	}
}
