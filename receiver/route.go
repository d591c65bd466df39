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
