package engine

// HandlerStats are one handler's counters, taken in one consistent snapshot:
// Received = Accepted + refused drops (full, timeout, closed), and
// Accepted = Written + Filtered + lost drops (oldest, error, shutdown) + InFlight.
type HandlerStats struct {
	Name      string
	Received  uint64            // records offered to the handler
	Accepted  uint64            // records its mailbox took
	Written   uint64            // records its sink wrote
	Filtered  uint64            // records its filters rejected
	Dropped   map[string]uint64 // by reason: full, timeout, closed, oldest, error, shutdown, and those sinks name
	InFlight  uint64            // accepted and not yet written, filtered or dropped
	Errors    uint64            // errors met (a failed write, a failed flush...)
	Restarts  uint64            // supervised restarts
	Depth     int               // records in the mailbox now
	Capacity  int               // the most records the mailbox takes before its overflow policy acts
	HighWater int               // the most records the mailbox has held
	// Sink are the sink's own counters (actors.StatsReporter: a socket's
	// connects, reconnects, resends, acknowledged), nil when it has none.
	Sink map[string]uint64
}

// DroppedTotal sums the drops of every reason.
func (s HandlerStats) DroppedTotal() (n uint64) {
	for _, d := range s.Dropped {
		n += d
	}
	return n
}

// Stats are the engine's counters.
type Stats struct {
	Handlers []HandlerStats // in creation order
	// Unhandled counts records that reached no handler and were not written
	// by the last resort (below WARNING, or NoLastResort).
	Unhandled uint64
	// Receivers are the counters of the receivers feeding this engine
	// (Engine.AddReceiverStats), in the order they were added.
	Receivers []ReceiverStats
}

// Stats returns a snapshot of every handler's counters.
func (e *Engine) Stats() Stats {
	hs := e.Handlers()
	s := Stats{Handlers: make([]HandlerStats, len(hs)), Unhandled: e.unhandled.Load(), Receivers: e.receiverStats()}
	for i, h := range hs {
		c := h.h.Counts()
		d := make(map[string]uint64, len(c.Dropped))
		for r, n := range c.Dropped {
			d[string(r)] = n
		}
		s.Handlers[i] = HandlerStats{
			Name: h.name, Received: c.Received, Accepted: c.Accepted, Written: c.Written,
			Filtered: c.Filtered, Dropped: d, InFlight: c.InFlight(), Errors: h.h.Errors(),
			Restarts: h.h.Restarts(), Depth: c.Depth, Capacity: h.h.Capacity(), HighWater: c.HighWater, Sink: h.h.SinkStats(),
		}
	}
	return s
}

// ForHandler returns the stats of the handler called name, and whether it exists.
func (s Stats) ForHandler(name string) (HandlerStats, bool) {
	for _, h := range s.Handlers {
		if h.Name == name {
			return h, true
		}
	}
	return HandlerStats{}, false
}
