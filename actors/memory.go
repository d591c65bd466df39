package actors

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/actorlog/actorlog/internal/optcheck"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// ErrNotFlushed is wrapped by the error a Memory sink's Close returns when
// it still holds records it could not pass on (it has no target).
var ErrNotFlushed = errors.New("memory: records held at close were not passed on")

// MaxCapacity is the largest BufferingOptions.Capacity and
// MemoryOptions.Capacity: a buffer holds copies of records, so a capacity
// from a config file is bounded.
const MaxCapacity = 1 << 20

// ReasonNoTarget is the reason under which a Memory sink without a target
// counts the records it cannot hold (its buffer is full), and a Queue sink
// without handlers counts every record.
const ReasonNoTarget mailbox.Reason = "no_target"

// BufferingOptions configure a Buffering sink (Python's BufferingHandler).
type BufferingOptions struct {
	// Capacity is how many records the buffer holds before it is flushed;
	// at most MaxCapacity. 0 flushes after every record, as Python's
	// shouldFlush (len(buffer) >= capacity) does.
	Capacity int `config:"capacity"`
	// Flush is Python's flush override: it is called on the actor with the
	// buffered records, oldest first, whenever the buffer is full and at
	// Close; the buffer is then emptied whatever it returns. The slice and
	// the records belong to the sink: copy what must outlive the call. nil
	// only empties the buffer, as Python's BufferingHandler.flush does. An
	// error is reported as a sink error.
	Flush func(records []record.Record) error
}

// Validate reports every problem of o, each an error wrapping
// ErrInvalidOptions that names its field.
func (o BufferingOptions) Validate() error {
	p := optcheck.New(ErrInvalidOptions)
	checkCapacity(p, o.Capacity)
	return p.Err()
}

func checkCapacity(p *optcheck.Errors, c int) {
	switch {
	case c < 0:
		p.Addf("Capacity", "must not be negative (got %d)", c)
	case c > MaxCapacity:
		p.Addf("Capacity", "must be at most %d (got %d)", MaxCapacity, c)
	}
}

// Buffering is Python's BufferingHandler: it keeps records in a buffer and
// hands them to its Flush hook when the buffer is full (and at Close). It
// is the base Python subclasses; in Go the hook replaces the subclass.
type Buffering struct {
	o   BufferingOptions
	buf []record.Record
}

var (
	_ Sink    = (*Buffering)(nil)
	_ Encoder = (*Buffering)(nil)
)

// NewBuffering returns a Buffering sink, or an error wrapping
// ErrInvalidOptions.
func NewBuffering(o BufferingOptions) (*Buffering, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("buffering: %w", err)
	}
	return &Buffering{o: o}, nil
}

// ShouldFlush is Python's shouldFlush: whether the buffer, with the record
// just appended, is full.
func (b *Buffering) ShouldFlush() bool { return len(b.buf) >= b.o.Capacity }

// Len returns how many records the buffer holds. Call it on the actor (or
// before the sink is handed to the engine).
func (b *Buffering) Len() int { return len(b.buf) }

// AppendRecord appends nothing: the records are kept, never their text.
func (b *Buffering) AppendRecord(dst []byte, _ *record.Record) ([]byte, error) { return dst, nil }

// WriteBatch appends each record and flushes whenever the buffer is full.
func (b *Buffering) WriteBatch(bt *Batch) (int, error) {
	var errs []error
	for _, r := range bt.Records {
		b.buf = append(b.buf, *r)
		if b.ShouldFlush() {
			errs = append(errs, b.flush())
		}
	}
	return bt.Len(), errors.Join(errs...)
}

func (b *Buffering) flush() error {
	var err error
	if b.o.Flush != nil && len(b.buf) > 0 {
		err = b.o.Flush(b.buf)
	}
	clear(b.buf)
	b.buf = b.buf[:0]
	return err
}

// Close flushes the buffer.
func (b *Buffering) Close() error { return b.flush() }

// MemoryOptions configure a Memory sink (Python's MemoryHandler). The
// target is the handler named in HandlerOptions.Targets (the config file's
// key target), or one set later with Memory.SetTarget.
type MemoryOptions struct {
	// Capacity is how many records the buffer holds before it is passed to
	// the target; at most MaxCapacity. 0 passes every record on at once,
	// as Python's shouldFlush (len(buffer) >= capacity) does.
	Capacity int `config:"capacity"`
	// FlushLevel: a record at or above it passes the buffer, itself
	// included, to the target. 0 (NOTSET) means ERROR, Python's default;
	// Python's flushLevel NOTSET, which passes on every record, is
	// Capacity 0 here.
	FlushLevel record.Level `config:"flushLevel"`
	// NoFlushOnClose keeps Close from passing the buffer on (Python's
	// flushOnClose=False; the config file's key is flushOnClose). The
	// records it then discards are counted (Memory.Discarded).
	NoFlushOnClose bool `config:"flushOnClose,not"`
}

// Validate reports every problem of o, each an error wrapping
// ErrInvalidOptions that names its field.
func (o MemoryOptions) Validate() error {
	p := optcheck.New(ErrInvalidOptions)
	checkCapacity(p, o.Capacity)
	if o.FlushLevel < 0 {
		p.Addf("FlushLevel", "must not be negative (got %d)", o.FlushLevel)
	}
	return p.Err()
}

// Memory is Python's MemoryHandler: it keeps records in a buffer and passes
// them, in order, to a target handler when the buffer is full or a record
// at FlushLevel or above arrives, and at Close (unless NoFlushOnClose).
//
// The target is another handler, reached through its mailbox (Target.Post):
// its filters apply and its level does not, as Python's target.handle, and
// a target that fails follows its own supervision and counts what it
// drops. Without a target nothing is passed on and the buffer is kept, as
// in Python, up to Capacity records (at least one); records past that are
// counted as dropped (reason no_target) instead of growing the buffer
// without end. At Close a buffer that cannot be passed on is counted
// (Discarded) and, when there was no target, reported.
type Memory struct {
	o          MemoryOptions
	flushLevel record.Level
	buf        []record.Record
	target     atomic.Pointer[Target] // nil: no target
	forwarded  atomic.Uint64
	discarded  atomic.Uint64
	closed     bool
}

var (
	_ Sink      = (*Memory)(nil)
	_ Encoder   = (*Memory)(nil)
	_ Forwarder = (*Memory)(nil)
)

// NewMemory returns a Memory sink, or an error wrapping ErrInvalidOptions.
func NewMemory(o MemoryOptions) (*Memory, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("memory: %w", err)
	}
	m := &Memory{o: o, flushLevel: o.FlushLevel}
	if m.flushLevel == record.LevelNotSet {
		m.flushLevel = record.LevelError
	}
	return m, nil
}

// SetTargets takes the first of the handlers named by
// HandlerOptions.Targets (or given to engine.Handler.SetTargets) as the
// target, as Python's MemoryHandler has one; none clears it.
func (m *Memory) SetTargets(ts []Target) {
	if len(ts) == 0 {
		m.SetTarget(nil)
		return
	}
	m.SetTarget(ts[0])
}

// SetTarget sets the target, or clears it with nil, as Python's setTarget.
// Safe for concurrent use: the next flush uses the new target, and a flush
// never passes records to a target that was cleared before it began.
// engine.Handler.SetTargets is the way to set a handler of the engine: the
// engine then drains the Memory before it at Shutdown, so the buffer
// reaches it; a target set here directly is not ordered so.
func (m *Memory) SetTarget(t Target) {
	if t == nil {
		m.target.Store(nil)
		return
	}
	m.target.Store(&t)
}

// Len returns how many records the buffer holds (Python's len(buffer)).
// Call it on the actor, or before the sink is handed to the engine.
func (m *Memory) Len() int { return len(m.buf) }

// Forwarded returns how many records the sink has passed to targets
// (including any a target refused and counted). Safe for concurrent use.
func (m *Memory) Forwarded() uint64 { return m.forwarded.Load() }

// Discarded returns how many records Close discarded: held when the
// handler stopped with NoFlushOnClose or without a target. Safe for
// concurrent use.
func (m *Memory) Discarded() uint64 { return m.discarded.Load() }

// AppendRecord appends nothing: the records are kept, never their text.
func (m *Memory) AppendRecord(dst []byte, _ *record.Record) ([]byte, error) { return dst, nil }

// shouldFlush is Python's MemoryHandler.shouldFlush, after the append.
func (m *Memory) shouldFlush(r *record.Record) bool {
	return len(m.buf) >= m.o.Capacity || r.Level >= m.flushLevel
}

// WriteBatch appends each record and, as Python's emit, flushes when the
// buffer is full or the record is at FlushLevel or above.
func (m *Memory) WriteBatch(b *Batch) (int, error) {
	if m.closed {
		return 0, errors.New("memory: sink closed")
	}
	for i, r := range b.Records {
		if m.target.Load() == nil && len(m.buf) >= max(m.o.Capacity, 1) {
			b.Fail(i, ReasonNoTarget, nil)
			continue
		}
		m.buf = append(m.buf, *r)
		if m.shouldFlush(r) {
			m.flush()
		}
	}
	return b.Len(), nil
}

// flush passes the buffer to the target in order and empties it; without
// a target it does nothing, as Python's.
func (m *Memory) flush() {
	tp := m.target.Load()
	if tp == nil {
		return
	}
	t := *tp
	for i := range m.buf {
		t.Post(&m.buf[i])
	}
	m.forwarded.Add(uint64(len(m.buf)))
	clear(m.buf)
	m.buf = m.buf[:0]
}

// Close passes the buffer on, unless NoFlushOnClose, and forgets the
// target, as Python's close. What is still held is discarded and counted;
// when that is because there is no target, Close returns an error wrapping
// ErrNotFlushed.
func (m *Memory) Close() error {
	if m.closed {
		return nil
	}
	m.closed = true
	noTarget := m.target.Load() == nil
	if !m.o.NoFlushOnClose {
		m.flush()
	}
	m.target.Store(nil)
	n := len(m.buf)
	clear(m.buf)
	m.buf = nil
	if n == 0 {
		return nil
	}
	m.discarded.Add(uint64(n))
	if noTarget {
		return fmt.Errorf("%w: %d records (no target)", ErrNotFlushed, n)
	}
	return nil
}
