// Package metrics exports an actorlog engine's counters to Prometheus, so
// that a program using the library gets the metrics `actorlog serve` shows
// at /metrics.
//
// # Use
//
//	reg := prometheus.NewRegistry()
//	reg.MustRegister(metrics.NewCollector(eng))
//	http.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
//
// # Metrics
//
// Per handler (label handler): actorlog_handler_received_total,
// _accepted_total, _written_total, _filtered_total, _errors_total,
// _restarts_total, _dropped_total (and label reason: full, timeout, closed,
// oldest, error, shutdown, and reasons sinks name), and the gauges
// actorlog_handler_in_flight, _queue_depth, _queue_capacity and
// _queue_high_water, and actorlog_handler_sink_total (label counter) for a
// sink's own counters (a socket's connects, resends, acknowledged). Per
// receiver (label receiver): actorlog_receiver_connections_total,
// _open_connections, _frames_total, _bytes_total, _acks_sent_total,
// _acked_total, _duplicates_total and _rejected_total (label reason).
// Alert on a filling queue with
// actorlog_handler_queue_depth / actorlog_handler_queue_capacity. And
// actorlog_unhandled_total: records that reached no handler and no last
// resort.
//
// Every scrape takes one snapshot (engine.Engine.Stats), so the numbers of
// a scrape agree: accepted = written + filtered + lost drops + in flight.
//
// # Extending
//
// The Collector reports what Engine.Stats holds: the handlers, and the
// receivers that feed the engine (engine.Engine.AddReceiverStats). Other
// parts of a program register collectors of their own beside it in the same
// registry; names starting with actorlog_ are the project's.
package metrics
