package handleractor

import (
	"fmt"
	"slices"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// mailbox.ReasonError is the reason of a record its sink could not write, or failed
// without naming a reason.

// maxCrashes is how many times in a row a record written alone may crash
// the sink before it is given up (counted as dropped, reason error).
const maxCrashes = 3

// handleBatch writes one batch from the mailbox and books every record of
// it, in runs: the rest of the batch at once, or one record at a time after
// a crash (see crashWatch). Each run is taken from the mailbox (holding),
// filtered and encoded, written (busy), and booked (holding again); at the
// end of a burst the sink is flushed. A Retry error leaves through a panic
// from book.
func (a *handlerActor) handleBatch(b *mailbox.Batch[record.Record]) {
	c := a.core
	g := c.guard
	if c.closed { // records that slipped in behind a drain
		bookFailed(b, mailbox.ReasonError, b.Len()-b.Done)
		b.Done = b.Len()
		b.Handled()
		return
	}
	c.crash.resume()
	for b.Done < b.Len() {
		end := b.Len()
		if c.crash.isolate {
			end = b.Done + 1
		}
		from := b.Done
		a.take(b, end)
		g.away() // from here until back, nothing of b is touched
		a.encode(from)
		written, err := a.write()
		if !g.back() {
			return
		}
		a.book(b, end, written, err)
	}
	c.crash.batchDone()
	more := b.More
	g.away()
	if !more {
		if err := a.flushSink(); err != nil {
			a.report(err)
		}
	}
	c.ticks.schedule()
	if !g.back() {
		return
	}
	b.Handled()
}

// take collects the records [b.Done, end) of b for the run, holding.
func (a *handlerActor) take(b *mailbox.Batch[record.Record], end int) {
	clear(a.recs)
	a.recs = a.recs[:0]
	for i := b.Done; i < end; i++ {
		a.recs = append(a.recs, b.At(i))
	}
}

// write hands the run to the sink, under the crash watch; not when the
// actor was abandoned while it encoded (the records are booked already).
func (a *handlerActor) write() (int, error) {
	if a.out.Len() == 0 || a.core.guard.state.Load() == abandoned {
		return 0, nil
	}
	w := &a.core.crash
	w.arm(&a.out)
	written, err := a.core.sink.WriteBatch(&a.out.Batch)
	w.disarm()
	return written, err
}

// book records the outcome of the run [b.Done, end): the records the sink
// wrote, failed, or left unwritten, and those the filters rejected or the
// run left out (see formatted.skipped). After a Retry error it books only
// what the sink dealt with and panics, so that supervision restarts the
// actor and the rest is written again.
func (a *handlerActor) book(b *mailbox.Batch[record.Record], end, written int, err error) {
	f := &a.out
	written = min(max(written, 0), f.Len())
	retry := err != nil && actors.IsRetry(err)
	stop, dealt := end, f.Len() // records of the run dealt with, and how many of them the sink had
	if retry && written < f.Len() {
		stop, dealt = f.idx[written], written
	}
	failed := a.bookFailures(b, written)
	skipped := 0
	for _, s := range f.skipped {
		if s.idx < stop {
			bookFailed(b, s.reason, 1)
			skipped++
		}
	}
	b.Written += written - failed
	b.Filtered += stop - b.Done - dealt - skipped
	if !retry {
		bookFailed(b, mailbox.ReasonError, f.Len()-written)
	}
	b.Done = stop
	if err != nil {
		a.report(err)
	}
	if retry {
		panic(err)
	}
}

// bookFailures books the records the sink gave up with Batch.Fail among the
// first written, once each, and reports their errors. It returns how many.
func (a *handlerActor) bookFailures(b *mailbox.Batch[record.Record], written int) int {
	fs := a.out.Failures()
	if len(fs) == 0 {
		return 0
	}
	n := 0
	for k, fl := range fs {
		if fl.Index < 0 || fl.Index >= written || slices.ContainsFunc(fs[:k], func(p actors.Failure) bool { return p.Index == fl.Index }) {
			continue
		}
		bookFailed(b, fl.Reason, 1)
		if fl.Err != nil {
			a.report(fmt.Errorf("record dropped (%s): %w", fl.Reason, fl.Err))
		}
		n++
	}
	return n
}

// bookFailed counts n records of b as dropped for reason, the name a sink
// gave with actors.Batch.Fail or mailbox.ReasonError.
func bookFailed(b *mailbox.Batch[record.Record], reason mailbox.Reason, n int) {
	b.Fail(n, reason)
}

// crashWatch tells a sink that crashed (panicked in WriteBatch) from one
// that returned, and finds the record that crashes it. It lives in core, so
// it outlives the crashed actor: armed before each WriteBatch and disarmed
// when the call returns, it is still armed when the mailbox hands the same
// batch to the restarted actor (with Done where the run began).
//
// After a crash the rest of that batch is written one record at a time
// (isolate), so the records before a bad one are written, and one that
// crashes the sink maxCrashes times in a row, written alone, is given up
// (reason error) while the records after it go on. The back-off therefore
// grows with the crashes of one bad record, never with the records of the
// batch: a batch with one such record costs at most 1 + maxCrashes restarts.
type crashWatch struct {
	armed   bool
	alone   int // the one record of the run under way, or -1
	last    int // the record that crashed written alone, or -1
	crashes int // how many times in a row it did
	giveUp  int // the record to give up in the next run, or -1
	isolate bool
}

// arm is called before WriteBatch with the run.
func (w *crashWatch) arm(f *formatted) {
	w.armed = true
	w.alone = -1
	if f.Len() == 1 {
		w.alone = f.idx[0]
	}
}

// disarm is called when WriteBatch returns: whatever crashed before did not
// crash this time.
func (w *crashWatch) disarm() {
	w.armed = false
	w.last, w.crashes = -1, 0
}

// resume is called as a batch is delivered: after a crash, it switches to
// one record at a time, and decides whether the record that crashed alone
// is given up.
func (w *crashWatch) resume() {
	if !w.armed {
		return
	}
	w.armed = false
	w.isolate = true
	if w.alone < 0 {
		return
	}
	if w.alone == w.last {
		w.crashes++
	} else {
		w.last, w.crashes = w.alone, 1
	}
	if w.crashes >= maxCrashes {
		w.giveUp = w.last
		w.last, w.crashes = -1, 0
	}
}

// batchDone is called once a batch is written: the next starts afresh.
func (w *crashWatch) batchDone() {
	w.isolate = false
	w.last, w.crashes, w.giveUp = -1, 0, -1
}
