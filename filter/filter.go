// Package filter decides which records pass a logger or a handler, as
// Python's logging.Filter does.
//
// # Filters
//
// A Filter is asked once per record. On a logger it runs on the logging
// goroutine before the record is posted; on a handler it runs on the
// handler's actor. Filters never change the record (records are immutable
// once built) and must be safe for concurrent use.
//
//   - Name("app.db") passes records of logger app.db and its children
//     (app.db.pool), and not app.dbx: Python's logging.Filter(name).
//   - Level{Min: record.LevelWarning} passes records at or above a level, and
//     below Max when Max is set.
//   - Func wraps any function.
package filter

import (
	"strings"

	"github.com/actorlog/actorlog/record"
)

// Filter reports whether a record passes.
type Filter interface {
	Filter(r *record.Record) bool
}

// Func is a Filter made of a function.
type Func func(r *record.Record) bool

// Filter calls f.
func (f Func) Filter(r *record.Record) bool { return f(r) }

// Name returns Python's logging.Filter(name): a record passes when its logger
// is name or a descendant of name. The empty name passes everything. The
// root logger's records (Record.Logger "") are named "root", as Python's
// are, so Name("root") passes them.
func Name(name string) Filter { return nameFilter(name) }

type nameFilter string

func (n nameFilter) Filter(r *record.Record) bool {
	name, logger := string(n), r.Logger
	if logger == "" {
		logger = "root"
	}
	if name == "" || logger == name {
		return true
	}
	return strings.HasPrefix(logger, name) && len(logger) > len(name) && logger[len(name)] == '.'
}

// Level passes records whose level is at least Min and, when Max is not
// zero, at most Max.
type Level struct {
	Min, Max record.Level
}

// Filter applies the bounds.
func (l Level) Filter(r *record.Record) bool {
	return r.Level >= l.Min && (l.Max == 0 || r.Level <= l.Max)
}

// All reports whether r passes every filter in fs (true for none).
func All(fs []Filter, r *record.Record) bool {
	for _, f := range fs {
		if !f.Filter(r) {
			return false
		}
	}
	return true
}

var (
	_ Filter = Func(nil)
	_ Filter = nameFilter("")
	_ Filter = Level{}
)
