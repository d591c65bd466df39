package mailbox

// Counts is a consistent snapshot of a mailbox's counters. In every
// snapshot, even one taken while producers are blocked,
//
//	Received = Accepted + Refused()
//	Accepted = Written + Filtered + Lost() + InFlight()
//
// A blocked producer's record is in neither: it is received when its fate is
// decided (accepted, or refused on time-out or close), and Blocked counts it
// meanwhile.
type Counts struct {
	Received uint64 // records offered to Post whose fate is decided
	Accepted uint64 // records taken in
	Written  uint64 // records the actor wrote
	Filtered uint64 // records the actor's filters rejected
	// Dropped counts the records dropped, by reason: every built-in reason
	// (zero or not) and every reason the actor named with Batch.Fail. The
	// map is the caller's own copy.
	Dropped   map[Reason]uint64
	Depth     int // records held now (queued, or out in a batch)
	HighWater int // the most Depth has been
	Blocked   int // producers waiting for room now (Block policy)
}

// InFlight is Depth as a count: records accepted and not yet written,
// filtered or dropped.
func (c Counts) InFlight() uint64 { return uint64(c.Depth) }

// Refused sums the drops of the reasons that refuse a record before it is
// accepted: ReasonFull, ReasonTimeout and ReasonClosed.
func (c Counts) Refused() uint64 {
	return c.Dropped[ReasonFull] + c.Dropped[ReasonTimeout] + c.Dropped[ReasonClosed]
}

// Lost sums the drops of every other reason: records accepted, then lost.
func (c Counts) Lost() uint64 { return c.DroppedTotal() - c.Refused() }

// DroppedTotal sums the drops of every reason.
func (c Counts) DroppedTotal() (n uint64) {
	for _, d := range c.Dropped {
		n += d
	}
	return n
}
