package format

import (
	"encoding"
	"fmt"
	"log/slog"
	"reflect"
	"strconv"
	"strings"
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
type Logfmt struct {
	opts  LogfmtOptions
	times secCache
}

var _ Formatter = (*Logfmt)(nil)

// NewLogfmt returns a logfmt formatter.
func NewLogfmt(opts LogfmtOptions) *Logfmt { return &Logfmt{opts: opts} }

// Append implements Formatter.
func (l *Logfmt) Append(dst []byte, r *record.Record) []byte {
	if !r.Time.IsZero() {
		t := r.Time.Round(0)
		if l.opts.Location != nil {
			t = t.In(l.opts.Location)
		}
		dst = append(dst, "time="...)
		dst = l.times.appendRFC3339Millis(dst, t)
		dst = append(dst, ' ')
	}
	dst = append(dst, "level="...)
	dst = appendTextString(dst, r.Level.String())
	if r.Logger != "" {
		dst = append(dst, " logger="...)
		dst = appendTextString(dst, r.Logger)
	}
	if l.opts.AddSource {
		if _, file, line, ok := source(r); ok {
			dst = append(dst, " source="...)
			src := file + ":" + strconv.Itoa(line)
			dst = appendTextString(dst, src)
		}
	}
	dst = append(dst, " msg="...)
	dst = appendTextString(dst, r.Message)
	if sc := r.Scope; sc == nil {
		dst = appendTextAttrs(dst, r)
	} else {
		// The Scope's part is encoded once and reused; the record's own
		// attributes sit inside all of the Scope's groups.
		ts := textScopeOf(sc)
		dst = append(dst, ts.b...)
		inline, rest := r.AttrSlices()
		if len(sc.Groups) == 0 {
			dst = appendTextAttrsList(appendTextAttrsList(dst, inline), rest)
		} else {
			dst = ts.appendAttrs(ts.appendAttrs(dst, sc.Groups, inline), sc.Groups, rest)
		}
	}
	if r.ErrText != "" {
		dst = append(dst, " exc_info="...)
		dst = appendTextString(dst, r.ErrText)
	}
	if r.Stack != "" {
		dst = append(dst, " stack_info="...)
		dst = appendTextString(dst, r.Stack)
	}
	return dst
}

// appendTextAttrs writes the attributes of a record with no Scope: the
// common case, without Walk's call per attribute and reading each value's
// kind once. Groups, LogValuers and other values take the general path.
func appendTextAttrs(dst []byte, r *record.Record) []byte {
	inline, rest := r.AttrSlices()
	return appendTextAttrsList(appendTextAttrsList(dst, inline), rest)
}

func appendTextAttrsList(dst []byte, as []slog.Attr) []byte {
	for k := range as {
		a := &as[k]
		switch a.Value.Kind() {
		case slog.KindString:
			dst = appendTextString(appendTextKey(dst, a.Key), a.Value.String())
		case slog.KindInt64:
			dst = strconv.AppendInt(appendTextKey(dst, a.Key), a.Value.Int64(), 10)
		case slog.KindUint64:
			dst = strconv.AppendUint(appendTextKey(dst, a.Key), a.Value.Uint64(), 10)
		case slog.KindFloat64:
			dst = strconv.AppendFloat(appendTextKey(dst, a.Key), a.Value.Float64(), 'g', -1, 64)
		case slog.KindBool:
			dst = strconv.AppendBool(appendTextKey(dst, a.Key), a.Value.Bool())
		default:
			dst = appendTextAttrGeneral(dst, *a)
		}
	}
	return dst
}

// appendTextAttrGeneral writes an attribute of a record with no Scope by the general
// path: a group, a LogValuer, a time or any other value. It is apart from
// appendTextAttrs to keep its state off that loop's stack frame.
//
//go:noinline
func appendTextAttrGeneral(dst []byte, a slog.Attr) []byte {
	st := textState{dst: dst}
	st.walk(nil, a)
	return st.dst
}

var textScopeKey = &scopeKey{"logfmt"}

// textScope is a Scope's attributes encoded once, as the pairs that follow
// msg=, and the key prefix of the record's own attributes ("g1.g2."), or
// quoted true when a group name needs quoting and the prefix cannot be used.
// It is immutable once stored.
type textScope struct {
	b      []byte
	prefix []byte
	quoted bool
}

// textScopeOf returns sc's attributes encoded, from sc's cache or encoded now
// and stored there. Two goroutines may both encode a new Scope; they store the
// same bytes and the first one stays.
func textScopeOf(sc *record.Scope) *textScope {
	if ts, ok := sc.Cached(textScopeKey).(*textScope); ok {
		return ts
	}
	st := textState{}
	for _, p := range sc.Parts {
		for _, a := range p.Attrs {
			st.walk(sc.Groups[:p.Depth], a)
		}
	}
	ts := &textScope{b: st.dst}
	for _, g := range sc.Groups {
		ts.quoted = ts.quoted || needsQuoting(g)
		ts.prefix = append(append(ts.prefix, g...), '.')
	}
	sc.StoreCache(textScopeKey, ts)
	return ts
}

// appendAttrs writes as inside the groups of path, the Scope's. A plain value
// with a plain key is written with the prefix; the rest take the general path.
func (ts *textScope) appendAttrs(dst []byte, path []string, as []slog.Attr) []byte {
	for k := range as {
		a := &as[k]
		switch a.Value.Kind() {
		case slog.KindAny, slog.KindGroup, slog.KindLogValuer:
		default:
			if !ts.quoted && !needsQuoting(a.Key) {
				dst = append(append(append(dst, ' '), ts.prefix...), a.Key...)
				dst = appendTextValue(append(dst, '='), a.Value)
				continue
			}
		}
		dst = appendTextAttrIn(dst, path, *a)
	}
	return dst
}

// appendTextAttrIn writes an attribute inside the groups of path by the
// general path. It is apart from appendAttrs to keep its state off that
// loop's stack frame.
//
//go:noinline
func appendTextAttrIn(dst []byte, path []string, a slog.Attr) []byte {
	st := textState{dst: dst}
	st.walk(path, a)
	return st.dst
}

// appendTextKey writes " key=" for an attribute outside any group.
func appendTextKey(dst []byte, k string) []byte {
	dst = append(dst, ' ')
	dst = appendTextString(dst, k)
	return append(dst, '=')
}

// textState is the encoder state of one record's attributes: the group path
// of the attribute being written, from the Scope (path) and from nested
// slog.Group values (groups, then more beyond eight levels). It holds no
// pointer into itself, so it stays on the stack.
type textState struct {
	dst    []byte
	path   []string
	groups [8]string
	ng     int
	more   []string
}

func (s *textState) walk(path []string, a slog.Attr) bool {
	switch a.Value.Kind() {
	case slog.KindAny, slog.KindGroup, slog.KindLogValuer:
	default:
		// A plain value is never left out.
		s.path = path
		s.dst = append(s.dst, ' ')
		s.key(a.Key)
		s.dst = append(s.dst, '=')
		s.dst = appendTextValue(s.dst, a.Value)
		return true
	}
	a.Value = resolve(a.Value)
	if record.Skip(a) {
		return true
	}
	s.path = path
	s.attr(a)
	return true
}

func (s *textState) push(g string) {
	if s.ng < len(s.groups) {
		s.groups[s.ng] = g
	} else {
		s.more = append(s.more[:s.ng-len(s.groups)], g)
	}
	s.ng++
}

func (s *textState) group(i int) string {
	if i < len(s.groups) {
		return s.groups[i]
	}
	return s.more[i-len(s.groups)]
}

// attr writes a resolved attribute and reports whether it wrote anything.
func (s *textState) attr(a slog.Attr) bool {
	if a.Value.Kind() == slog.KindGroup {
		as := a.Value.Group()
		if len(as) == 0 {
			return false
		}
		mark, ng := len(s.dst), s.ng
		if a.Key != "" {
			s.push(a.Key)
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
		s.ng = ng
		if !any {
			s.dst = s.dst[:mark]
		}
		return any
	}
	if a.Key == "" && a.Value.Any() == nil {
		return false
	}
	s.dst = append(s.dst, ' ')
	s.key(a.Key)
	s.dst = append(s.dst, '=')
	s.dst = appendTextValue(s.dst, a.Value)
	return true
}

// key writes the dotted key g1.g2.key, quoted as a whole when any part needs
// it, as slog does.
func (s *textState) key(k string) {
	quote := needsQuoting(k)
	for _, g := range s.path {
		quote = quote || needsQuoting(g)
	}
	for i := 0; i < s.ng && !quote; i++ {
		quote = needsQuoting(s.group(i))
	}
	if !quote {
		for _, g := range s.path {
			s.dst = append(append(s.dst, g...), '.')
		}
		for i := 0; i < s.ng; i++ {
			s.dst = append(append(s.dst, s.group(i)...), '.')
		}
		s.dst = append(s.dst, k...)
		return
	}
	var b strings.Builder
	for _, g := range s.path {
		b.WriteString(g)
		b.WriteByte('.')
	}
	for i := 0; i < s.ng; i++ {
		b.WriteString(s.group(i))
		b.WriteByte('.')
	}
	b.WriteString(k)
	s.dst = strconv.AppendQuote(s.dst, b.String())
}

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

// appendTextValue writes a resolved, non-group value as slog's TextHandler does.
func appendTextValue(dst []byte, v slog.Value) []byte {
	switch v.Kind() {
	case slog.KindString:
		return appendTextString(dst, v.String())
	case slog.KindInt64:
		return strconv.AppendInt(dst, v.Int64(), 10)
	case slog.KindUint64:
		return strconv.AppendUint(dst, v.Uint64(), 10)
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
