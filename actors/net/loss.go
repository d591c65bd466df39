package net

// lossMarks remembers, for the recent writes on a connection without Ack,
// how many bytes and frames had been written after each, so that at a
// failure the frames that may still have sat in the socket buffers (and so
// may be lost) can be bounded.
type lossMarks struct {
	bytes int64 // bytes written on the connection
	ring  [64]lossMark
	n     int // marks in ring
	next  int // where the next mark goes
}

type lossMark struct {
	bytes  int64  // bytes written before this write
	frames uint64 // frames written before this write
}

// add books a write of n bytes.
func (m *lossMarks) add(n int) { m.bytes += int64(n) }

// mark is called before a write with the frames written so far.
func (m *lossMarks) mark(frames uint64) {
	m.ring[m.next] = lossMark{bytes: m.bytes, frames: frames}
	m.next = (m.next + 1) % len(m.ring)
	m.n = min(m.n+1, len(m.ring))
}

// bound returns how many of the sent frames may be lost: those written after
// the newest mark that lies window bytes or more before the end. Buffers
// between the two programs hold at most window bytes, so the frames before
// that mark were read by the peer. Without such a mark every frame counts
// (an upper bound).
func (m *lossMarks) bound(sent uint64, window int64) uint64 {
	limit := m.bytes - window
	best := -1
	for k := 0; k < m.n; k++ {
		i := (m.next - 1 - k + 2*len(m.ring)) % len(m.ring)
		if m.ring[i].bytes <= limit {
			best = i
			break
		}
	}
	if best < 0 {
		return sent
	}
	return sent - m.ring[best].frames
}

// defaultLossBytes bounds the bytes between two programs where the socket
// buffers cannot be read (or for TLS): 16 MiB, beyond any default buffers.
const defaultLossBytes = 16 << 20
