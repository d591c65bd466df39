package actors

import (
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actorlog/actorlog/filter"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// maxPanics is how many times in a row a batch may crash the handler at the
// same record before that record is given up (counted as an error drop).
const maxPanics = 3

// handlerActor is one incarnation of a handler. protoactor makes a new one
// after each restart; everything that must survive lives in core.
type handlerActor struct {
	core *core
	h    *Handle
	out  formatted // the batch handed to the sink
	side formatted // the second half, when a large batch is formatted in parallel
}

// formatted is a run of records filtered and formatted for the sink.
type formatted struct {
	Batch
	idx      []int // record k is batch record idx[k]
	filtered int
	errs     []error // formatter panics, reported on the actor
}

func (f *formatted) reset() {
	f.Batch.Reset()
	if cap(f.Buf) > maxKeptBuffer { // one huge batch must not pin its buffer
		f.Buf = nil
	}
	f.idx = f.idx[:0]
	f.filtered = 0
	clear(f.errs)
	f.errs = f.errs[:0]
}

const (
	// maxKeptBuffer is the largest format buffer kept from one batch to the next.
	maxKeptBuffer = 4 << 20
	// parallelMin is the smallest run of records worth formatting on two
	// goroutines: a goroutine costs about a microsecond, a record a few
	// hundred nanoseconds.
	parallelMin = 256
)

// parallelBatches counts the batches formatted on two goroutines, for tests.
var parallelBatches atomic.Uint64

var _ actor.Actor = (*handlerActor)(nil)

func (a *handlerActor) Receive(ctx actor.Context) {
	c := a.core
	switch m := ctx.Message().(type) {
	case *mailbox.Batch[record.Record]:
		a.handleBatch(m)
	case *flushMsg:
		m.done <- a.flush(m.sync)
	case *reopenMsg:
		var err error
		if r, ok := c.sink.(Reopener); ok && !c.closed {
			if err = r.Reopen(); err != nil {
				a.report(err)
			}
		}
		m.done <- err
	case *drainMsg:
		err := a.flush(false)
		if !c.closed {
			c.closed = true
			if cerr := c.sink.Close(); cerr != nil {
				a.report(cerr)
				err = errors.Join(err, cerr)
			}
		}
		m.done <- err
	case *actor.Started:
		if c.started { // a restart: counted here, before the new instance handles anything
			c.restarts.Add(1)
			if r, ok := c.sink.(Resetter); ok && !c.closed {
				if err := r.Reset(); err != nil {
					a.report(err)
				}
			}
		}
		c.started = true
	case *actor.Stopping:
		if !c.closed {
			c.closed = true
			if err := c.sink.Close(); err != nil {
				a.report(err)
			}
		}
	}
}

// handleBatch filters, formats and writes one batch, and books every record.
// A sink error wrapped with Retry panics after booking the records that were
// written, so that supervision restarts the actor and the rest is retried.
func (a *handlerActor) handleBatch(b *mailbox.Batch[record.Record]) {
	c := a.core
	n := b.Len()
	if c.closed { // records that slipped in behind a drain
		b.Fail(n-b.Done, mailbox.ReasonError)
		b.Done = n
		b.Handled()
		return
	}
	if c.panics > 0 && c.panicDone == b.Done {
		if c.panics >= maxPanics { // this record crashes the sink every time
			c.panics = 0
			b.Fail(1, mailbox.ReasonError)
			b.Done++
			a.report(fmt.Errorf("record given up after %d crashes of the handler", maxPanics))
		}
	} else {
		c.panics = 0
	}
	a.formatBatch(b)
	for _, ferr := range a.out.errs {
		a.report(ferr)
	}
	filtered := a.out.filtered
	written := 0
	var err error
	if len(a.out.Ends) > 0 {
		c.panics++
		c.panicDone = b.Done
		written, err = c.sink.WriteBatch(&a.out.Batch)
		c.panics = 0
		written = min(max(written, 0), len(a.out.Ends))
	}
	if err != nil && IsRetry(err) {
		// book what was done, keep the rest for the restarted actor
		end := n
		if written < len(a.out.idx) {
			end = a.out.idx[written]
		}
		b.Written += written
		b.Filtered += end - b.Done - written
		b.Done = end
		c.panics = 0 // a retry asked for, not a crash: retried without limit
		a.report(err)
		panic(err)
	}
	if err != nil {
		a.report(err)
	}
	b.Written += written
	b.Fail(len(a.out.Ends)-written, mailbox.ReasonError)
	b.Filtered += filtered
	b.Done = n
	if !b.More {
		if ferr := a.flushSink(); ferr != nil {
			a.report(ferr)
		}
	}
	b.Handled()
}

// formatBatch filters and formats the records of b from b.Done on into
// a.out. A large batch is split in two halves formatted at once, the second
// on a goroutine joined before it returns: formatters are safe for
// concurrent use, and the actor stays the only writer of its sink.
func (a *handlerActor) formatBatch(b *mailbox.Batch[record.Record]) {
	a.out.reset()
	from, n := b.Done, b.Len()
	if n-from < parallelMin || runtime.GOMAXPROCS(0) < 2 {
		a.formatRange(&a.out, b, from, n)
		return
	}
	parallelBatches.Add(1)
	mid := from + (n-from)/2
	a.side.reset()
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.formatRange(&a.side, b, mid, n)
	}()
	a.formatRange(&a.out, b, from, mid)
	<-done
	off := len(a.out.Buf)
	a.out.Buf = append(a.out.Buf, a.side.Buf...)
	for _, e := range a.side.Ends {
		a.out.Ends = append(a.out.Ends, e+off)
	}
	a.out.Records = append(a.out.Records, a.side.Records...)
	a.out.idx = append(a.out.idx, a.side.idx...)
	a.out.filtered += a.side.filtered
	a.out.errs = append(a.out.errs, a.side.errs...)
}

// formatRange filters and formats records [from, to) of b into f.
func (a *handlerActor) formatRange(f *formatted, b *mailbox.Batch[record.Record], from, to int) {
	c := a.core
	for i := from; i < to; i++ {
		r := b.At(i)
		if !filter.All(c.opts.Filters, r) {
			f.filtered++
			continue
		}
		f.Buf = a.format(f, r)
		f.Buf = append(f.Buf, c.term...)
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

func (a *handlerActor) flushSink() error {
	if f, ok := a.core.sink.(Flusher); ok && !a.core.closed {
		return f.Flush()
	}
	return nil
}

func (a *handlerActor) flush(sync bool) error {
	err := a.flushSink()
	if err != nil {
		a.report(err)
	}
	if sync {
		if s, ok := a.core.sink.(Syncer); ok && !a.core.closed {
			if serr := s.Sync(); serr != nil {
				a.report(serr)
				err = errors.Join(err, serr)
			}
		}
	}
	return err
}

func (a *handlerActor) report(err error) {
	a.core.errors.Add(1)
	if a.core.errHook != nil {
		a.core.errHook(a.core.name, err)
	}
}
