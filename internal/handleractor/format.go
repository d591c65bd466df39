package handleractor

import (
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/filter"
	"github.com/actorlog/actorlog/mailbox"
)

const (
	// maxKeptBuffer is the largest format buffer kept from one batch to the next.
	maxKeptBuffer = 4 << 20
	// partMin is the smallest part of a run worth formatting on a goroutine
	// of its own: a goroutine costs about a microsecond, a record a few
	// hundred nanoseconds. A run of 256 records is formatted in two parts.
	partMin = 128
)

// formatted is a run of records filtered and encoded for the sink.
type formatted struct {
	actors.Batch
	idx      []int // record k of the Batch is record idx[k] of the mailbox's batch
	filtered int
	skipped  []skipped // records left out of the Batch and counted as dropped
	errs     []error   // formatter panics and encoder errors, reported on the actor
	// panicked is what a helper's filter panicked with, raised again on the
	// actor (see encodeParts).
	panicked any
}

// skipped is a record left out of the run: one its sink's encoder could not
// encode, or one that crashed the sink too often (see crashWatch).
type skipped struct {
	idx    int
	reason mailbox.Reason
}

func (f *formatted) reset() {
	f.Batch.Reset()
	if cap(f.Buf) > maxKeptBuffer { // one huge batch must not pin its buffer
		f.Buf = nil
	}
	f.idx = f.idx[:0]
	f.filtered = 0
	f.skipped = f.skipped[:0]
	clear(f.errs)
	f.errs = f.errs[:0]
	f.panicked = nil
}

// errGivenUp is reported for a record given up after crashing the sink.
var errGivenUp = fmt.Errorf("record given up after it crashed the handler %d times in a row", maxCrashes)

// encode filters and encodes a.recs, records from of the mailbox's batch
// on, into a.out, and reports what went wrong on the way. A large run is
// formatted on the actor and on helper goroutines (up to one per
// processor) sharing its chunks, joined before it returns: formatters are
// safe for concurrent use, and the actor stays the only writer of its sink. An Encoder sink's runs are encoded on
// the actor alone; a Null sink's are filtered only.
func (a *handlerActor) encode(from int) {
	a.out.reset()
	a.giveUp = -1
	if give := a.core.crash.giveUp; give >= from && give < from+len(a.recs) {
		a.core.crash.giveUp = -1
		a.giveUp = give
		a.out.skipped = append(a.out.skipped, skipped{idx: give, reason: mailbox.ReasonError})
		a.out.errs = append(a.out.errs, errGivenUp)
	}
	n := len(a.recs)
	parts := min(runtime.GOMAXPROCS(0), n/partMin)
	if parts < 2 || a.core.enc != nil || a.core.discard {
		a.encodeRange(&a.out, from, 0, n)
	} else {
		a.encodeParts(from, n, parts)
	}
	for _, err := range a.out.errs {
		a.report(err)
	}
}

// encodeParts formats the run with parts-1 helper goroutines, in chunks of
// chunkLen records taken as the work goes: the actor from the front, into
// a.out, the helpers from the back, each into a side of its own, until
// they meet; then the helpers' chunks are appended in order. A fixed split
// (one half each) left a core idle whenever one side started late: a
// helper gets a core only when the producer on it waits, and the actor,
// whose records were written on the other core, formats slower. Taken as
// it goes, the work ends on both at once, and a helper that never got a
// core leaves its share to the actor. With more cores the one actor
// formats on more of them, so that it does not become the wall for the
// producers of a busy handler.
func (a *handlerActor) encodeParts(from, n, parts int) {
	if a.core.cfg.onParallel != nil {
		a.core.cfg.onParallel(parts)
	}
	for len(a.sides) < parts-1 {
		a.sides = append(a.sides, formatted{})
	}
	chunks := (n + chunkLen - 1) / chunkLen
	a.segs = slices.Grow(a.segs[:0], chunks)[:chunks]
	a.todo.Store(uint64(chunks) << 32) // front 0, back chunks
	var wg sync.WaitGroup
	defer wg.Wait() // a panic on the actor (a filter's) leaves no helper behind
	for p := 1; p < parts; p++ {
		side := &a.sides[p-1]
		side.reset()
		wg.Go(func() {
			// A panic the formatting does not turn into text (a filter's)
			// would end the process on a helper: it is kept, the other
			// helpers stop taking chunks, and the actor raises it again for
			// supervision, as if it had met it itself.
			defer func() {
				if pv := recover(); pv != nil {
					side.panicked = pv
					a.todo.Store(0)
				}
			}()
			for {
				c, ok := a.takeChunk(false)
				if !ok {
					return
				}
				a.encodeChunk(side, p, from, n, c)
			}
		})
	}
	front := 0
	for {
		c, ok := a.takeChunk(true)
		if !ok {
			break
		}
		a.encodeRange(&a.out, from, c*chunkLen, min((c+1)*chunkLen, n))
		front = c + 1
	}
	wg.Wait()
	for p := 1; p < parts; p++ {
		if pv := a.sides[p-1].panicked; pv != nil {
			panic(pv)
		}
	}
	f := &a.out
	for c := front; c < chunks; c++ {
		sg := a.segs[c]
		side := &a.sides[sg.part-1]
		off := len(f.Buf) - sg.buf[0]
		f.Buf = append(f.Buf, side.Buf[sg.buf[0]:sg.buf[1]]...)
		for _, e := range side.Ends[sg.recs[0]:sg.recs[1]] {
			f.Ends = append(f.Ends, e+off)
		}
		f.Records = append(f.Records, side.Records[sg.recs[0]:sg.recs[1]]...)
		f.idx = append(f.idx, side.idx[sg.recs[0]:sg.recs[1]]...)
		f.skipped = append(f.skipped, side.skipped[sg.skipped[0]:sg.skipped[1]]...)
		f.errs = append(f.errs, side.errs[sg.errs[0]:sg.errs[1]]...)
	}
	for p := 1; p < parts; p++ {
		f.filtered += a.sides[p-1].filtered
	}
}

// chunkLen is how many records a part takes at a time: a few tens of
// microseconds of formatting, so that the actor waits at most that long
// for a helper's last chunk, and a take (one compare-and-swap) costs
// nothing beside it.
const chunkLen = 64

// segment is where one chunk formatted by a helper lies in its side: half-open
// ranges of Buf, of the records (Ends, Records, idx), of skipped and errs.
type segment struct {
	part                     int
	buf, recs, skipped, errs [2]int
}

// takeChunk takes the next chunk of the run from the front (the actor) or
// from the back (a helper), and reports false when none is left. a.todo
// holds the next front chunk in its low half and the end of the back in
// its high half.
func (a *handlerActor) takeChunk(front bool) (int, bool) {
	for {
		v := a.todo.Load()
		lo, hi := v&0xffffffff, v>>32
		if lo >= hi {
			return 0, false
		}
		next, c := v+1, lo
		if !front {
			next, c = v-1<<32, hi-1
		}
		if a.todo.CompareAndSwap(v, next) {
			return int(c), true
		}
	}
}

// encodeChunk formats chunk c of the run into side (of part p) and notes
// where it lies there.
func (a *handlerActor) encodeChunk(side *formatted, p, from, n, c int) {
	sg := segment{part: p}
	sg.buf[0], sg.recs[0], sg.skipped[0], sg.errs[0] = len(side.Buf), len(side.Ends), len(side.skipped), len(side.errs)
	a.encodeRange(side, from, c*chunkLen, min((c+1)*chunkLen, n))
	sg.buf[1], sg.recs[1], sg.skipped[1], sg.errs[1] = len(side.Buf), len(side.Ends), len(side.skipped), len(side.errs)
	a.segs[c] = sg
}

// encodeRange filters and encodes records [lo, hi) of the run into f.
func (a *handlerActor) encodeRange(f *formatted, from, lo, hi int) {
	for k := lo; k < hi; {
		k = a.encodeUntilPanic(f, from, k, hi)
	}
}

// encodeUntilPanic encodes records [k, hi) of the run into f until the
// formatter or the sink's encoder panics on one, and returns where to go
// on. The recover is set once for the stretch, not once a record: a
// formatter's panic becomes the record's text ("!FORMAT-PANIC(...)" and its
// message) rather than a crashed handler, an encoder's drops the record
// (reason error). A panic anywhere else (a filter) goes on up to
// supervision, as before.
func (a *handlerActor) encodeUntilPanic(f *formatted, from, k, hi int) (next int) {
	c := a.core
	start := -1 // while a formatter or encoder runs: where its record starts in f.Buf
	defer func() {
		if start < 0 {
			return
		}
		p := recover()
		r, i := a.recs[k], from+k
		f.Buf = f.Buf[:start]
		if c.enc != nil {
			f.skipped = append(f.skipped, skipped{idx: i, reason: mailbox.ReasonError})
			f.errs = append(f.errs, fmt.Errorf("encoder panic: %v", p))
		} else {
			f.errs = append(f.errs, fmt.Errorf("formatter panic: %v", p))
			f.Buf = append(f.Buf, "!FORMAT-PANIC("...)
			f.Buf = append(f.Buf, fmt.Sprint(p)...)
			f.Buf = append(f.Buf, ") "...)
			f.Buf = append(f.Buf, r.Message...)
			f.Buf = append(f.Buf, c.term...)
			f.Ends = append(f.Ends, len(f.Buf))
			f.Records = append(f.Records, r)
			f.idx = append(f.idx, i)
		}
		next = k + 1
	}()
	for ; k < hi; k++ {
		i := from + k
		if i == a.giveUp {
			continue // booked as skipped by encode
		}
		r := a.recs[k]
		if !filter.All(c.opts.Filters, r) {
			f.filtered++
			continue
		}
		switch {
		case c.discard:
		case c.enc != nil:
			start = len(f.Buf)
			buf, err := c.enc.AppendRecord(f.Buf, r)
			start = -1
			if err != nil {
				f.skipped = append(f.skipped, skipped{idx: i, reason: mailbox.ReasonError})
				f.errs = append(f.errs, fmt.Errorf("record dropped, cannot encode it: %w", err))
				continue
			}
			f.Buf = buf
		default:
			start = len(f.Buf)
			f.Buf = c.opts.Formatter.Append(f.Buf, r)
			start = -1
			f.Buf = append(f.Buf, c.term...)
		}
		f.Ends = append(f.Ends, len(f.Buf))
		f.Records = append(f.Records, r)
		f.idx = append(f.idx, i)
	}
	return hi
}
