package net

import (
	"log/slog"
	"net/url"

	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/record"
)

// This file writes a record as Python's LogRecord.__dict__ (what
// HTTPHandler.mapLogRecord returns), in 3.14's key order, into a URL-encoded
// form (Python's urlencode, values as str() renders them) or a JSON object.

// fieldWriter receives the fields of a record's dict in order.
type fieldWriter interface {
	value(key string, v slog.Value)
	// emptyTuple is args: () in Python, [] in JSON.
	emptyTuple(key string)
}

// Python's placeholders for an unknown caller.
const (
	unknownFile = "(unknown file)"
	unknownFunc = "(unknown function)"
)

// none is Python's None.
var none = slog.AnyValue(nil)

// writeRecord writes r's dict: the LogRecord attributes in the order
// LogRecord.__init__ sets them, then the attributes (Python's extra), each
// group flattened into dotted keys ("req.id"), top-level keys escaped as in
// the msgpack frames (record.NeedsEscape).
func writeRecord(w fieldWriter, r *record.Record) {
	name := r.Logger
	if name == "" {
		name = "root"
	}
	w.value("name", slog.StringValue(name))
	w.value("msg", slog.StringValue(r.Message))
	w.emptyTuple("args")
	w.value("levelname", slog.StringValue(r.Level.String()))
	w.value("levelno", slog.Int64Value(int64(r.Level)))
	c, ok := r.Caller()
	if !ok {
		c = record.Caller{Pathname: unknownFile, Filename: unknownFile, Module: unknownFile, FuncName: unknownFunc}
	}
	w.value("pathname", slog.StringValue(c.Pathname))
	w.value("filename", slog.StringValue(c.Filename))
	w.value("module", slog.StringValue(c.Module))
	w.value("exc_info", none)
	w.value("exc_text", strOrNone(r.ErrText))
	w.value("stack_info", strOrNone(r.Stack))
	w.value("lineno", slog.Int64Value(int64(c.Lineno)))
	w.value("funcName", slog.StringValue(c.FuncName))
	created, msecs := record.CreatedMsecs(r.Time)
	w.value("created", slog.Float64Value(created))
	w.value("msecs", slog.Float64Value(msecs))
	w.value("relativeCreated", slog.Float64Value(r.RelativeCreated()))
	tid, tname := r.Thread()
	w.value("thread", slog.Int64Value(tid))
	w.value("threadName", slog.StringValue(tname))
	pid, pname := r.Process()
	w.value("processName", slog.StringValue(pname))
	w.value("process", slog.Int64Value(pid))
	task := ""
	if r.Origin != nil {
		task = r.Origin.TaskName
	}
	w.value("taskName", strOrNone(task))
	var key []byte
	r.Walk(func(path []string, a slog.Attr) bool {
		key = key[:0]
		for i, p := range path {
			if i == 0 && record.NeedsEscape(p) {
				key = append(key, record.EscapePrefix...)
			}
			key = append(append(key, p...), '.')
		}
		if len(path) == 0 && record.NeedsEscape(a.Key) {
			key = append(key, record.EscapePrefix...)
		}
		writeAttr(w, key, a)
		return true
	})
}

func strOrNone(s string) slog.Value {
	if s == "" {
		return none
	}
	return slog.StringValue(s)
}

// writeAttr writes a under prefix+a.Key, a group as one field per member
// ("req.id"); a group with an empty key is inlined, as slog does.
func writeAttr(w fieldWriter, prefix []byte, a slog.Attr) {
	v := a.Value.Resolve()
	if record.Skip(slog.Attr{Key: a.Key, Value: v}) {
		return
	}
	if v.Kind() != slog.KindGroup {
		w.value(string(append(prefix, a.Key...)), v)
		return
	}
	if a.Key != "" {
		prefix = append(append(prefix, a.Key...), '.')
	}
	for _, m := range v.Group() {
		writeAttr(w, prefix, m)
	}
}

// formWriter writes Python's urlencode(dict): key=value pairs joined by '&',
// each quote_plus'd (UTF-8 percent escapes, space as '+'), values as
// Python's str() (format.AppendPythonStr).
type formWriter struct {
	dst   []byte
	tmp   []byte
	first bool
}

func (f *formWriter) key(k string) {
	if !f.first {
		f.dst = append(f.dst, '&')
	}
	f.first = false
	f.dst = append(f.dst, url.QueryEscape(k)...)
	f.dst = append(f.dst, '=')
}

func (f *formWriter) value(k string, v slog.Value) {
	f.key(k)
	f.tmp = format.AppendPythonStr(f.tmp[:0], v)
	f.dst = append(f.dst, url.QueryEscape(string(f.tmp))...)
}

func (f *formWriter) emptyTuple(k string) { f.key(k); f.dst = append(f.dst, "%28%29"...) }

// jsonWriter writes the dict as one JSON object with native values
// (format.AppendJSONValue).
type jsonWriter struct {
	dst   []byte
	first bool
}

func (j *jsonWriter) key(k string) {
	if !j.first {
		j.dst = append(j.dst, ',')
	}
	j.first = false
	j.dst = format.AppendJSONValue(j.dst, slog.StringValue(k))
	j.dst = append(j.dst, ':')
}

func (j *jsonWriter) value(k string, v slog.Value) {
	j.key(k)
	j.dst = format.AppendJSONValue(j.dst, v)
}
func (j *jsonWriter) emptyTuple(k string) { j.key(k); j.dst = append(j.dst, "[]"...) }
