package receiver

import (
	"net"
	"sync"

	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/engine"
)

// Acknowledged delivery, the receiver's side (the bytes are in package
// actors/net, "Acknowledgements"). After a hello the connection hands its
// records through an engine.Tracker and cuts them into windows: one ends
// when the connection has read everything the sender has sent so far (so an
// idle sender is answered at once) or after AckEvery frames. A window is
// acknowledged, cumulatively and in order, once every handler its records
// reached has written them (write(2) returned; flushed, for a buffering
// handler). Frames the receiver refused (malformed, unsupported) count as
// dealt with: sending them again would not help.
//
// A window in which a reached handler dropped a record (its mailbox full
// under DropNewest or DropOldest, a sink error, shutdown) is never
// acknowledged: the receiver counts it (rejected not_written) and closes the
// connection, so that the sender sends again everything from its last
// acknowledgement, after its back-off. A drop thus costs duplicates, never a
// record the sender forgot. (The drop is known per handler, not per record:
// a drop of another record by the same handler in the same window also
// closes the connection; see engine.Tracker.)

// maxWindows bounds the windows of one connection waiting for their
// handlers: a reader that gets that far ahead waits, which slows the sender.
const maxWindows = 64

// maxSessions bounds the senders whose progress the receiver remembers to
// count duplicates.
const maxSessions = 4096

// sessions remembers, per sending handler, how far its frames have come.
type sessions struct {
	mu   sync.Mutex
	seen map[[anet.SessionSize]byte]uint64
}

func (s *sessions) get(id [anet.SessionSize]byte) uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[id]
}

func (s *sessions) put(id [anet.SessionSize]byte, next uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen = map[[anet.SessionSize]byte]uint64{}
	}
	if _, ok := s.seen[id]; !ok && len(s.seen) >= maxSessions {
		clear(s.seen)
	}
	s.seen[id] = max(s.seen[id], next)
}

// parseHello reports whether a payload is a hello frame.
func parseHello(p []byte) (anet.Hello, bool) {
	if !anet.IsControl(p) {
		return anet.Hello{}, false
	}
	h, err := anet.ParseHello(p)
	return h, err == nil
}

// window is a run of frames waiting for its handlers.
type window struct {
	settled <-chan error
	count   uint64 // frames since the hello, this window included
}

// acker is one acknowledging connection's state. handle and advance run on
// the reading goroutine; the writer goroutine writes the acks.
type acker struct {
	r       *Receiver
	c       net.Conn
	tracker *engine.Tracker
	hello   anet.Hello
	seen    uint64 // the session's next frame the receiver had already seen
	count   uint64 // frames read since the hello
	settled uint64 // count at the last settle
	windows chan window
	dead    chan struct{} // closed when the writer gives up
	done    chan struct{} // closed when the writer has returned
	lastAck uint64        // the count of the last ack sent (writer only)
}

func (r *Receiver) startAck(c net.Conn, h anet.Hello) *acker {
	a := &acker{
		r: r, c: c, tracker: r.eng.NewTracker(), hello: h, seen: r.sessions.get(h.Session),
		windows: make(chan window, maxWindows), dead: make(chan struct{}), done: make(chan struct{}),
	}
	// A hello is answered at once, with 0.
	if _, ok := a.send(nil, 0); !ok {
		a.r.stats.reject(reasonProtocol)
		return nil
	}
	go a.write()
	return a
}

// handle counts one record added to b's run (handed through the tracker
// when the run is) and ends the window when the sender has nothing more in
// flight to read (last) or it is long enough; false when the connection
// must close.
func (a *acker) handle(b *batcher, last bool) bool {
	if a.hello.Base+a.count < a.seen {
		a.r.stats.dups.Add(1)
	}
	return a.advance(b, last)
}

// skip counts a frame the receiver refused as dealt with.
func (a *acker) skip(b *batcher, last bool) bool { return a.advance(b, last) }

// advance counts a frame; at the end of a window it hands on b's run first,
// so that the window's records are all with the tracker when it settles.
func (a *acker) advance(b *batcher, last bool) bool {
	a.count++
	if !last && a.count-a.settled < uint64(a.r.o.AckEvery) {
		return true
	}
	b.flush()
	a.settled = a.count
	w := window{settled: a.tracker.Settle(), count: a.count}
	select {
	case a.windows <- w:
		return true
	case <-a.dead:
		return false
	}
}

// write sends the acks, in order, coalescing windows already settled.
func (a *acker) write() {
	defer close(a.done)
	var buf []byte
	for w := range a.windows {
		if err := <-w.settled; err != nil {
			a.r.stats.reject(reasonNotWritten)
			a.fail()
			return
		}
		n := w.count
	coalesce:
		for {
			select {
			case next, ok := <-a.windows:
				if !ok {
					break coalesce
				}
				if err := <-next.settled; err != nil {
					a.send(buf, n)
					a.r.stats.reject(reasonNotWritten)
					a.fail()
					return
				}
				n = next.count
			default:
				break coalesce
			}
		}
		var ok bool
		if buf, ok = a.send(buf, n); !ok {
			a.fail()
			return
		}
	}
}

// send writes one ack of n frames.
func (a *acker) send(buf []byte, n uint64) ([]byte, bool) {
	buf = anet.AppendAck(buf[:0], n, a.r.key)
	_ = a.c.SetWriteDeadline(a.r.clk.Now().Add(a.r.o.ReadTimeout))
	if _, err := a.c.Write(buf); err != nil {
		return buf, false
	}
	a.r.stats.acks.Add(1)
	a.r.stats.acked.Add(n - a.ackedSoFar(n))
	a.r.sessions.put(a.hello.Session, a.hello.Base+n)
	return buf, true
}

// ackedSoFar returns the previous ack's count and remembers n.
func (a *acker) ackedSoFar(n uint64) uint64 {
	prev := a.lastAck
	a.lastAck = n
	return prev
}

// fail closes the connection, which ends the reader, and tells it.
func (a *acker) fail() {
	close(a.dead)
	_ = a.c.Close()
	// Drain what the reader still queues until it sees dead.
	go func() {
		for range a.windows {
		}
	}()
}

// stop ends the writer after the reader has finished, remembering how far
// the session came. The writer may still wait for a window's handlers
// (bounded: a handler answers or stops).
func (a *acker) stop() {
	a.r.sessions.put(a.hello.Session, a.hello.Base+a.count)
	close(a.windows)
	<-a.done
}
