package record

import (
	"encoding"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vmihailenco/msgpack/v5"
)

// Errors of the wire codec; each returned error wraps one of them, so callers
// can count them by kind with errors.Is.
var (
	// ErrMalformed: the bytes are not one well-formed msgpack value (a length
	// or count beyond the input, a truncated header, trailing bytes, a
	// reserved code, an extension other than the timestamp).
	ErrMalformed = errors.New("record: malformed msgpack")
	// ErrTooDeep: containers nest deeper than the allowed depth.
	ErrTooDeep = errors.New("record: msgpack nested too deep")
	// ErrBadRecord: well-formed msgpack that is not a log record (the top
	// level is not a map, a key is not a string, a field has the wrong type).
	ErrBadRecord = errors.New("record: not a log record")
	// ErrFrameTooLarge: a frame's declared length is over the reader's limit.
	ErrFrameTooLarge = errors.New("record: frame too large")
	// ErrBadTag: a frame's HMAC-SHA256 tag does not match its payload (or the
	// frame is too short to hold one).
	ErrBadTag = errors.New("record: frame authentication failed")
)

// EscapePrefix is put in front of a record attribute's key when the attribute
// would land at the top level of the wire map under a reserved LogRecord name
// ("name", "msg", "levelno", ..., and Python's "message" and "asctime"), so
// that it never overwrites a LogRecord field: an attribute "name" travels as
// "attr_name". So that the rule can be undone, a top-level key that already
// starts with the prefix is escaped too ("attr_x" travels as "attr_attr_x"),
// and DecodeMsgpack removes one prefix from every top-level key that has it.
// Keys inside groups are never escaped.
const EscapePrefix = "attr_"

// reserved reports whether k is an attribute name a Python LogRecord owns, or
// one its Formatter sets ("message", "asctime").
// They are the keys DecodeMsgpack reads as LogRecord fields (fieldOf), found
// by length first: an attribute's key is told apart in a few word compares.
func reserved(k string) bool {
	// Most attribute keys differ from every reserved name of their length
	// in the first byte: one table load and a mask decide them.
	m := reservedFirst[min(len(k), len(reservedFirst)-1)]
	return m != 0 && m&(1<<(k[0]&31)) != 0 && fieldOf(k, numFields) != fAttr
}

// reservedFirst holds, for each length up to 15, a bit (first byte & 31)
// for the first byte of each reserved name of that length; the last entry
// is for longer keys, none of which is reserved.
var reservedFirst = func() (m [17]uint32) {
	for _, o := range wireOrder {
		m[len(o.key)] |= 1 << (o.key[0] & 31)
	}
	for _, k := range [...]string{"exc_info", "message", "asctime"} {
		m[len(k)] |= 1 << (k[0] & 31)
	}
	return m
}()

// NeedsEscape reports whether a top-level attribute key travels with
// EscapePrefix before it: a reserved LogRecord name, or a key that starts
// with the prefix already. Other encoders of Python's LogRecord dict (an
// HTTP form) follow the same rule.
func NeedsEscape(k string) bool {
	return reserved(k) || strings.HasPrefix(k, EscapePrefix)
}

// Python's placeholders for a record whose caller is unknown.
const (
	unknownFile = "(unknown file)"
	unknownFunc = "(unknown function)"
	// As AppendMsgpack writes them: the pathname, filename and module
	// entries, and the value of funcName.
	unknownCaller  = wPathname + "\xae" + unknownFile + wFilename + "\xae" + unknownFile + wModule + "\xae" + unknownFile
	unknownFuncStr = "\xb2" + unknownFunc
)

// localThreadName is the thread name Record.Thread reports for a record of
// this process.
const localThreadName = "MainThread"

// rootName is the root logger's name in Python; the engine's root is "".
const rootName = "root"

// AppendMsgpack appends r as one msgpack map to dst and returns the extended
// slice. The map is what Python's SocketHandler sends, so a Python receiver can
// call logging.makeLogRecord on it. Its keys, in Python's order:
//
//	name            the logger name; the root logger ("") is "root"
//	msg             the message, fully formatted
//	args            nil
//	levelname       the level's name (Level.String)
//	levelno         the level
//	pathname, filename, module, lineno, funcName
//	                from Record.Caller; Python's "(unknown file)", 0 and
//	                "(unknown function)" when unknown
//	exc_text        the error text, nil when empty
//	stack_info      the stack text, nil when empty
//	created         seconds since the Unix epoch as a float64, computed as
//	                Python 3.13+ does from nanoseconds (UnixNano / 1e9);
//	                0 for the zero Time
//	msecs           the millisecond part, exactly as Python 3.14 computes it
//	relativeCreated Record.RelativeCreated
//	thread, threadName, processName, process
//	                Record.Thread and Record.Process
//	taskName        Origin.TaskName, nil when empty
//
// Then the attributes, walked with Record.Walk (the Scope's, then the
// record's own), at the top level as Python's extra puts them. An attribute
// whose key is a reserved LogRecord name ("name", "msg", "levelno", ..., and
// Python's "message" and "asctime") travels with the prefix "attr_", so that
// it never overwrites a LogRecord field ("name" travels as "attr_name"); so
// that the rule can be undone, a top-level key that already starts with the
// prefix gets one more ("attr_x" travels as "attr_attr_x"), and DecodeMsgpack
// removes one. Keys inside groups are never escaped. Groups become nested
// maps; LogValuers are resolved; attributes and empty groups are left out by
// Skip's rules; a group with an empty key is inlined, as slog does. Values map
// to native msgpack types: string, int, uint, float64, bool, nil; a time as its
// RFC 3339 text (nanoseconds, offset kept); a duration as int nanoseconds; an
// error as its text; []byte as bin; slices and maps of those as arrays and maps
// (map keys sorted), a slog group value or []slog.Attr inside them as a map; a TextMarshaler or Stringer as its text; anything else
// through msgpack/v5 (off the hot path), or as its fmt text when that fails.
// Text that is not valid UTF-8 has each bad run replaced by U+FFFD, so that
// Python's unpacker accepts it. Containers never nest deeper than 32 levels,
// the depth DecodeMsgpack accepts; a value that would is written as its fmt
// text.
//
// Attributes with the same key are all written; a reader keeps the last.
// AppendMsgpack does not allocate for a record whose values are of the native
// kinds and whose caller is known from Origin or not at all.
func AppendMsgpack(dst []byte, r *Record) []byte {
	var c Caller
	unknown := false // the caller is unknown: its fields are constants
	if o := r.Origin; o != nil {
		// Record.Caller would copy these into a Caller first.
		c = Caller{Pathname: o.Pathname, Filename: o.Filename, Module: o.Module, FuncName: o.FuncName, Lineno: o.Lineno}
	} else if cc, ok := r.Caller(); ok {
		c = cc
	} else {
		unknown = true
	}
	top := len(dst)
	// The LogRecord fields: constant keys are appended whole, with the
	// constant values and keys around them, and only the values that vary
	// are encoded one by one. The top-level map's header is a map16 whose
	// count closeMap fills in at the end.
	b := append(dst, "\xde\x00\x00"+wName...)
	if r.Logger == "" {
		b = append(b, "\xa4"+rootName...)
	} else {
		b = appendStr(b, r.Logger)
	}
	b = appendStr(append(b, wMsg...), r.Message)
	b = append(b, wArgs+"\xc0"+wLevelname...)
	b = appendLevelName(b, r.Level)
	b = appendInt(append(b, wLevelno...), int64(r.Level))
	if unknown {
		b = append(b, unknownCaller...)
	} else {
		b = appendStr(append(b, wPathname...), c.Pathname)
		b = appendStr(append(b, wFilename...), c.Filename)
		b = appendStr(append(b, wModule...), c.Module)
	}
	b = appendStrOrNil(append(b, wExcText...), r.ErrText)
	b = appendStrOrNil(append(b, wStackInfo...), r.Stack)
	b = appendInt(append(b, wLineno...), int64(c.Lineno))
	if unknown {
		b = append(b, wFuncName+unknownFuncStr...)
	} else {
		b = appendStr(append(b, wFuncName...), c.FuncName)
	}
	created, msecs := CreatedMsecs(r.Time)
	rel := 0.0
	if !r.Time.IsZero() || r.Origin != nil {
		rel = r.RelativeCreated()
	}
	// created, msecs and relativeCreated: one block of fixed size.
	const times = wCreated + "\xcb12345678" + wMsecs + "\xcb12345678" + wRelativeCreated + "\xcb12345678"
	at := len(b)
	b = append(b, times...)
	binary.BigEndian.PutUint64(b[at+len(wCreated)+1:], math.Float64bits(created))
	binary.BigEndian.PutUint64(b[at+len(wCreated)+10+len(wMsecs):], math.Float64bits(msecs))
	binary.BigEndian.PutUint64(b[len(b)-8:], math.Float64bits(rel))
	if o := r.Origin; o != nil {
		b = appendInt(append(b, wThread...), o.Thread)
		b = appendStr(append(b, wThreadName...), o.ThreadName)
		b = appendStr(append(b, wProcessName...), o.ProcessName)
		b = appendInt(append(b, wProcess...), o.Process)
		b = appendStrOrNil(append(b, wTaskName...), o.TaskName)
	} else {
		// This process, as Record.Thread and Record.Process report it.
		b = append(b, wThread+"\x00"+wThreadName+"\xaa"+localThreadName+wProcessName...)
		b = appendStr(b, localProcessName)
		b = appendInt(append(b, wProcess...), localPID)
		b = append(b, wTaskName+"\xc0"...)
	}
	n := numFields
	if s := r.Scope; s != nil {
		if len(s.Groups) > 0 {
			return appendWalked(b, top, r)
		}
		// Bound attributes and no group (a logger's With): every
		// attribute of the walk is at the top level, as below.
		for _, p := range s.Parts {
			for _, a := range p.Attrs {
				var k int
				b, k = appendTopAttr(b, a)
				n += k
			}
		}
	}
	// No group of a walk path to open: the attributes straight from the
	// record, in Walk's order, without a call through Walk for each, nor
	// the walker's state.
	inline, rest := r.AttrSlices()
	for _, a := range inline {
		var k int
		b, k = appendTopAttr(b, a)
		n += k
	}
	for _, a := range rest {
		var k int
		b, k = appendTopAttr(b, a)
		n += k
	}
	e := encoder{dst: b}
	e.closeMap(top, n)
	return e.dst
}

// appendWalked appends the attributes of r, whose Scope opens groups, to
// b, whose top-level map header is at top and holds the LogRecord fields
// so far, and closes the map.
func appendWalked(b []byte, top int, r *Record) []byte {
	w := walker{encoder: encoder{dst: b}}
	w.counts[0] = numFields
	r.Walk(w.walk)
	for w.nOpen > 0 {
		w.closeGroup()
	}
	w.closeMap(top, w.counts[0])
	return w.dst
}

// The LogRecord keys as AppendMsgpack writes them, each with its str
// header, in its order: the encoder appends each whole, and the decoder
// recognises each at its usual place with one comparison of constant bytes
// (a few word loads, no call).
const (
	wName            = "\xa4name"
	wMsg             = "\xa3msg"
	wArgs            = "\xa4args"
	wLevelname       = "\xa9levelname"
	wLevelno         = "\xa7levelno"
	wPathname        = "\xa8pathname"
	wFilename        = "\xa8filename"
	wModule          = "\xa6module"
	wExcText         = "\xa8exc_text"
	wStackInfo       = "\xaastack_info"
	wLineno          = "\xa6lineno"
	wFuncName        = "\xa8funcName"
	wCreated         = "\xa7created"
	wMsecs           = "\xa5msecs"
	wRelativeCreated = "\xafrelativeCreated"
	wThread          = "\xa6thread"
	wThreadName      = "\xaathreadName"
	wProcessName     = "\xabprocessName"
	wProcess         = "\xa7process"
	wTaskName        = "\xa8taskName"
)

// numFields is how many LogRecord keys AppendMsgpack writes before the
// attributes.
const numFields = 20

// maxOpen is how many groups of a Walk path the encoder opens as nested maps:
// with the top-level map, defaultMaxDepth levels. Deeper path groups are
// joined with "." into the attribute's key.
const maxOpen = defaultMaxDepth - 1

// encoder writes attributes and values; it lives on the caller's stack.
type encoder struct {
	dst []byte
}

// walker is an encoder of a record whose Scope opens groups, for its walk.
type walker struct {
	encoder
	// Groups of the Walk path opened so far: open[i] is where the key of
	// group i starts, hdr[i] where its map header is; counts[0] is the
	// top-level map's entry count and counts[i+1] group i's.
	nOpen  int
	keyAt  [maxOpen]int
	hdr    [maxOpen]int
	counts [maxOpen + 1]int
}

// appendTopAttr appends an attribute at the top level of the map, where no
// group of a walk path is open, and returns the number of entries it added
// (as encoder.attr does): a scalar, the usual attribute, without more ado.
// A function of the slice, not an encoder's method, so that the slice stays
// in registers.
func appendTopAttr(b []byte, a slog.Attr) ([]byte, int) {
	kind := a.Value.Kind()
	switch kind {
	case slog.KindString, slog.KindInt64, slog.KindFloat64, slog.KindBool:
		if !NeedsEscape(a.Key) {
			break
		}
		fallthrough
	default:
		e := encoder{dst: b}
		a.Value = a.Value.Resolve()
		n := e.attr(a, true, 1)
		return e.dst, n
	}
	b = appendStr(b, a.Key)
	switch kind {
	case slog.KindString:
		b = appendStr(b, a.Value.String())
	case slog.KindInt64:
		b = appendInt(b, a.Value.Int64())
	case slog.KindFloat64:
		b = appendFloat(b, a.Value.Float64())
	default:
		b = appendBool(b, a.Value.Bool())
	}
	return b, 1
}

// walk is the Record.Walk callback.
func (e *walker) walk(path []string, a slog.Attr) bool {
	kind := a.Value.Kind()
	if kind == slog.KindLogValuer {
		a.Value = a.Value.Resolve()
		kind = a.Value.Kind()
	}
	if len(path) == 0 && e.nOpen == 0 && kind != slog.KindGroup {
		// The usual attribute: not a group, at the top level, with no
		// group of the walk open. Its kind, known, is not asked again.
		if a.Key == "" && kind == slog.KindAny && a.Value.Any() == nil {
			return true // Skip's rule
		}
		e.attrKey(a.Key, true)
		e.valueOf(a.Value, kind, 1)
		e.counts[0]++
		return true
	}
	if Skip(a) {
		return true
	}
	if len(path) > maxOpen {
		// Too deep to nest: keep the attribute, its lost groups in its key.
		a.Key = strings.Join(path[maxOpen:], ".") + "." + a.Key
		path = path[:maxOpen]
	}
	// Paths only grow along a walk; open the groups this attribute adds.
	for e.nOpen < len(path) {
		name := path[e.nOpen]
		e.counts[e.nOpen]++
		e.keyAt[e.nOpen] = len(e.dst)
		e.attrKey(name, e.nOpen == 0)
		e.hdr[e.nOpen] = e.openMap()
		e.nOpen++
		e.counts[e.nOpen] = 0
	}
	e.counts[e.nOpen] += e.attr(a, e.nOpen == 0, e.nOpen+1)
	return true
}

// closeGroup closes the innermost open group of the walk, removing it if it
// received nothing.
func (e *walker) closeGroup() {
	e.nOpen--
	n := e.counts[e.nOpen+1]
	if n == 0 {
		e.dst = e.dst[:e.keyAt[e.nOpen]]
		e.counts[e.nOpen]--
		return
	}
	e.closeMap(e.hdr[e.nOpen], n)
}

// attr writes one resolved attribute into the map at depth and returns the
// number of entries it added (0, 1, or more for an inlined group).
func (e *encoder) attr(a slog.Attr, top bool, depth int) int {
	if Skip(a) {
		return 0
	}
	if a.Value.Kind() != slog.KindGroup {
		e.attrKey(a.Key, top)
		e.value(a.Value, depth)
		return 1
	}
	attrs := a.Value.Group()
	if a.Key == "" {
		n := 0
		for _, g := range attrs {
			g.Value = g.Value.Resolve()
			n += e.attr(g, top, depth)
		}
		return n
	}
	keyAt := len(e.dst)
	e.attrKey(a.Key, top)
	if depth >= defaultMaxDepth {
		e.str(a.Value.String())
		return 1
	}
	hdr := e.openMap()
	n := 0
	for _, g := range attrs {
		g.Value = g.Value.Resolve()
		n += e.attr(g, false, depth+1)
	}
	if n == 0 {
		e.dst = e.dst[:keyAt]
		return 0
	}
	e.closeMap(hdr, n)
	return 1
}

// attrKey writes an attribute key, escaped when it is at the top level.
func (e *encoder) attrKey(k string, top bool) {
	if top && NeedsEscape(k) {
		e.dst = appendStrHeader(e.dst, len(EscapePrefix)+len(k))
		e.dst = append(e.dst, EscapePrefix...)
		e.dst = append(e.dst, k...)
		return
	}
	e.str(k)
}

// value writes a non-group value inside a container at depth.
func (e *encoder) value(v slog.Value, depth int) { e.valueOf(v, v.Kind(), depth) }

// valueOf is value for a value of the given kind.
func (e *encoder) valueOf(v slog.Value, kind slog.Kind, depth int) {
	switch kind {
	case slog.KindString:
		e.str(v.String())
	case slog.KindInt64:
		e.dst = appendInt(e.dst, v.Int64())
	case slog.KindUint64:
		e.dst = appendUint(e.dst, v.Uint64())
	case slog.KindFloat64:
		e.dst = appendFloat(e.dst, v.Float64())
	case slog.KindBool:
		e.dst = appendBool(e.dst, v.Bool())
	case slog.KindDuration:
		e.dst = appendInt(e.dst, int64(v.Duration()))
	case slog.KindTime:
		e.time(v.Time())
	case slog.KindGroup:
		e.groupMap(v.Group(), depth)
	default:
		e.any(v.Any(), depth)
	}
}

// groupMap writes attrs as a map value (inside an array, say) in a container
// at depth, with the rules of groups; an empty one is written, as a value.
func (e *encoder) groupMap(attrs []slog.Attr, depth int) {
	if e.tooDeep(depth, attrs) {
		return
	}
	hdr := e.openMap()
	n := 0
	for _, g := range attrs {
		g.Value = g.Value.Resolve()
		n += e.attr(g, false, depth+1)
	}
	e.closeMap(hdr, n)
}

// time writes t as RFC 3339 text with nanoseconds.
func (e *encoder) time(t time.Time) {
	var buf [64]byte
	b := t.AppendFormat(buf[:0], time.RFC3339Nano)
	e.dst = appendStrHeader(e.dst, len(b))
	e.dst = append(e.dst, b...)
}

// any writes a value of slog's KindAny inside a container at depth.
func (e *encoder) any(x any, depth int) {
	switch x := x.(type) {
	case nil:
		e.dst = append(e.dst, 0xc0)
	case string:
		e.str(x)
	case bool:
		e.dst = appendBool(e.dst, x)
	case int:
		e.dst = appendInt(e.dst, int64(x))
	case int8:
		e.dst = appendInt(e.dst, int64(x))
	case int16:
		e.dst = appendInt(e.dst, int64(x))
	case int32:
		e.dst = appendInt(e.dst, int64(x))
	case int64:
		e.dst = appendInt(e.dst, x)
	case uint:
		e.dst = appendUint(e.dst, uint64(x))
	case uint8:
		e.dst = appendUint(e.dst, uint64(x))
	case uint16:
		e.dst = appendUint(e.dst, uint64(x))
	case uint32:
		e.dst = appendUint(e.dst, uint64(x))
	case uint64:
		e.dst = appendUint(e.dst, x)
	case uintptr:
		e.dst = appendUint(e.dst, uint64(x))
	case float32:
		e.dst = appendFloat(e.dst, float64(x))
	case float64:
		e.dst = appendFloat(e.dst, x)
	case time.Time:
		e.time(x)
	case time.Duration:
		e.dst = appendInt(e.dst, int64(x))
	case []byte:
		e.dst = appendBinHeader(e.dst, len(x))
		e.dst = append(e.dst, x...)
	case error:
		e.str(safeText(func() string { return x.Error() }))
	case []any:
		if e.tooDeep(depth, x) {
			return
		}
		e.dst = appendArrayHeader(e.dst, len(x))
		for _, v := range x {
			e.any(v, depth+1)
		}
	case []string:
		if e.tooDeep(depth, x) {
			return
		}
		e.dst = appendArrayHeader(e.dst, len(x))
		for _, v := range x {
			e.str(v)
		}
	case []int:
		if e.tooDeep(depth, x) {
			return
		}
		e.dst = appendArrayHeader(e.dst, len(x))
		for _, v := range x {
			e.dst = appendInt(e.dst, int64(v))
		}
	case []int64:
		if e.tooDeep(depth, x) {
			return
		}
		e.dst = appendArrayHeader(e.dst, len(x))
		for _, v := range x {
			e.dst = appendInt(e.dst, v)
		}
	case []float64:
		if e.tooDeep(depth, x) {
			return
		}
		e.dst = appendArrayHeader(e.dst, len(x))
		for _, v := range x {
			e.dst = appendFloat(e.dst, v)
		}
	case map[string]any:
		if e.tooDeep(depth, x) {
			return
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		e.dst = appendMapHeader(e.dst, len(keys))
		for _, k := range keys {
			e.str(k)
			e.any(x[k], depth+1)
		}
	case slog.Value:
		e.value(x.Resolve(), depth)
	case []slog.Attr:
		e.groupMap(x, depth)
	case encoding.TextMarshaler:
		e.str(safeText(func() string {
			b, err := x.MarshalText()
			if err != nil {
				return "!ERROR: " + err.Error()
			}
			return string(b)
		}))
	case fmt.Stringer:
		e.str(safeText(x.String))
	default:
		e.dst = appendReflected(e.dst, x, defaultMaxDepth-depth)
	}
}

// tooDeep writes x as its fmt text and reports true when a container inside
// a container at depth would nest deeper than defaultMaxDepth.
func (e *encoder) tooDeep(depth int, x any) bool {
	if depth < defaultMaxDepth {
		return false
	}
	e.str(safeText(func() string { return fmt.Sprint(x) }))
	return true
}

// appendReflected encodes x with msgpack/v5, provided the result passes
// checkMsgpack within maxDepth levels; otherwise it writes x's fmt text.
func appendReflected(dst []byte, x any, maxDepth int) []byte {
	b, err := func() (b []byte, err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("msgpack panicked: %v", p)
			}
		}()
		return msgpack.Marshal(x)
	}()
	if err == nil && maxDepth > 0 && checkMsgpack(b, maxDepth) == nil {
		return append(dst, b...)
	}
	return appendStr(dst, safeText(func() string { return fmt.Sprintf("%+v", x) }))
}

// safeText calls f, turning a panic into visible text as fmt does.
func safeText(f func() string) (s string) {
	defer func() {
		if p := recover(); p != nil {
			s = fmt.Sprintf("!PANIC: %v", p)
		}
	}()
	return f()
}

func (e *encoder) str(s string) { e.dst = appendStr(e.dst, s) }

// appendStrOrNil appends s as a str, or nil when it is empty.
func appendStrOrNil(dst []byte, s string) []byte {
	if s == "" {
		return append(dst, 0xc0)
	}
	return appendStr(dst, s)
}

// appendLevelName appends l's name (Level.String) as a str.
func appendLevelName(dst []byte, l Level) []byte {
	if s, ok := names.Load().name(l); ok {
		return appendStr(dst, s)
	}
	// "Level N": ASCII, shorter than 32 bytes, so a fixstr.
	at := len(dst)
	dst = strconv.AppendInt(append(dst, "\xa0Level "...), int64(l), 10)
	dst[at] |= byte(len(dst) - at - 1)
	return dst
}

// openMap writes a map16 header whose count closeMap fills in, and returns
// its offset.
func (e *encoder) openMap() int {
	at := len(e.dst)
	e.dst = append(e.dst, 0xde, 0, 0)
	return at
}

// closeMap sets the count of the map header at offset at, which must be the
// last header opened and not yet closed; it uses the shortest header.
func (e *encoder) closeMap(at, n int) {
	switch {
	case n < 16:
		e.dst[at] = 0x80 | byte(n)
		copy(e.dst[at+1:], e.dst[at+3:])
		e.dst = e.dst[:len(e.dst)-2]
	case n <= math.MaxUint16:
		binary.BigEndian.PutUint16(e.dst[at+1:], uint16(n))
	default:
		e.dst = append(e.dst, 0, 0)
		copy(e.dst[at+5:], e.dst[at+3:])
		e.dst[at] = 0xdf
		binary.BigEndian.PutUint32(e.dst[at+1:], uint32(n))
	}
}

// CreatedMsecs returns Python's LogRecord created and msecs for t: created is
// float(ns)/1e9 and msecs follows Python 3.14's LogRecord exactly, including
// its fix for a created rounded up to the next second. Both are 0 for the
// zero Time.
func CreatedMsecs(t time.Time) (created, msecs float64) {
	if t.IsZero() {
		return 0, 0
	}
	sec, nsec := t.Unix(), int64(t.Nanosecond())
	if sec > minNanoSec && sec < maxNanoSec {
		created = float64(t.UnixNano()) / 1e9
	} else {
		created = float64(sec) + float64(nsec)/1e9
	}
	msecs = float64(nsec / 1e6)
	if msecs == 999 && int64(created) != sec { // int() truncates; ct // 1e9 floors
		msecs = 0
	}
	return created, msecs
}

// The seconds between which time.UnixNano is exact (years 1678 to 2262).
const (
	minNanoSec = math.MinInt64/1_000_000_000 + 1
	maxNanoSec = math.MaxInt64/1_000_000_000 - 1
)

// appendStr appends s as a msgpack str, replacing invalid UTF-8 (see
// AppendMsgpack).
func appendStr(dst []byte, s string) []byte {
	// Most text of a record is short ASCII, a fixstr: checked and
	// copied in a few words, loaded once for both (the last one
	// overlapping the others), with no call, when dst has room.
	n, at := len(s), len(dst)
	if n >= 32 || cap(dst)-at <= n {
		return appendStrLong(dst, s)
	}
	b := dst[:at+1+n]
	b[at] = 0xa0 | byte(n)
	p := b[at+1:]
	switch {
	case n >= 8:
		w0, wl := le64(s), le64(s[n-8:])
		acc := w0 | wl
		var w1, w2 uint64
		if n > 16 {
			w1 = le64(s[8:])
			acc |= w1
		}
		if n > 24 {
			w2 = le64(s[16:])
			acc |= w2
		}
		if acc&0x8080808080808080 != 0 {
			return appendStrLong(dst, s)
		}
		binary.LittleEndian.PutUint64(p, w0)
		if n > 16 {
			binary.LittleEndian.PutUint64(p[8:], w1)
		}
		if n > 24 {
			binary.LittleEndian.PutUint64(p[16:], w2)
		}
		binary.LittleEndian.PutUint64(p[n-8:], wl)
	case n >= 4:
		w0, wl := le32(s), le32(s[n-4:])
		if (w0|wl)&0x80808080 != 0 {
			return appendStrLong(dst, s)
		}
		binary.LittleEndian.PutUint32(p, uint32(w0))
		binary.LittleEndian.PutUint32(p[n-4:], uint32(wl))
	case n > 0:
		c0, c1, c2 := s[0], s[n/2], s[n-1]
		if c0|c1|c2 >= 0x80 {
			return appendStrLong(dst, s)
		}
		p[0], p[n/2], p[n-1] = c0, c1, c2
	}
	return b
}

func appendStrLong(dst []byte, s string) []byte {
	if !isASCII(s) && !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	dst = appendStrHeader(dst, len(s))
	return append(dst, s...)
}

func appendStrHeader(dst []byte, n int) []byte {
	switch {
	case n < 32:
		return append(dst, 0xa0|byte(n))
	case n <= math.MaxUint8:
		return append(dst, 0xd9, byte(n))
	case n <= math.MaxUint16:
		return append(dst, 0xda, byte(n>>8), byte(n))
	}
	return append(dst, 0xdb, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

func appendBinHeader(dst []byte, n int) []byte {
	switch {
	case n <= math.MaxUint8:
		return append(dst, 0xc4, byte(n))
	case n <= math.MaxUint16:
		return append(dst, 0xc5, byte(n>>8), byte(n))
	}
	return append(dst, 0xc6, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

func appendArrayHeader(dst []byte, n int) []byte {
	switch {
	case n < 16:
		return append(dst, 0x90|byte(n))
	case n <= math.MaxUint16:
		return append(dst, 0xdc, byte(n>>8), byte(n))
	}
	return append(dst, 0xdd, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

func appendMapHeader(dst []byte, n int) []byte {
	switch {
	case n < 16:
		return append(dst, 0x80|byte(n))
	case n <= math.MaxUint16:
		return append(dst, 0xde, byte(n>>8), byte(n))
	}
	return append(dst, 0xdf, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

// appendInt appends v in its shortest msgpack form.
func appendInt(dst []byte, v int64) []byte {
	switch {
	case v >= 0:
		return appendUint(dst, uint64(v))
	case v >= -32:
		return append(dst, byte(v))
	case v >= math.MinInt8:
		return append(dst, 0xd0, byte(v))
	case v >= math.MinInt16:
		return append(dst, 0xd1, byte(v>>8), byte(v))
	case v >= math.MinInt32:
		return append(dst, 0xd2, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	return binary.BigEndian.AppendUint64(append(dst, 0xd3), uint64(v))
}

// appendUint appends v in its shortest msgpack form.
func appendUint(dst []byte, v uint64) []byte {
	switch {
	case v < 128:
		return append(dst, byte(v))
	case v <= math.MaxUint8:
		return append(dst, 0xcc, byte(v))
	case v <= math.MaxUint16:
		return append(dst, 0xcd, byte(v>>8), byte(v))
	case v <= math.MaxUint32:
		return append(dst, 0xce, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	return binary.BigEndian.AppendUint64(append(dst, 0xcf), v)
}

func appendFloat(dst []byte, f float64) []byte {
	return binary.BigEndian.AppendUint64(append(dst, 0xcb), math.Float64bits(f))
}

func appendBool(dst []byte, b bool) []byte {
	if b {
		return append(dst, 0xc3)
	}
	return append(dst, 0xc2)
}
