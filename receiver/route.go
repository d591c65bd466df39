package receiver

import (
	"sync/atomic"

	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/record"
)

// router finds the logger of a record's name: the engine's logger of that
// name, created (as Python's getLogger does) while the receiver's budget of
// new loggers lasts, else the nearest existing ancestor.
type router struct {
	eng    *engine.Engine
	budget int64
	made   atomic.Int64
}

// cacheSize bounds a connection's cache of loggers by name.
const cacheSize = 256

// loggers is one connection's cache.
type loggers map[string]*engine.Logger

func (rt *router) logger(cache loggers, name string) *engine.Logger {
	if l, ok := cache[name]; ok {
		return l
	}
	l, exact := rt.eng.LookupLogger(name)
	if !exact && rt.made.Add(1) <= rt.budget {
		l = rt.eng.Logger(name)
		exact = true
	}
	if exact {
		if len(cache) >= cacheSize {
			clear(cache)
		}
		cache[name] = l
	}
	return l
}

// handle hands r to its logger, through t when acknowledging.
func (rt *router) handle(cache loggers, t *engine.Tracker, r *record.Record) {
	l := rt.logger(cache, r.Logger)
	if t != nil {
		t.Handle(l, r)
		return
	}
	l.Handle(r)
}

// runMax bounds a run: the records a connection has decoded and not yet
// handed on, at most runMax × the size of a Record (about 45 KiB) per
// connection, which holds them in one slice it reuses.
const runMax = 128

// batcher collects consecutive records of one logger into a run and hands
// the run on with one hand-off per handler (engine.Logger.HandleBatch, or
// Tracker.HandleBatch when acknowledging) rather than one per record. A run
// ends where the logger name changes, at runMax records, and wherever the
// caller flushes (the end of what one read brought, before a window of
// acknowledgements is settled), so that records are handed on in the order
// they came and none waits for more input.
type batcher struct {
	rt    *router
	cache loggers
	t     *engine.Tracker // nil: not acknowledging
	recs  []record.Record
}

// slot returns where to decode the next record; it is part of the run only
// once added is called.
func (b *batcher) slot() *record.Record {
	if len(b.recs) == cap(b.recs) {
		if cap(b.recs) < runMax {
			// Grown as needed: a connection that sends a record at a
			// time keeps a small run.
			recs := make([]record.Record, len(b.recs), min(max(2*cap(b.recs), 8), runMax))
			copy(recs, b.recs)
			b.recs = recs
		} else {
			b.flush()
		}
	}
	return &b.recs[:len(b.recs)+1][len(b.recs)]
}

// added puts the record decoded into the last slot into the run, handing on
// the run before it when its logger differs.
func (b *batcher) added() {
	n := len(b.recs) + 1
	b.recs = b.recs[:n]
	if n > 1 && b.recs[n-1].Logger != b.recs[0].Logger {
		b.recs = b.recs[:n-1]
		b.flush()
		b.recs = b.recs[:1]
		b.recs[0] = b.recs[:n][n-1]
	}
}

// flush hands the run on.
func (b *batcher) flush() {
	if len(b.recs) == 0 {
		return
	}
	l := b.rt.logger(b.cache, b.recs[0].Logger)
	if b.t != nil {
		b.t.HandleBatch(l, b.recs)
	} else {
		l.HandleBatch(b.recs)
	}
	b.recs = b.recs[:0]
}
