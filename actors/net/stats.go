package net

import "sync/atomic"

// Stats are a network sink's own counters, beside the handler's (written,
// dropped...): what happened to its connections and, with Ack, to its
// frames. A sink's NetStats returns them; it is safe to call from any
// goroutine, at any time.
type Stats struct {
	// Connects counts connections made (for a Datagram sink, sockets
	// opened); Reconnects those after the first.
	Connects, Reconnects uint64
	// ConnectFailures counts connects (TLS handshakes included) that failed.
	ConnectFailures uint64
	// Resends counts frames sent again after a reconnect, with Ack: each may
	// arrive twice (a receiver that had it counts a duplicate).
	Resends uint64
	// Acknowledged counts frames an acknowledgement covered, with Ack.
	Acknowledged uint64
	// Unacknowledged is how many frames were sent and not yet acknowledged,
	// now; after Close, what the sink could not get acknowledged.
	Unacknowledged uint64
	// AckTimeouts counts connections given up because no acknowledgement
	// came within AckTimeout.
	AckTimeouts uint64
	// PossiblyLost counts, without Ack, the frames written to a connection
	// that then failed and that may not have reached the peer: those that
	// fit in the socket buffers between the last write and the failure
	// (an upper bound).
	PossiblyLost uint64
	// Refused counts datagrams the network refused (ICMP port unreachable,
	// reported on a later send): each is a datagram sent earlier and lost.
	Refused uint64
}

// counters are Stats kept with atomics: the actor writes, anyone reads.
type counters struct {
	connects, reconnects, connectFailures, resends, acknowledged atomic.Uint64
	unacknowledged, ackTimeouts, possiblyLost, refused           atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Connects:        c.connects.Load(),
		Reconnects:      c.reconnects.Load(),
		ConnectFailures: c.connectFailures.Load(),
		Resends:         c.resends.Load(),
		Acknowledged:    c.acknowledged.Load(),
		Unacknowledged:  c.unacknowledged.Load(),
		AckTimeouts:     c.ackTimeouts.Load(),
		PossiblyLost:    c.possiblyLost.Load(),
		Refused:         c.refused.Load(),
	}
}

// connected books a new connection.
func (c *counters) connected() {
	if c.connects.Add(1) > 1 {
		c.reconnects.Add(1)
	}
}

// asMap returns the counters under the names engine stats and /metrics use
// (actorlog_handler_sink_<name>), every one of them, zeros included.
func (s Stats) asMap() map[string]uint64 {
	return map[string]uint64{
		"connects":         s.Connects,
		"reconnects":       s.Reconnects,
		"connect_failures": s.ConnectFailures,
		"resends":          s.Resends,
		"acknowledged":     s.Acknowledged,
		"unacknowledged":   s.Unacknowledged,
		"ack_timeouts":     s.AckTimeouts,
		"possibly_lost":    s.PossiblyLost,
		"refused":          s.Refused,
	}
}

// statsReporter is actors.StatsReporter (the engine reads a sink's own
// counters through it).
type statsReporter interface{ SinkStats() map[string]uint64 }

var (
	_ statsReporter = (*Socket)(nil)
	_ statsReporter = (*Datagram)(nil)
)

// SinkStats returns NetStats as a map (actors.StatsReporter): connects,
// reconnects, connect_failures, resends, acknowledged, unacknowledged,
// ack_timeouts, possibly_lost, refused. Safe for concurrent use.
func (s *Socket) SinkStats() map[string]uint64 { return s.NetStats().asMap() }

// SinkStats returns NetStats as a map, as Socket.SinkStats.
func (d *Datagram) SinkStats() map[string]uint64 { return d.NetStats().asMap() }
