package format

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"reflect"
	"runtime"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/actorlog/actorlog/record"
)

// JSONOptions configures a JSON formatter. The zero value is usable.
type JSONOptions struct {
	// AddSource adds a "source" object (function, file, line) when the
	// record's caller is known. Default false.
	AddSource bool
	// Location, when not nil, converts the record's time to this zone before
	// it is written. Default nil: the time as recorded (slog's behaviour).
	Location *time.Location
}

// JSON formats a record as one JSON object, as slog's JSONHandler does:
//
//	{"time":"…","level":"WARNING","logger":"app.db","source":{…},"msg":"…",…attributes…,"exc_info":"…","stack_info":"…"}
//
// The differences from slog.JSONHandler are: the level is Python's name
// ("WARNING", "CRITICAL", a name given to record.AddLevelName, or "Level N");
// a "logger" key follows it for every logger but the root (Record.Logger
// ""), which has none, so a root record has exactly slog's keys; a
// non-finite float is written as the string "NaN", "+Inf" or "-Inf" where
// slog writes an !ERROR string; and the exception and stack texts, when set,
// end the object as "exc_info" and "stack_info".
//
// Everything else follows slog: time in RFC 3339 with nanoseconds, omitted
// when zero; LogValuers resolved; empty attributes and empty groups left out;
// a group with an empty key inlined; groups opened by WithGroup written as
// nested objects only when something lands in them; strings escaped as slog
// escapes them; a Duration as integer nanoseconds; an error as its Error()
// text unless it is a json.Marshaler; other values through encoding/json.
type JSON struct {
	opts  JSONOptions
	times secCache
}

var _ Formatter = (*JSON)(nil)

// NewJSON returns a JSON formatter.
func NewJSON(opts JSONOptions) *JSON { return &JSON{opts: opts} }

// Append implements Formatter.
func (j *JSON) Append(dst []byte, r *record.Record) []byte {
	dst = append(dst, '{')
	if !r.Time.IsZero() {
		t := r.Time.Round(0)
		if j.opts.Location != nil {
			t = t.In(j.opts.Location)
		}
		dst = append(dst, `"time":"`...)
		dst = j.times.appendRFC3339Nano(dst, t)
		dst = append(dst, `",`...)
	}
	dst = append(dst, `"level":"`...)
	dst = appendJSONLevel(dst, r.Level)
	dst = append(dst, '"')
	if r.Logger != "" {
		dst = append(dst, `,"logger":`...)
		dst = appendJSONString(dst, r.Logger)
	}
	if j.opts.AddSource {
		if fn, file, line, ok := source(r); ok {
			dst = append(dst, `,"source":{`...)
			sep := false
			if fn != "" {
				dst = append(dst, `"function":`...)
				dst = appendJSONString(dst, fn)
				sep = true
			}
			if file != "" {
				if sep {
					dst = append(dst, ',')
				}
				dst = append(dst, `"file":`...)
				dst = appendJSONString(dst, file)
				sep = true
			}
			if line != 0 {
				if sep {
					dst = append(dst, ',')
				}
				dst = append(dst, `"line":`...)
				dst = strconv.AppendInt(dst, int64(line), 10)
			}
			dst = append(dst, '}')
		}
	}
	dst = append(dst, `,"msg":`...)
	dst = appendJSONString(dst, r.Message)

	if sc := r.Scope; sc == nil {
		dst = appendJSONAttrs(dst, r)
	} else {
		// The Scope's part is encoded once and reused; the record's own
		// attributes continue from the state it left.
		js := jsonScopeOf(sc)
		st := jsonState{dst: append(dst, js.b...), open: js.open, comma: js.comma}
		inline, rest := r.AttrSlices()
		st.attrs(sc.Groups, inline)
		st.attrs(sc.Groups, rest)
		dst = st.dst
		for ; st.open > 0; st.open-- {
			dst = append(dst, '}')
		}
	}
	if r.ErrText != "" {
		dst = append(dst, `,"exc_info":`...)
		dst = appendJSONString(dst, r.ErrText)
	}
	if r.Stack != "" {
		dst = append(dst, `,"stack_info":`...)
		dst = appendJSONString(dst, r.Stack)
	}
	return append(dst, '}')
}

func appendJSONLevel(dst []byte, l record.Level) []byte {
	n := len(dst)
	dst = l.AppendName(dst)
	for _, c := range dst[n:] {
		if c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			// A custom name that needs escaping: redo it the slow way.
			s := string(dst[n:])
			dst = appendJSONString(dst[:n], s)
			return append(dst[:n], dst[n+1:len(dst)-1]...)
		}
	}
	return dst
}

// source returns the record's caller as slog reports it: the full function
// name and file path for a local record, the Origin's fields for a remote one.
func source(r *record.Record) (fn, file string, line int, ok bool) {
	if o := r.Origin; o != nil {
		return o.FuncName, o.Pathname, o.Lineno, o.FuncName != "" || o.Pathname != "" || o.Lineno != 0
	}
	if r.PC == 0 {
		return "", "", 0, false
	}
	f, _ := runtime.CallersFrames([]uintptr{r.PC}).Next()
	return f.Function, f.File, f.Line, f.Function != "" || f.File != "" || f.Line != 0
}

// appendJSONAttrs writes the attributes of a record with no Scope, after
// "msg": the common case, without Walk's call per attribute and reading each
// value's kind once. Groups, LogValuers and other values take the general
// path.
func appendJSONAttrs(dst []byte, r *record.Record) []byte {
	inline, rest := r.AttrSlices()
	return appendJSONAttrsList(appendJSONAttrsList(dst, inline), rest)
}

func appendJSONAttrsList(dst []byte, as []slog.Attr) []byte {
	for k := range as {
		a := &as[k]
		switch a.Value.Kind() {
		case slog.KindString:
			dst = appendJSONString(appendJSONKey(dst, a.Key), a.Value.String())
		case slog.KindInt64:
			dst = strconv.AppendInt(appendJSONKey(dst, a.Key), a.Value.Int64(), 10)
		case slog.KindUint64:
			dst = strconv.AppendUint(appendJSONKey(dst, a.Key), a.Value.Uint64(), 10)
		case slog.KindFloat64:
			dst = appendJSONFloat(appendJSONKey(dst, a.Key), a.Value.Float64())
		case slog.KindBool:
			dst = strconv.AppendBool(appendJSONKey(dst, a.Key), a.Value.Bool())
		case slog.KindDuration:
			dst = strconv.AppendInt(appendJSONKey(dst, a.Key), int64(a.Value.Duration()), 10)
		default:
			dst = appendJSONAttrGeneral(dst, *a)
		}
	}
	return dst
}

// appendJSONAttrGeneral writes an attribute of a record with no Scope by the general
// path: a group, a LogValuer, a time or any other value. It is apart from
// appendJSONAttrs to keep its state off that loop's stack frame.
//
//go:noinline
func appendJSONAttrGeneral(dst []byte, a slog.Attr) []byte {
	st := jsonState{dst: dst, comma: true}
	st.walk(nil, a)
	return st.dst
}

// appendJSONKey writes ,"key": for an attribute that follows another member.
func appendJSONKey(dst []byte, k string) []byte {
	dst = append(dst, ',')
	dst = appendJSONString(dst, k)
	return append(dst, ':')
}

// scopeKey is the key under which a formatter kind stores what it derived
// from a record.Scope. The Scope's part of the output depends on no option of
// the formatter, so every formatter of a kind shares one entry.
type scopeKey struct{ name string }

var jsonScopeKey = &scopeKey{"json"}

// jsonScope is a Scope's attributes encoded once, as the members that follow
// "msg", with the encoder state they leave: how many of the Scope's groups
// they opened, and whether a comma is due. It is immutable once stored.
type jsonScope struct {
	b     []byte
	open  int
	comma bool
}

// jsonScopeOf returns sc's attributes encoded, from sc's cache or encoded now
// and stored there. Two goroutines may both encode a new Scope; they store the
// same bytes and the first one stays.
func jsonScopeOf(sc *record.Scope) *jsonScope {
	if js, ok := sc.Cached(jsonScopeKey).(*jsonScope); ok {
		return js
	}
	st := jsonState{comma: true}
	for _, p := range sc.Parts {
		for _, a := range p.Attrs {
			st.walk(sc.Groups[:p.Depth], a)
		}
	}
	js := &jsonScope{b: st.dst, open: st.open, comma: st.comma}
	sc.StoreCache(jsonScopeKey, js)
	return js
}

// attrs writes as, each inside the groups of path. Once those groups are all
// open and a comma is due, what is left takes the path of a record with no
// groups, which writes the same bytes with no call per attribute.
func (s *jsonState) attrs(path []string, as []slog.Attr) {
	for i := range as {
		if s.open == len(path) && s.comma {
			s.dst = appendJSONAttrsList(s.dst, as[i:])
			return
		}
		s.walk(path, as[i])
	}
}

// jsonState is the encoder state of one record's attributes: how many of the
// Scope's groups are open, and whether a comma is due.
type jsonState struct {
	dst   []byte
	open  int
	comma bool
}

func (s *jsonState) walk(path []string, a slog.Attr) bool {
	switch k := a.Value.Kind(); k {
	case slog.KindAny, slog.KindGroup, slog.KindLogValuer:
	default:
		// A plain value is never left out: no mark to go back to.
		s.open = s.openGroups(path)
		s.key(a.Key)
		s.dst = appendJSONValueKind(s.dst, a.Value, k)
		s.comma = true
		return true
	}
	mark, open, comma := len(s.dst), s.open, s.comma
	a.Value = resolve(a.Value)
	if record.Skip(a) {
		return true
	}
	s.open = s.openGroups(path)
	if !s.attr(a) {
		s.dst, s.open, s.comma = s.dst[:mark], open, comma
	}
	return true
}

// openGroups opens the groups of path that are not open yet and returns how
// many are open.
func (s *jsonState) openGroups(path []string) int {
	open := s.open
	for ; open < len(path); open++ {
		s.key(path[open])
		s.dst = append(s.dst, '{')
		s.comma = false
	}
	return open
}

func (s *jsonState) key(k string) {
	if s.comma {
		s.dst = append(s.dst, ',')
	}
	s.dst = appendJSONString(s.dst, k)
	s.dst = append(s.dst, ':')
}

// attr writes a resolved attribute and reports whether it wrote anything.
func (s *jsonState) attr(a slog.Attr) bool {
	if a.Value.Kind() == slog.KindGroup {
		as := a.Value.Group()
		if len(as) == 0 {
			return false
		}
		mark, comma := len(s.dst), s.comma
		if a.Key != "" {
			s.key(a.Key)
			s.dst = append(s.dst, '{')
			s.comma = false
		}
		any := false
		for _, c := range as {
			c.Value = resolve(c.Value)
			if record.Skip(c) {
				continue
			}
			if s.attr(c) {
				any = true
			}
		}
		if !any {
			s.dst, s.comma = s.dst[:mark], comma
			return false
		}
		if a.Key != "" {
			s.dst = append(s.dst, '}')
			s.comma = true
		}
		return true
	}
	if a.Key == "" && a.Value.Any() == nil {
		return false
	}
	s.key(a.Key)
	s.dst = appendJSONValue(s.dst, a.Value)
	s.comma = true
	return true
}

// appendJSONValue writes a resolved, non-group value.
func appendJSONValue(dst []byte, v slog.Value) []byte {
	return appendJSONValueKind(dst, v, v.Kind())
}

// appendJSONValueKind is appendJSONValue for a value whose kind is known.
func appendJSONValueKind(dst []byte, v slog.Value, k slog.Kind) []byte {
	switch k {
	case slog.KindString:
		return appendJSONString(dst, v.String())
	case slog.KindInt64:
		return strconv.AppendInt(dst, v.Int64(), 10)
	case slog.KindUint64:
		return strconv.AppendUint(dst, v.Uint64(), 10)
	case slog.KindFloat64:
		return appendJSONFloat(dst, v.Float64())
	case slog.KindBool:
		return strconv.AppendBool(dst, v.Bool())
	case slog.KindDuration:
		return strconv.AppendInt(dst, int64(v.Duration()), 10)
	case slog.KindTime:
		dst = append(dst, '"')
		dst = v.Time().AppendFormat(dst, time.RFC3339Nano)
		return append(dst, '"')
	}
	return appendJSONAny(dst, v.Any())
}

// appendJSONFloat writes f as encoding/json does; NaN and infinities, which
// JSON cannot hold, become the strings "NaN", "+Inf" and "-Inf".
func appendJSONFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(dst, `"+Inf"`...)
	case math.IsInf(f, -1):
		return append(dst, `"-Inf"`...)
	}
	abs := math.Abs(f)
	fm := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		fm = 'e'
	}
	dst = strconv.AppendFloat(dst, f, fm, -1, 64)
	if fm == 'e' {
		// clean up e-09 to e-9
		n := len(dst)
		if n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

type jsonEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var jsonEncoders = sync.Pool{New: func() any {
	e := &jsonEncoder{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}}

// appendJSONAny writes a KindAny value as slog does: an error (that is not a
// json.Marshaler) as its Error() string, anything else through encoding/json.
// A failure or a panic is written as an "!ERROR:" or "!PANIC:" string.
func appendJSONAny(dst []byte, a any) (out []byte) {
	n := len(dst)
	defer func() {
		if r := recover(); r != nil {
			if v := reflect.ValueOf(a); v.Kind() == reflect.Pointer && v.IsNil() {
				out = appendJSONString(dst[:n], "<nil>")
				return
			}
			out = appendJSONString(dst[:n], fmt.Sprintf("!PANIC: %v", r))
		}
	}()
	_, jm := a.(json.Marshaler)
	if err, ok := a.(error); ok && !jm {
		return appendJSONString(dst, err.Error())
	}
	e := jsonEncoders.Get().(*jsonEncoder)
	defer func() {
		if e.buf.Cap() <= 16<<10 {
			e.buf.Reset()
			jsonEncoders.Put(e)
		}
	}()
	if err := e.enc.Encode(a); err != nil {
		return appendJSONString(dst, "!ERROR:"+err.Error())
	}
	b := e.buf.Bytes()
	return append(dst, b[:len(b)-1]...)
}

// jsonSafe marks the ASCII bytes a JSON string holds unescaped.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for i := 0x20; i < utf8.RuneSelf; i++ {
		t[i] = i != '"' && i != '\\'
	}
	return t
}()

// appendJSONString appends s as a quoted JSON string, escaped exactly as
// slog's JSONHandler escapes it (no HTML escaping; invalid UTF-8 becomes
// \ufffd; U+2028 and U+2029 escaped).
func appendJSONString(dst []byte, s string) []byte {
	i := jsonSafePrefix(s)
	dst = append(dst, '"')
	if i == len(s) {
		dst = append(dst, s...)
		return append(dst, '"')
	}
	start := 0
	for i < len(s) {
		if i+8 <= len(s) {
			m := jsonMask(load8(s, i))
			if m == 0 {
				i += 8
				continue
			}
			i += firstByte(m)
		}
		if b := s[i]; b < utf8.RuneSelf {
			if jsonSafe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
