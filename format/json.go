package format

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"reflect"
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
type JSON struct{ f structured }

var _ Formatter = (*JSON)(nil)

// NewJSON returns a JSON formatter.
func NewJSON(opts JSONOptions) *JSON {
	return &JSON{structured{syn: syntaxJSON, addSource: opts.AddSource, loc: opts.Location}}
}

// Append implements Formatter.
func (j *JSON) Append(dst []byte, r *record.Record) []byte {
	dst = append(dst, '{')
	if !r.Time.IsZero() {
		t := r.Time.Round(0)
		if j.f.loc != nil {
			t = t.In(j.f.loc)
		}
		dst = append(dst, `"time":"`...)
		dst = append(j.f.times.appendRFC3339Nano(dst, t), `",`...)
	}
	dst = append(dst, `"level":`...)
	dst = appendJSONLevel(dst, r.Level)
	if r.Logger != "" {
		dst = append(dst, `,"logger":`...)
		dst = appendJSONString(dst, r.Logger)
	}
	if j.f.addSource {
		if fn, file, line, ok := source(r); ok {
			dst = appendJSONSource(append(dst, `,"source":`...), fn, file, line)
		}
	}
	dst = append(dst, `,"msg":`...)
	dst = appendJSONString(dst, r.Message)
	return append(j.f.appendRest(dst, r), '}')
}

// appendJSONSource writes the caller as slog's source object.
func appendJSONSource(dst []byte, fn, file string, line int) []byte {
	dst = append(dst, '{')
	sep := false
	if fn != "" {
		dst = appendJSONString(append(dst, `"function":`...), fn)
		sep = true
	}
	if file != "" {
		if sep {
			dst = append(dst, ',')
		}
		dst = appendJSONString(append(dst, `"file":`...), file)
		sep = true
	}
	if line != 0 {
		if sep {
			dst = append(dst, ',')
		}
		dst = strconv.AppendInt(append(dst, `"line":`...), int64(line), 10)
	}
	return append(dst, '}')
}

// appendJSONLevel writes the level's name as a JSON string.
func appendJSONLevel(dst []byte, l record.Level) []byte {
	dst = append(dst, '"')
	n := len(dst)
	dst = l.AppendName(dst)
	for _, c := range dst[n:] {
		if c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			// A custom name that needs escaping: redo it the slow way.
			s := string(dst[n:])
			return appendJSONString(dst[:n-1], s)
		}
	}
	return append(dst, '"')
}

// appendJSONValue writes a resolved, non-group value of kind k as slog's
// JSONHandler does.
func appendJSONValue(dst []byte, v slog.Value, k slog.Kind) []byte {
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
