package handleractor

import (
	"fmt"
	"runtime"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/filter"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

const (
	// maxKeptBuffer is the largest format buffer kept from one batch to the next.
	maxKeptBuffer = 4 << 20
	// parallelMin is the smallest run of records worth formatting on two
	// goroutines: a goroutine costs about a microsecond, a record a few
	// hundred nanoseconds.
	parallelMin = 256
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
// split in two halves formatted at once, the second on a goroutine joined
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
	if n < parallelMin || a.core.enc != nil || a.core.discard || runtime.GOMAXPROCS(0) < 2 {
		a.encodeRange(&a.out, from, 0, n)
	} else {
		a.encodeHalves(from, n)
	}
	for _, err := range a.out.errs {
		a.report(err)
	}
}

// encodeHalves formats the first half of the run here and the second on a
// goroutine, and joins the second to the first.
func (a *handlerActor) encodeHalves(from, n int) {
	if a.core.cfg.onParallel != nil {
		a.core.cfg.onParallel()
	}
	mid := n / 2
	a.side.reset()
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.encodeRange(&a.side, from, mid, n)
	}()
	a.encodeRange(&a.out, from, 0, mid)
	<-done
	off := len(a.out.Buf)
	a.out.Buf = append(a.out.Buf, a.side.Buf...)
	for _, e := range a.side.Ends {
		a.out.Ends = append(a.out.Ends, e+off)
	}
	a.out.Records = append(a.out.Records, a.side.Records...)
	a.out.idx = append(a.out.idx, a.side.idx...)
	a.out.filtered += a.side.filtered
	a.out.skipped = append(a.out.skipped, a.side.skipped...)
	a.out.errs = append(a.out.errs, a.side.errs...)
}

// encodeRange filters and encodes records [lo, hi) of the run into f.
func (a *handlerActor) encodeRange(f *formatted, from, lo, hi int) {
	c := a.core
	for k := lo; k < hi; k++ {
		i := from + k
		if i == a.giveUp {
			continue // booked as skipped by encode
		}
		r := a.recs[k]
		if !filter.All(c.opts.Filters, r) {
			f.filtered++
			continue
		}
		start := len(f.Buf)
		var err error
		switch {
		case c.discard:
		case c.enc != nil:
			f.Buf, err = a.appendRecord(f.Buf, r)
		default:
			f.Buf = a.format(f, r)
			f.Buf = append(f.Buf, c.term...)
		}
		if err != nil {
			f.Buf = f.Buf[:start]
			f.skipped = append(f.skipped, skipped{idx: i, reason: mailbox.ReasonError})
			f.errs = append(f.errs, err)
			continue
		}
		f.Ends = append(f.Ends, len(f.Buf))
		f.Records = append(f.Records, r)
		f.idx = append(f.idx, i)
	}
}

// format formats one record into f.Buf, turning a formatter panic into
// visible text rather than a crashed handler.
func (a *handlerActor) format(f *formatted, r *record.Record) (out []byte) {
	dst := f.Buf
	start := len(dst)
	defer func() {
		if p := recover(); p != nil {
			f.errs = append(f.errs, fmt.Errorf("formatter panic: %v", p))
			out = append(dst[:start], "!FORMAT-PANIC("...)
			out = append(out, fmt.Sprint(p)...)
			out = append(out, ") "...)
			out = append(out, r.Message...)
		}
	}()
	return a.core.opts.Formatter.Append(dst, r)
}

// appendRecord calls the sink's encoder, turning a panic into an error.
func (a *handlerActor) appendRecord(dst []byte, r *record.Record) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = dst, fmt.Errorf("encoder panic: %v", p)
		}
	}()
	out, err = a.core.enc.AppendRecord(dst, r)
	if err != nil {
		err = fmt.Errorf("record dropped, cannot encode it: %w", err)
	}
	return out, err
}
