package net

import (
	"encoding"
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/actorlog/actorlog/record"
)

// This file writes a record as Python's LogRecord.__dict__ (what
// HTTPHandler.mapLogRecord returns), in 3.14's key order, into a URL-encoded
// form (Python's urlencode, values as str() renders them) or a JSON object.

// fieldWriter receives the fields of a record's dict in order.
type fieldWriter interface {
	str(key, v string)
	none(key string)
	int(key string, v int64)
	float(key string, v float64)
	bool(key string, v bool)
	// emptyTuple is args: () in Python, [] in JSON.
	emptyTuple(key string)
}

// Python's placeholders for an unknown caller.
const (
	unknownFile = "(unknown file)"
	unknownFunc = "(unknown function)"
)

// writeRecord writes r's dict: the LogRecord attributes in the order
// LogRecord.__init__ sets them, then the attributes (Python's extra), each
// group flattened into dotted keys ("req.id"), top-level keys escaped as in
// the msgpack frames (record.NeedsEscape).
func writeRecord(w fieldWriter, r *record.Record) {
	name := r.Logger
	if name == "" {
		name = "root"
	}
	w.str("name", name)
	w.str("msg", r.Message)
	w.emptyTuple("args")
	w.str("levelname", r.Level.String())
	w.int("levelno", int64(r.Level))
	c, ok := r.Caller()
	if !ok {
		c = record.Caller{Pathname: unknownFile, Filename: unknownFile, Module: unknownFile, FuncName: unknownFunc}
	}
	w.str("pathname", c.Pathname)
	w.str("filename", c.Filename)
	w.str("module", c.Module)
	w.none("exc_info")
	strOrNone(w, "exc_text", r.ErrText)
	strOrNone(w, "stack_info", r.Stack)
	w.int("lineno", int64(c.Lineno))
	w.str("funcName", c.FuncName)
	created, msecs := record.CreatedMsecs(r.Time)
	w.float("created", created)
	w.float("msecs", msecs)
	w.float("relativeCreated", r.RelativeCreated())
	tid, tname := r.Thread()
	w.int("thread", tid)
	w.str("threadName", tname)
	pid, pname := r.Process()
	w.str("processName", pname)
	w.int("process", pid)
	task := ""
	if r.Origin != nil {
		task = r.Origin.TaskName
	}
	strOrNone(w, "taskName", task)
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

// writeAttr writes a under prefix+a.Key, a group as one field per member
// ("req.id"); a group with an empty key is inlined, as slog does.
func writeAttr(w fieldWriter, prefix []byte, a slog.Attr) {
	v := a.Value.Resolve()
	if record.Skip(slog.Attr{Key: a.Key, Value: v}) {
		return
	}
	if v.Kind() != slog.KindGroup {
		writeValue(w, string(append(prefix, a.Key...)), v)
		return
	}
	if a.Key != "" {
		prefix = append(append(prefix, a.Key...), '.')
	}
	for _, m := range v.Group() {
		writeAttr(w, prefix, m)
	}
}

func strOrNone(w fieldWriter, key, v string) {
	if v == "" {
		w.none(key)
		return
	}
	w.str(key, v)
}

// writeValue writes an attribute's value as the closest Python value.
func writeValue(w fieldWriter, key string, v slog.Value) {
	switch v.Kind() {
	case slog.KindString:
		w.str(key, v.String())
	case slog.KindInt64:
		w.int(key, v.Int64())
	case slog.KindUint64:
		if u := v.Uint64(); u <= math.MaxInt64 {
			w.int(key, int64(u))
		} else {
			w.str(key, strconv.FormatUint(u, 10)) // beyond JSON's safe integers too
		}
	case slog.KindFloat64:
		w.float(key, v.Float64())
	case slog.KindBool:
		w.bool(key, v.Bool())
	case slog.KindDuration:
		w.int(key, int64(v.Duration()))
	case slog.KindTime:
		w.str(key, v.Time().Format(time.RFC3339Nano))
	default:
		a := v.Any()
		switch x := a.(type) {
		case nil:
			w.none(key)
		case error:
			w.str(key, x.Error())
		case []byte:
			w.str(key, string(x))
		case encoding.TextMarshaler:
			if b, err := x.MarshalText(); err == nil {
				w.str(key, string(b))
				return
			}
			w.str(key, fmt.Sprint(a))
		default:
			w.str(key, fmt.Sprint(a))
		}
	}
}

// appendPyFloat appends f as Python's repr (and str) of a float writes it:
// the shortest text that reads back the same, in positional notation for
// decimal exponents from -4 to 15 (with ".0" when integral), else in
// scientific notation ("1e+16", "1.5e-05"); inf, -inf and nan.
func appendPyFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	case math.IsNaN(f):
		return append(dst, "nan"...)
	}
	exp := 0
	if f != 0 {
		exp = int(math.Floor(math.Log10(math.Abs(f))))
		// Log10 may be off by one at powers of ten: take the exponent of
		// the shortest scientific text, which is exact.
		var tmp [32]byte
		e := strconv.AppendFloat(tmp[:0], f, 'e', -1, 64)
		if i := strings.LastIndexByte(string(e), 'e'); i >= 0 {
			if x, err := strconv.Atoi(string(e[i+1:])); err == nil {
				exp = x
			}
		}
	}
	if exp < -4 || exp >= 16 {
		return strconv.AppendFloat(dst, f, 'e', -1, 64)
	}
	n := len(dst)
	dst = strconv.AppendFloat(dst, f, 'f', -1, 64)
	for _, c := range dst[n:] {
		if c == '.' {
			return dst
		}
	}
	return append(dst, ".0"...)
}

// formWriter writes Python's urlencode(dict): key=value pairs joined by '&',
// each quote_plus'd (UTF-8 percent escapes, space as '+'), values as
// Python's str().
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

func (f *formWriter) str(k, v string) {
	f.key(k)
	f.dst = append(f.dst, url.QueryEscape(strings.ToValidUTF8(v, "\uFFFD"))...)
}
func (f *formWriter) none(k string)       { f.key(k); f.dst = append(f.dst, "None"...) }
func (f *formWriter) emptyTuple(k string) { f.key(k); f.dst = append(f.dst, "%28%29"...) }
func (f *formWriter) int(k string, v int64) {
	f.key(k)
	f.dst = strconv.AppendInt(f.dst, v, 10)
}
func (f *formWriter) float(k string, v float64) {
	f.key(k)
	f.tmp = appendPyFloat(f.tmp[:0], v)
	f.dst = append(f.dst, url.QueryEscape(string(f.tmp))...)
}
func (f *formWriter) bool(k string, v bool) {
	f.key(k)
	if v {
		f.dst = append(f.dst, "True"...)
	} else {
		f.dst = append(f.dst, "False"...)
	}
}

// jsonWriter writes the dict as one JSON object with native values.
type jsonWriter struct {
	dst   []byte
	first bool
}

func (j *jsonWriter) key(k string) {
	if !j.first {
		j.dst = append(j.dst, ',')
	}
	j.first = false
	j.dst = appendJSONString(j.dst, k)
	j.dst = append(j.dst, ':')
}

func (j *jsonWriter) str(k, v string)     { j.key(k); j.dst = appendJSONString(j.dst, v) }
func (j *jsonWriter) none(k string)       { j.key(k); j.dst = append(j.dst, "null"...) }
func (j *jsonWriter) emptyTuple(k string) { j.key(k); j.dst = append(j.dst, "[]"...) }
func (j *jsonWriter) int(k string, v int64) {
	j.key(k)
	j.dst = strconv.AppendInt(j.dst, v, 10)
}
func (j *jsonWriter) float(k string, v float64) {
	j.key(k)
	if math.IsInf(v, 0) || math.IsNaN(v) {
		j.dst = appendJSONString(j.dst, string(appendPyFloat(nil, v))) // JSON has no inf or nan
		return
	}
	j.dst = strconv.AppendFloat(j.dst, v, 'g', -1, 64)
}
func (j *jsonWriter) bool(k string, v bool) { j.key(k); j.dst = strconv.AppendBool(j.dst, v) }

// appendJSONString appends s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20 || c == 0x7f:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, "\ufffd"...)
		} else if r == '\u2028' || r == '\u2029' {
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}
