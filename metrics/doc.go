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
// _queue_high_water. Alert on a filling queue with
// actorlog_handler_queue_depth / actorlog_handler_queue_capacity. And
// actorlog_unhandled_total: records that reached no handler and no last
// resort.
//
// Every scrape takes one snapshot (engine.Engine.Stats), so the numbers of
// a scrape agree: accepted = written + filtered + lost drops + in flight.
//
// # Extending
//
// The Collector reports the engine's handlers only. Other parts of a
// program (serve's receivers, say) register collectors of their own beside
// it in the same registry; names starting with actorlog_ are the project's.
package metrics
