package handleractor

import (
	"fmt"
	"runtime"
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
}

// errGivenUp is reported for a record given up after crashing the sink.
var errGivenUp = fmt.Errorf("record given up after it crashed the handler %d times in a row", maxCrashes)

// encode filters and encodes a.recs, records from of the mailbox's batch
// on, into a.out, and reports what went wrong on the way. A large run is
// split in parts formatted at once, one per processor, on goroutines joined
// before it returns: formatters are safe for concurrent use, and the actor
// stays the only writer of its sink. An Encoder sink's runs are encoded on
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

// encodeParts splits the run into parts (one per processor, each of at
// least partMin records), formats the first here and the others on
// goroutines, and joins them in order. With more cores the one actor
// formats on more of them, so that it does not become the wall for the
// producers of a busy handler.
func (a *handlerActor) encodeParts(from, n, parts int) {
	if a.core.cfg.onParallel != nil {
		a.core.cfg.onParallel(parts)
	}
	for len(a.sides) < parts-1 {
		a.sides = append(a.sides, formatted{})
	}
	var wg sync.WaitGroup
	for p := 1; p < parts; p++ {
		side := &a.sides[p-1]
		side.reset()
		wg.Go(func() { a.encodeRange(side, from, p*n/parts, (p+1)*n/parts) })
	}
	a.encodeRange(&a.out, from, 0, n/parts)
	wg.Wait()
	for p := 1; p < parts; p++ {
		side := &a.sides[p-1]
		off := len(a.out.Buf)
		a.out.Buf = append(a.out.Buf, side.Buf...)
		for _, e := range side.Ends {
			a.out.Ends = append(a.out.Ends, e+off)
		}
		a.out.Records = append(a.out.Records, side.Records...)
		a.out.idx = append(a.out.idx, side.idx...)
		a.out.filtered += side.filtered
		a.out.skipped = append(a.out.skipped, side.skipped...)
		a.out.errs = append(a.out.errs, side.errs...)
	}
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
