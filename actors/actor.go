package actors

import (
	"errors"
	"fmt"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actorlog/actorlog/engine/filter"
	"github.com/actorlog/actorlog/engine/record"
	"github.com/actorlog/actorlog/mailbox"
)

// maxPanics is how many times in a row a batch may crash the handler at the
// same record before that record is given up (counted as an error drop).
const maxPanics = 3

// handlerActor is one incarnation of a handler. protoactor makes a new one
// after each restart; everything that must survive lives in core.
type handlerActor struct {
	core *core
	h    *Handle
	out  Batch
	idx  []int // out record k is batch record idx[k]
}

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
		if c.started {
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
		b.Failed += n - b.Done
		b.Done = n
		b.Handled()
		return
	}
	if c.panics > 0 && c.panicDone == b.Done {
		if c.panics >= maxPanics { // this record crashes the sink every time
			c.panics = 0
			b.Failed++
			b.Done++
			a.report(fmt.Errorf("record given up after %d crashes of the handler", maxPanics))
		}
	} else {
		c.panics = 0
	}
	a.out.Reset()
	a.idx = a.idx[:0]
	filtered := 0
	for i := b.Done; i < n; i++ {
		r := b.At(i)
		if !filter.All(c.opts.Filters, r) {
			filtered++
			continue
		}
		a.out.Buf = a.format(a.out.Buf, r)
		a.out.Buf = append(a.out.Buf, c.term...)
		a.out.Ends = append(a.out.Ends, len(a.out.Buf))
		a.out.Records = append(a.out.Records, r)
		a.idx = append(a.idx, i)
	}
	written := 0
	var err error
	if len(a.out.Ends) > 0 {
		c.panics++
		c.panicDone = b.Done
		written, err = c.sink.WriteBatch(&a.out)
		c.panics = 0
		written = min(max(written, 0), len(a.out.Ends))
	}
	if err != nil && IsRetry(err) {
		// book what was done, keep the rest for the restarted actor
		end := n
		if written < len(a.idx) {
			end = a.idx[written]
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
	b.Failed += len(a.out.Ends) - written
	b.Filtered += filtered
	b.Done = n
	if !b.More {
		if ferr := a.flushSink(); ferr != nil {
			a.report(ferr)
		}
	}
	b.Handled()
}

// format formats one record, turning a formatter panic into visible text
// rather than a crashed handler.
func (a *handlerActor) format(dst []byte, r *record.Record) (out []byte) {
	start := len(dst)
	defer func() {
		if p := recover(); p != nil {
			a.report(fmt.Errorf("formatter panic: %v", p))
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
	if a.core.opts.Errors != nil {
		a.core.opts.Errors(a.core.name, err)
	}
}
