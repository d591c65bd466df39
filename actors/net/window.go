package net

// window holds the frames sent and not yet acknowledged, in order: frame
// seq first+i is buf[ends[i-1]:ends[i]] (relative to off). It is the
// handler's resend buffer, owned by the actor.
type window struct {
	first uint64 // sequence number of the oldest frame held
	buf   []byte // the frames, from buf[off:]
	off   int
	ends  []int // end offset in buf of each frame held, from ends[head:]
	head  int
}

// len returns how many frames are held.
func (w *window) len() int { return len(w.ends) - w.head }

// bytes returns how many bytes of frames are held.
func (w *window) bytes() int { return len(w.buf) - w.off }

// next returns the sequence number the next frame added gets.
func (w *window) next() uint64 { return w.first + uint64(w.len()) }

// add copies frames (whole frames; ends are offsets in frames) into the
// window.
func (w *window) add(frames []byte, ends []int, start int) {
	base := len(w.buf)
	w.buf = append(w.buf, frames...)
	for _, e := range ends {
		w.ends = append(w.ends, base+e-start)
	}
}

// release forgets the frames below sequence number upto and returns how
// many it forgot.
func (w *window) release(upto uint64) int {
	if upto <= w.first {
		return 0
	}
	n := int(min(upto-w.first, uint64(w.len())))
	if n == 0 {
		return 0
	}
	w.head += n
	w.first += uint64(n)
	w.off = w.ends[w.head-1]
	if w.head == len(w.ends) {
		w.buf, w.ends, w.off, w.head = w.buf[:0], w.ends[:0], 0, 0
		return n
	}
	// Compact once the released part is at least half the storage.
	if w.off >= len(w.buf)/2 {
		m := copy(w.buf, w.buf[w.off:])
		w.buf = w.buf[:m]
		k := copy(w.ends, w.ends[w.head:])
		w.ends = w.ends[:k]
		for i := range w.ends {
			w.ends[i] -= w.off
		}
		w.off, w.head = 0, 0
	}
	return n
}

// frames returns the bytes of every frame held.
func (w *window) frames() []byte { return w.buf[w.off:] }

// reset empties the window and frees large storage.
func (w *window) reset() {
	w.buf, w.ends, w.off, w.head = nil, nil, 0, 0
}
