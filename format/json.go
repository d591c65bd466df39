package format

import (
	"slices"

	"bytes"
	"encoding/json"
	"fmt"
	"github.com/actorlog/actorlog/internal/optcheck"
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
	// TimeFormat is how the time is written: TimeRFC3339Nano, TimeRFC3339,
	// TimeUnix, TimeUnixMilli or TimeUnixNano. Default "": TimeRFC3339Nano,
	// as slog. An unknown name is reported by Validate and written as the
	// default.
	TimeFormat TimeFormat
	// TimeKey, LevelKey, LoggerKey, SourceKey and MessageKey rename the
	// record's own keys, as zap's EncoderConfig and zerolog's field names do.
	// Default "": "time", "level", "logger", "source" and "msg", as slog.
	TimeKey, LevelKey, LoggerKey, SourceKey, MessageKey string
}

// TimeFormat names how a structured formatter writes the record's time.
type TimeFormat string

// The time formats of JSONOptions.TimeFormat.
const (
	TimeRFC3339Nano TimeFormat = "RFC3339Nano" // "2024-03-31T02:59:59.123456789+02:00" (a string; trailing zeros of the fraction dropped)
	TimeRFC3339     TimeFormat = "RFC3339"     // "2024-03-31T02:59:59+02:00" (a string, whole seconds)
	TimeUnix        TimeFormat = "unix"        // 1711846799 (a number, whole seconds, as zerolog's TimeFormatUnix)
	TimeUnixMilli   TimeFormat = "unixmilli"   // 1711846799123 (a number of milliseconds)
	TimeUnixNano    TimeFormat = "unixnano"    // 1711846799123456789 (a number of nanoseconds)
)

// TimeFormats lists the time formats JSONOptions.TimeFormat accepts.
func TimeFormats() []TimeFormat {
	return []TimeFormat{TimeRFC3339Nano, TimeRFC3339, TimeUnix, TimeUnixMilli, TimeUnixNano}
}

// Validate reports every problem with the options, each a FieldError of
// package optcheck wrapping ErrInvalidOptions; nil when they are usable.
func (o JSONOptions) Validate() error {
	p := optcheck.New(ErrInvalidOptions)
	if o.TimeFormat != "" && !slices.Contains(TimeFormats(), o.TimeFormat) {
		p.Addf("TimeFormat", "unknown time format %q (want RFC3339Nano, RFC3339, unix, unixmilli or unixnano)", string(o.TimeFormat))
	}
	return p.Err()
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

var (
	_ Formatter    = (*JSON)(nil)
	_ CallerNeeder = (*JSON)(nil)
)

// NewJSON returns a JSON formatter.
func NewJSON(opts JSONOptions) *JSON {
	j := &JSON{structured{syn: syntaxJSON, addSource: opts.AddSource, loc: opts.Location, timeFormat: opts.TimeFormat}}
	for i, k := range [...]string{keyTime: opts.TimeKey, keyLevel: opts.LevelKey, keyLogger: opts.LoggerKey, keySource: opts.SourceKey, keyMsg: opts.MessageKey} {
		if k != "" {
			q := appendJSONString(nil, k)
			j.f.keys[i] = string(q[1 : len(q)-1])
		}
	}
	j.f.init()
	return j
}

// NeedsCaller implements CallerNeeder: true with AddSource.
func (j *JSON) NeedsCaller() bool { return j.f.addSource }

// Append implements Formatter.
func (j *JSON) Append(dst []byte, r *record.Record) []byte { return j.f.append(dst, r) }

// appendJSONLevel writes the level's name as the inside of a JSON string.
func appendJSONLevel(dst []byte, l record.Level) []byte {
	n := len(dst)
	dst = l.AppendName(dst)
	var attention uint8 // no branch per byte for a name that needs nothing
	for _, c := range dst[n:] {
		attention |= jsonAttention[c]
	}
	if attention != 0 {
		// A custom name that needs escaping: redo it the slow way.
		s := string(dst[n:])
		dst = appendJSONString(dst[:n], s)
		return append(dst[:n], dst[n+1:len(dst)-1]...)
	}
	return dst
}

// appendJSONValue writes a resolved, non-group value of kind k as slog's
// JSONHandler does.
func appendJSONValue(dst []byte, v slog.Value, k slog.Kind) []byte {
	switch k {
	case slog.KindString:
		return appendJSONString(dst, v.String())
	case slog.KindInt64:
		return appendInt(dst, v.Int64())
	case slog.KindUint64:
		return appendUint(dst, v.Uint64())
	case slog.KindFloat64:
		return appendJSONFloat(dst, v.Float64())
	case slog.KindBool:
		return strconv.AppendBool(dst, v.Bool())
	case slog.KindDuration:
		return appendInt(dst, int64(v.Duration()))
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
	if i == len(s) {
		dst = append(dst, '"')
		dst = append(dst, s...)
		return append(dst, '"')
	}
	return appendJSONEscaped(dst, s, i)
}

// appendJSONEscaped is appendJSONString for a string whose first byte
// needing attention is at i: apart, so that the usual string, which needs
// none, pays for a small function.
func appendJSONEscaped(dst []byte, s string, i int) []byte {
	dst = append(dst, '"')
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
