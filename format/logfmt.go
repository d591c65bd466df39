package format

import (
	"encoding"
	"fmt"
	"log/slog"
	"reflect"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/actorlog/actorlog/record"
)

// LogfmtOptions configures a logfmt formatter. The zero value is usable.
type LogfmtOptions struct {
	// AddSource adds source=FILE:LINE when the record's caller is known.
	// Default false.
	AddSource bool
	// Location, when not nil, converts the record's time to this zone before
	// it is written. Default nil: the time as recorded (slog's behaviour).
	Location *time.Location
}

// Logfmt formats a record as key=value pairs, as slog's TextHandler does:
//
//	time=2024-03-31T02:59:59.999+01:00 level=INFO logger=app.db msg="hello world" k=v g.k=v
//
// The differences from slog.TextHandler are those of JSON: Python's level
// names, a "logger" key for every logger but the root, and the exception and
// stack texts as exc_info= and stack_info= at the end. Quoting follows slog:
// a key or value is written with strconv.Quote when it is empty or holds a
// space, '"', '=', a control or non-printing character, or invalid UTF-8.
type Logfmt struct{ f structured }

var (
	_ Formatter    = (*Logfmt)(nil)
	_ CallerNeeder = (*Logfmt)(nil)
)

// NewLogfmt returns a logfmt formatter.
func NewLogfmt(opts LogfmtOptions) *Logfmt {
	l := &Logfmt{structured{syn: syntaxText, addSource: opts.AddSource, loc: opts.Location}}
	l.f.init()
	return l
}

// NeedsCaller implements CallerNeeder: true with AddSource.
func (l *Logfmt) NeedsCaller() bool { return l.f.addSource }

// Append implements Formatter.
func (l *Logfmt) Append(dst []byte, r *record.Record) []byte { return l.f.append(dst, r) }

// appendTextString appends s, quoted with strconv.Quote when slog would.
func appendTextString(dst []byte, s string) []byte {
	if needsQuoting(s) {
		return appendQuote(dst, s)
	}
	return append(dst, s...)
}

// appendQuote is strconv.AppendQuote with a fast path for printable ASCII.
func appendQuote(dst []byte, s string) []byte {
	n := len(dst)
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			m := quoteMask(load8(s, i))
			if m == 0 {
				i += 8
				continue
			}
			i += firstByte(m)
		}
		c := s[i]
		if c == '"' || c == '\\' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', c)
			i++
			start = i
			continue
		}
		if c < 0x20 || c >= 0x7f {
			return strconv.AppendQuote(dst[:n], s)
		}
		i++
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendTextValue writes a resolved, non-group value of kind k as slog's
// TextHandler does.
func appendTextValue(dst []byte, v slog.Value, k slog.Kind) []byte {
	switch k {
	case slog.KindString:
		return appendTextString(dst, v.String())
	case slog.KindInt64:
		return appendInt(dst, v.Int64())
	case slog.KindUint64:
		return appendUint(dst, v.Uint64())
	case slog.KindFloat64:
		return strconv.AppendFloat(dst, v.Float64(), 'g', -1, 64)
	case slog.KindBool:
		return strconv.AppendBool(dst, v.Bool())
	case slog.KindDuration:
		return append(dst, v.Duration().String()...)
	case slog.KindTime:
		return appendRFC3339Millis(dst, v.Time())
	}
	return appendTextAny(dst, v.Any())
}

// appendTextAny writes a KindAny value as slog's TextHandler does: an
// encoding.TextMarshaler's text, a byte slice quoted, anything else as
// fmt's %+v. A failure or a panic is written as "!ERROR:" or "!PANIC:" text.
func appendTextAny(dst []byte, a any) (out []byte) {
	n := len(dst)
	defer func() {
		if r := recover(); r != nil {
			if v := reflect.ValueOf(a); v.Kind() == reflect.Pointer && v.IsNil() {
				out = append(dst[:n], "<nil>"...)
				return
			}
			out = appendTextString(dst[:n], fmt.Sprintf("!PANIC: %v", r))
		}
	}()
	if tm, ok := a.(encoding.TextMarshaler); ok {
		data, err := tm.MarshalText()
		if err != nil {
			return appendTextString(dst, "!ERROR:"+err.Error())
		}
		return appendTextString(dst, string(data))
	}
	if bs, ok := byteSlice(a); ok {
		return strconv.AppendQuote(dst, string(bs))
	}
	return appendTextString(dst, fmt.Sprintf("%+v", a))
}

func byteSlice(a any) ([]byte, bool) {
	if bs, ok := a.([]byte); ok {
		return bs, true
	}
	t := reflect.TypeOf(a)
	if t != nil && t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
		return reflect.ValueOf(a).Bytes(), true
	}
	return nil, false
}

// needsQuoting reports whether slog's TextHandler quotes s.
func needsQuoting(s string) bool {
	if len(s) == 0 {
		return true
	}
	if len(s) < 8 {
		// Short strings, keys mostly: no branch per byte when all are plain.
		var any uint8
		for i := 0; i < len(s); i++ {
			any |= textQuote[s[i]]
		}
		if any == textPlain {
			return false
		}
	}
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			m := textQuoteMask(load8(s, i))
			if m == 0 {
				i += 8
				continue
			}
			i += firstByte(m)
		}
		switch textQuote[s[i]] {
		case textPlain:
			i++
			continue
		case textQuoted:
			return true
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return true
		}
		i += size
	}
	return false
}

// What a byte means to needsQuoting.
const (
	textPlain  = iota // ASCII that needs no quoting
	textQuoted        // ASCII that makes slog quote: space, controls, '=', '"'
	textRune          // the start of a multi-byte rune (or invalid UTF-8)
)

var textQuote = func() (t [256]uint8) {
	for b := range t {
		switch {
		case b >= utf8.RuneSelf:
			t[b] = textRune
		case b != '\\' && (b == ' ' || b == '=' || !jsonSafe[b]):
			t[b] = textQuoted
		}
	}
	return t
}()

// appendRFC3339Millis writes t in RFC 3339 with exactly three fractional
// digits, truncated, as slog's TextHandler does.
func appendRFC3339Millis(b []byte, t time.Time) []byte {
	const prefixLen = len("2006-01-02T15:04:05.000")
	n := len(b)
	t = t.Truncate(time.Millisecond).Add(time.Millisecond / 10)
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b[:n+prefixLen], b[n+prefixLen+1:]...) // drop the 4th digit
}
