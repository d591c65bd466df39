package engine

import (
	"errors"
	"fmt"
	"slices"

	"github.com/actorlog/actorlog/internal/handleractor"
	"github.com/actorlog/actorlog/record"
)

// This file is the entry for records made elsewhere: a receiver hands each
// decoded record to the logger of its name, as Python's socket-server
// cookbook calls logger.handle(record), and, for acknowledged delivery,
// learns when every handler the records reached has written them.

// Handle hands r, a record made elsewhere (decoded from the wire), to this
// logger's handlers as Python's Logger.handle does: nothing when the logger
// is disabled, then the logger's filters, then every handler along the
// propagate chain at its own level (the last resort when there is none).
// Unlike Log and LogRecord, the logger's level is not checked: the sender
// judged it. The record's own Logger name is kept.
func (l *Logger) Handle(r *record.Record) {
	st := l.state.Load()
	if st.disabled {
		return
	}
	l.eng.dispatch(st, r)
}

// HandleBatch hands a run of records made elsewhere to this logger, as
// calling Handle for each in order would (the logger's filters once per
// record, each handler at its own level, the last resort when there is
// none), with one hand-off to each handler per run of records it takes
// rather than one per record. A receiver that decodes many frames per read
// groups consecutive records of one logger into a batch. The caller keeps
// rs.
func (l *Logger) HandleBatch(rs []record.Record) {
	st := l.state.Load()
	if st.disabled || len(rs) == 0 {
		return
	}
	e := l.eng
	if e.closed.Load() {
		e.warnAfterShutdown()
	}
	for len(rs) > 0 {
		n := min(len(rs), batchChunk)
		top := e.postChunk(st, rs[:n], nil)
		if st.flushLevel != record.LevelNotSet && top >= st.flushLevel {
			e.waitWritten(st, top)
		}
		rs = rs[n:]
	}
}

// batchChunk is how many records of a batch are decided at once: the
// filters' verdicts on them fit on the stack.
const batchChunk = 256

// postChunk posts the records of rs (at most batchChunk) that pass the
// logger's filters to the handlers of st, each the runs of them at or above
// its level with one PostAll a run, and, when t is not nil, tracks the
// handlers reached and refusals. It returns the highest level posted.
func (e *Engine) postChunk(st *loggerState, rs []record.Record, t *Tracker) (top record.Level) {
	var pass [batchChunk]bool
	top = minLevel
	for i := range rs {
		pass[i] = len(st.filters) == 0 || passes(st.filters, rs[i])
		if pass[i] {
			top = max(top, rs[i].Level)
		}
	}
	if len(st.handlers) == 0 {
		for i := range rs {
			if pass[i] {
				e.lastResort(rs[i])
			}
		}
		return minLevel
	}
	for _, h := range st.handlers {
		level := record.Level(h.level.Load())
		from := -1 // start of the run that reaches h
		for i := 0; i <= len(rs); i++ {
			if i < len(rs) && pass[i] && rs[i].Level >= level {
				if from < 0 {
					from = i
				}
				continue
			}
			if from < 0 {
				continue
			}
			if t != nil {
				t.reach(h)
			}
			if n := h.h.PostAll(rs[from:i]); n < i-from && t != nil {
				t.refused = true
			}
			from = -1
		}
	}
	return top
}

// ErrNotWritten is what Tracker.Settle reports when a record handed since
// the previous Settle may not have been written: a handler refused it (its
// mailbox was full under DropNewest, or closed), dropped it (DropOldest, a
// sink error, shutdown), a flush failed, or a handler stopped.
var ErrNotWritten = errors.New("engine: records may not have been written")

// A Tracker hands records to loggers as Logger.Handle does and tells, for
// each window of records (those handed between two calls of Settle), when
// every handler they reached has written them: write(2) returned, and a
// buffering sink has flushed. A receiver that acknowledges frames keeps one
// per connection.
//
// What a drop means: a Settle whose window may hold a dropped record
// reports ErrNotWritten, and the receiver must not acknowledge that window
// (it closes the connection, so that the sender resends from its last
// acknowledgement). A handler's drops are counted per handler, not per
// record, so a drop of another record by the same handler during the window
// (one logged locally, or from another connection) also makes the window
// fail: the error is on the safe side, costing a resend and duplicates,
// never a lost acknowledged record. A record the handler's filters rejected,
// or that reached no handler (Python's lastResort), counts as dealt with.
//
// Nothing of this touches the logging path of Logger.Log and slog: the
// Tracker sends one flush request per handler and window, ordered after the
// window's records in the handler's mailbox.
//
// A Tracker is used by one goroutine at a time.
type Tracker struct {
	e       *Engine
	reached []tracked
	refused bool
}

// tracked is a handler reached in the current window, with its drop count
// when first reached.
type tracked struct {
	h       *Handler
	dropped uint64
}

// NewTracker returns a Tracker handing records to this engine's loggers.
func (e *Engine) NewTracker() *Tracker { return &Tracker{e: e} }

// Handle hands r to l as Logger.Handle does and remembers the handlers it
// reached for the next Settle.
func (t *Tracker) Handle(l *Logger, r *record.Record) {
	st := l.state.Load()
	e := t.e
	if st.disabled {
		return
	}
	if e.closed.Load() {
		t.refused = true
		e.warnAfterShutdown()
	}
	if len(st.filters) > 0 && !passes(st.filters, *r) {
		return
	}
	if len(st.handlers) == 0 {
		e.lastResort(*r)
		return
	}
	for _, h := range st.handlers {
		if r.Level < record.Level(h.level.Load()) {
			continue
		}
		t.reach(h)
		if !h.h.Post(r) {
			t.refused = true
		}
	}
}

// HandleBatch hands a run of records to l as Logger.HandleBatch does (one
// hand-off per handler and run, rather than per record) and remembers the
// handlers they reached for the next Settle.
func (t *Tracker) HandleBatch(l *Logger, rs []record.Record) {
	st := l.state.Load()
	e := t.e
	if st.disabled || len(rs) == 0 {
		return
	}
	if e.closed.Load() {
		t.refused = true
		e.warnAfterShutdown()
	}
	for len(rs) > 0 {
		n := min(len(rs), batchChunk)
		e.postChunk(st, rs[:n], t)
		rs = rs[n:]
	}
}

// reach adds h to the window, noting its drops so far.
func (t *Tracker) reach(h *Handler) {
	for i := range t.reached {
		if t.reached[i].h == h {
			return
		}
	}
	t.reached = append(t.reached, tracked{h: h, dropped: h.h.Counts().DroppedTotal()})
}

// Pending reports whether records were handed since the last Settle.
func (t *Tracker) Pending() bool { return len(t.reached) > 0 || t.refused }

// Settle closes the current window and returns a channel that receives one
// value once every handler the window's records reached has handled them and
// flushed: nil when all were written (or filtered), else an error wrapping
// ErrNotWritten. It does not block; the next window starts at once.
func (t *Tracker) Settle() <-chan error {
	out := make(chan error, 1)
	reached, refused := t.reached, t.refused
	t.reached, t.refused = nil, false
	if len(reached) == 0 {
		if refused {
			out <- fmt.Errorf("%w: refused after shutdown", ErrNotWritten)
		} else {
			out <- nil
		}
		return out
	}
	waits := make([]<-chan error, len(reached))
	for i, r := range reached {
		waits[i] = r.h.h.FlushAsync()
	}
	go func() {
		var errs []error
		if refused {
			errs = append(errs, fmt.Errorf("%w: a handler refused a record", ErrNotWritten))
		}
		for i, r := range reached {
			select {
			case err := <-waits[i]:
				if err != nil {
					errs = append(errs, fmt.Errorf("%w: %w", ErrNotWritten, err))
				}
			case <-r.h.h.Stopped():
				errs = append(errs, fmt.Errorf("%w: handler %q: %w", ErrNotWritten, r.h.name, handleractor.ErrStopped))
				continue
			}
			if d := r.h.h.Counts().DroppedTotal(); d != r.dropped {
				errs = append(errs, fmt.Errorf("%w: handler %q dropped %d records", ErrNotWritten, r.h.name, d-r.dropped))
			}
		}
		out <- errors.Join(errs...)
	}()
	return out
}

// LookupLogger returns the logger called name when it exists (exact true),
// else its nearest existing ancestor (the root at worst), creating nothing.
// A receiver uses it to route records of names it may not create: a logger
// made only to hand a record on behaves, for Handle, as its nearest ancestor
// does (no filters, no handlers of its own, propagating), so routing there
// keeps Python's result without letting a peer grow the tree without bound.
func (e *Engine) LookupLogger(name string) (l *Logger, exact bool) {
	if name == "root" {
		name = ""
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if l, ok := e.loggers[name]; ok {
		return l, true
	}
	return e.parentLocked(name), false
}

// ReceiverStats are one receiver's counters (package receiver fills them;
// Engine.Stats gathers those registered with AddReceiverStats).
type ReceiverStats struct {
	Name        string            // the receiver's type and address, e.g. "tcp 127.0.0.1:9020"
	Connections uint64            // connections (or HTTP requests) accepted
	Open        int64             // connections open now
	Frames      uint64            // frames (records) handed to loggers
	Bytes       uint64            // bytes of accepted frames
	Rejected    map[string]uint64 // frames and connections refused, by reason
	AcksSent    uint64            // acknowledgement frames sent
	Acked       uint64            // frames acknowledged
	Duplicates  uint64            // frames a sender sent again after a reconnect
}

// RejectedTotal sums the rejections of every reason.
func (s ReceiverStats) RejectedTotal() (n uint64) {
	for _, d := range s.Rejected {
		n += d
	}
	return n
}

// AddReceiverStats makes Engine.Stats report a receiver's counters, read by
// stats when asked; the returned function removes it.
func (e *Engine) AddReceiverStats(stats func() ReceiverStats) (remove func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.receiverSeq++
	id := e.receiverSeq
	if e.receivers == nil {
		e.receivers = map[uint64]func() ReceiverStats{}
	}
	e.receivers[id] = stats
	return func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		delete(e.receivers, id)
	}
}

// receiverStats reads every registered receiver's counters, in the order
// they were added.
func (e *Engine) receiverStats() []ReceiverStats {
	e.mu.Lock()
	ids := make([]uint64, 0, len(e.receivers))
	for id := range e.receivers {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	fs := make([]func() ReceiverStats, len(ids))
	for i, id := range ids {
		fs[i] = e.receivers[id]
	}
	e.mu.Unlock()
	out := make([]ReceiverStats, len(fs))
	for i, f := range fs {
		out[i] = f()
	}
	return out
}
