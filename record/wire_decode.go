package record

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vmihailenco/msgpack/v5"
)

// The range of created DecodeMsgpack accepts: years 1 to 9999.
const (
	minCreated = -62135596800
	maxCreated = 253402300800
)

// DecodeMsgpack decodes one wire map (a frame's payload, untrusted) into a
// Record. Before msgpack/v5 sees a byte it checks the structure in one pass
// that neither allocates nor recurses: every declared length and count must
// fit in the bytes that remain, containers may nest at most 32 deep, the only
// extension is the msgpack timestamp, and exactly one value fills the payload
// (else an error wrapping ErrMalformed or ErrTooDeep, naming the offset). So
// no input can make it allocate more than a small multiple of len(payload)
// (measured: 16 times for most shapes; about 90 times for an array of
// one-entry maps, each becoming a Go map) or recurse deeply, and it never
// panics. The top level must be a map with string keys.
//
// The LogRecord keys fill the record: name (Python's "root" becomes ""), msg,
// levelno (or, when it is missing or nil, levelname through ParseLevel, which
// also reads Python's "Level N"), created (float seconds; see below),
// exc_text, stack_info, and an Origin from pathname, filename, module,
// funcName, lineno, thread, threadName, process, processName,
// relativeCreated and taskName. A nil value leaves a field empty. A field of
// the wrong type is an error wrapping ErrBadRecord that names the key; msg
// alone is lenient, as Python's str(msg) is: a bin, number or bool becomes its
// text. args, msecs (derived from created), exc_info, message and asctime are
// read and dropped: msg is taken as already formatted, so a Python record
// whose args were not merged keeps its "%" directives unexpanded.
//
// created becomes Time to the nearest nanosecond a float64 allows; when
// possible it picks the instant that AppendMsgpack turns back into the same
// float, so a record re-encodes to the same created. 0 or nil is the zero
// Time; a value outside years 1 to 9999, NaN or an infinity is an error.
//
// Every other top-level key becomes an attribute, with one "attr_" prefix
// removed from keys that have it (see AppendMsgpack). Values map back to slog kinds: int (Int64,
// or Uint64 above math.MaxInt64), float, bool, string, nil (KindAny nil), bin
// ([]byte), an array ([]any of the same Go types, maps inside it as
// map[string]any, nil when empty), a timestamp extension (its RFC 3339 text, UTC), and a map,
// which becomes a group. In every group, and at the top level, attributes are
// sorted by key; of equal keys the last one wins, as in a Python dict; a map
// under the empty key is inlined into its parent and empty groups are dropped,
// as slog does. A map key inside an attribute that is not a string is turned
// into its text (Python's str for None, True, False, numbers); an array or map
// as a key is an error. Invalid UTF-8 in any text becomes U+FFFD, as
// AppendMsgpack writes it.
func DecodeMsgpack(payload []byte) (Record, error) {
	if err := checkMsgpack(payload, defaultMaxDepth); err != nil {
		return Record{}, err
	}
	if !isMapCode(payload[0]) {
		return Record{}, fmt.Errorf("%w: top level is %s, want a map", ErrBadRecord, codeName(payload[0]))
	}
	d := msgpack.GetDecoder()
	defer msgpack.PutDecoder(d)
	br := bytes.NewReader(payload)
	d.Reset(br)
	n, err := d.DecodeMapLen()
	if err != nil {
		return Record{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	var (
		r         Record
		o         Origin
		levelno   int64
		hasLevel  bool
		levelname string
		attrs     []slog.Attr
	)
	for i := range n {
		c, err := d.PeekCode()
		if err != nil {
			return Record{}, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		if !isStrCode(c) {
			return Record{}, fmt.Errorf("%w: top-level key %d is %s, want a string", ErrBadRecord, i, codeName(c))
		}
		kb := topKey(payload, br)
		switch string(kb) { // no allocation: each case names its key
		case "name":
			err = decodeStrField(d, "name", &r.Logger)
			if r.Logger == rootName {
				r.Logger = ""
			}
		case "msg":
			r.Message, err = decodeMsg(d)
		case "levelname":
			err = decodeStrField(d, "levelname", &levelname)
		case "levelno":
			hasLevel, err = decodeIntField(d, "levelno", &levelno)
		case "pathname":
			err = decodeStrField(d, "pathname", &o.Pathname)
		case "filename":
			err = decodeStrField(d, "filename", &o.Filename)
		case "module":
			err = decodeStrField(d, "module", &o.Module)
		case "funcName":
			err = decodeStrField(d, "funcName", &o.FuncName)
		case "threadName":
			err = decodeStrField(d, "threadName", &o.ThreadName)
		case "processName":
			err = decodeStrField(d, "processName", &o.ProcessName)
		case "taskName":
			err = decodeStrField(d, "taskName", &o.TaskName)
		case "exc_text":
			err = decodeStrField(d, "exc_text", &r.ErrText)
		case "stack_info":
			err = decodeStrField(d, "stack_info", &r.Stack)
		case "lineno":
			var v int64
			_, err = decodeIntField(d, "lineno", &v)
			if err == nil && (v < math.MinInt32 || v > math.MaxInt32) {
				err = fmt.Errorf("%w: lineno %d out of range", ErrBadRecord, v)
			}
			o.Lineno = int(v)
		case "thread":
			_, err = decodeIntField(d, "thread", &o.Thread)
		case "process":
			_, err = decodeIntField(d, "process", &o.Process)
		case "relativeCreated":
			err = decodeFloatField(d, "relativeCreated", &o.RelativeCreated)
		case "created":
			var f float64
			if err = decodeFloatField(d, "created", &f); err == nil {
				r.Time, err = timeFromCreated(f)
			}
		case "args", "msecs", "exc_info", "message", "asctime":
			err = d.Skip()
		default:
			var v slog.Value
			v, err = decodeValue(d)
			k := validText(string(kb))
			attrs = append(attrs, slog.Attr{Key: strings.TrimPrefix(k, EscapePrefix), Value: v})
		}
		if err != nil {
			return Record{}, err
		}
	}
	switch {
	case hasLevel:
		if levelno < math.MinInt32 || levelno > math.MaxInt32 {
			return Record{}, fmt.Errorf("%w: levelno %d out of range", ErrBadRecord, levelno)
		}
		r.Level = Level(levelno)
	case levelname != "":
		if l, ok := ParseLevel(levelname); ok {
			r.Level = l
		} else if l, err := strconv.Atoi(strings.TrimPrefix(levelname, "Level ")); err == nil {
			r.Level = Level(l)
		}
	}
	r.Origin = &o
	r.AddAttrs(normalize(attrs)...)
	return r, nil
}

// topKey reads a top-level key (a str, as PeekCode found) straight from
// the payload at br's position, which the decoder reads through unbuffered,
// so that matching it against the LogRecord names allocates nothing. The
// structure check has made sure its length fits.
func topKey(payload []byte, br *bytes.Reader) []byte {
	off := len(payload) - br.Len()
	c := payload[off]
	var hdr, n int
	switch {
	case c&0xe0 == 0xa0:
		hdr, n = 1, int(c&0x1f)
	case c == 0xd9:
		hdr, n = 2, int(payload[off+1])
	case c == 0xda:
		hdr, n = 3, int(binary.BigEndian.Uint16(payload[off+1:]))
	default: // 0xdb
		hdr, n = 5, int(binary.BigEndian.Uint32(payload[off+1:]))
	}
	_, _ = br.Seek(int64(hdr+n), io.SeekCurrent)
	return payload[off+hdr : off+hdr+n]
}

// normalize puts decoded attributes in their canonical form: groups under
// the empty key inlined, empty attributes dropped by Skip's rules, sorted by
// key, the last of equal keys kept.
func normalize(attrs []slog.Attr) []slog.Attr {
	out := attrs[:0]
	var inlined []slog.Attr
	for _, a := range attrs {
		if a.Key == "" && a.Value.Kind() == slog.KindGroup {
			inlined = append(inlined, a.Value.Group()...)
			continue
		}
		if !Skip(a) {
			out = append(out, a)
		}
	}
	out = append(out, inlined...)
	slices.SortStableFunc(out, func(a, b slog.Attr) int { return cmp.Compare(a.Key, b.Key) })
	w := 0
	for i, a := range out {
		if i+1 < len(out) && out[i+1].Key == a.Key {
			continue
		}
		out[w] = a
		w++
	}
	return out[:w]
}

// decodeValue decodes an attribute's value; a map becomes a group.
func decodeValue(d *msgpack.Decoder) (slog.Value, error) {
	c, err := d.PeekCode()
	if err != nil {
		return slog.Value{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if isMapCode(c) {
		n, err := d.DecodeMapLen()
		if err != nil {
			return slog.Value{}, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		attrs := make([]slog.Attr, 0, n)
		for range n {
			k, err := decodeKey(d)
			if err != nil {
				return slog.Value{}, err
			}
			v, err := decodeValue(d)
			if err != nil {
				return slog.Value{}, err
			}
			attrs = append(attrs, slog.Attr{Key: k, Value: v})
		}
		return slog.GroupValue(normalize(attrs)...), nil
	}
	x, err := decodeAny(d)
	if err != nil {
		return slog.Value{}, err
	}
	switch x := x.(type) {
	case bool:
		return slog.BoolValue(x), nil
	case int64:
		return slog.Int64Value(x), nil
	case uint64:
		return slog.Uint64Value(x), nil
	case float64:
		return slog.Float64Value(x), nil
	case string:
		return slog.StringValue(x), nil
	}
	return slog.AnyValue(x), nil
}

// decodeAny decodes any value into nil, bool, int64, uint64 (above
// math.MaxInt64 only), float64, string, []byte, []any or map[string]any.
func decodeAny(d *msgpack.Decoder) (any, error) {
	c, err := d.PeekCode()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	var x any
	switch {
	case c == 0xc0:
		err = d.DecodeNil()
	case c == 0xc2 || c == 0xc3:
		x, err = d.DecodeBool()
	case c == 0xcf:
		var u uint64
		u, err = d.DecodeUint64()
		if u <= math.MaxInt64 {
			x = int64(u)
		} else {
			x = u
		}
	case isIntCode(c):
		x, err = d.DecodeInt64()
	case c == 0xca || c == 0xcb:
		x, err = d.DecodeFloat64()
	case isStrCode(c):
		return decodeText(d)
	case isBinCode(c):
		var b []byte
		b, err = d.DecodeBytes()
		if b == nil {
			b = []byte{}
		}
		x = b
	case isArrayCode(c):
		var n int
		if n, err = d.DecodeArrayLen(); err != nil {
			break
		}
		a := make([]any, n)
		for i := range a {
			if a[i], err = decodeAny(d); err != nil {
				return nil, err
			}
		}
		return a, nil
	case isMapCode(c):
		var n int
		if n, err = d.DecodeMapLen(); err != nil {
			break
		}
		if n == 0 {
			return map[string]any(nil), nil
		}
		m := make(map[string]any, n)
		for range n {
			k, err := decodeKey(d)
			if err != nil {
				return nil, err
			}
			if m[k], err = decodeAny(d); err != nil {
				return nil, err
			}
		}
		return m, nil
	default: // the timestamp extension, the only one checkMsgpack lets through
		var t time.Time
		t, err = d.DecodeTime()
		x = t.UTC().Format(time.RFC3339Nano)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return x, nil
}

// decodeKey decodes a map key inside an attribute: text, or a scalar turned
// into its (Python) text; nil is "None".
func decodeKey(d *msgpack.Decoder) (string, error) {
	return decodeScalarText(d, "map key", "None")
}

// decodeScalarText decodes a string or a scalar as Python's str() writes it
// (True, False, numbers), nil as nilText; an array or map is an error naming
// what.
func decodeScalarText(d *msgpack.Decoder, what, nilText string) (string, error) {
	c, err := d.PeekCode()
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if isArrayCode(c) || isMapCode(c) {
		return "", fmt.Errorf("%w: %s is %s, want a string or a scalar", ErrBadRecord, what, codeName(c))
	}
	x, err := decodeAny(d)
	if err != nil {
		return "", err
	}
	switch x := x.(type) {
	case nil:
		return nilText, nil
	case bool:
		if x {
			return "True", nil
		}
		return "False", nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case uint64:
		return strconv.FormatUint(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case []byte:
		return validText(string(x)), nil
	case string:
		return x, nil
	}
	return "", fmt.Errorf("%w: %s is %T, want a string or a scalar", ErrBadRecord, what, x)
}

// decodeText decodes a str, with invalid UTF-8 replaced.
func decodeText(d *msgpack.Decoder) (string, error) {
	s, err := d.DecodeString()
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return validText(s), nil
}

func validText(s string) string {
	if !utf8.ValidString(s) {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

// decodeStrField decodes a str or nil into *dst.
func decodeStrField(d *msgpack.Decoder, key string, dst *string) error {
	c, err := d.PeekCode()
	if err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	switch {
	case c == 0xc0:
		*dst = ""
		return d.DecodeNil()
	case isStrCode(c):
		*dst, err = decodeText(d)
		return err
	}
	return fmt.Errorf("%w: %s is %s, want a string or nil", ErrBadRecord, key, codeName(c))
}

// decodeIntField decodes an int or nil into *dst; ok is false for nil.
func decodeIntField(d *msgpack.Decoder, key string, dst *int64) (ok bool, err error) {
	c, err := d.PeekCode()
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	switch {
	case c == 0xc0:
		*dst = 0
		return false, d.DecodeNil()
	case c == 0xcf:
		u, err := d.DecodeUint64()
		if err == nil && u > math.MaxInt64 {
			err = fmt.Errorf("%w: %s %d out of range", ErrBadRecord, key, u)
		}
		*dst = int64(u)
		return true, err
	case isIntCode(c):
		*dst, err = d.DecodeInt64()
		return true, err
	}
	return false, fmt.Errorf("%w: %s is %s, want an integer or nil", ErrBadRecord, key, codeName(c))
}

// decodeFloatField decodes a float, an int or nil into *dst.
func decodeFloatField(d *msgpack.Decoder, key string, dst *float64) error {
	c, err := d.PeekCode()
	if err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	switch {
	case c == 0xc0:
		*dst = 0
		return d.DecodeNil()
	case c == 0xcf:
		u, err := d.DecodeUint64()
		*dst = float64(u)
		return err
	case c == 0xca || c == 0xcb || isIntCode(c):
		*dst, err = d.DecodeFloat64()
		return err
	}
	return fmt.Errorf("%w: %s is %s, want a number or nil", ErrBadRecord, key, codeName(c))
}

// decodeMsg decodes msg leniently, as Python's str(msg); nil is "".
func decodeMsg(d *msgpack.Decoder) (string, error) {
	return decodeScalarText(d, "msg", "")
}

// timeFromCreated turns Python's created into a Time (see DecodeMsgpack).
func timeFromCreated(f float64) (time.Time, error) {
	if f == 0 {
		return time.Time{}, nil
	}
	if math.IsNaN(f) || f < minCreated || f >= maxCreated { // also catches ±Inf
		return time.Time{}, fmt.Errorf("%w: created %v is out of range", ErrBadRecord, f)
	}
	sec := math.Floor(f)
	t := time.Unix(int64(sec), int64(math.Round((f-sec)*1e9)))
	if t.Unix() == 0 && t.Nanosecond() == 0 {
		return time.Time{}, nil // within half a nanosecond of 0
	}
	if c, _ := CreatedMsecs(t); c == f || t.Unix() <= minNanoSec || t.Unix() >= maxNanoSec {
		return t, nil
	}
	// float(ns)/1e9 rounds twice, so the nearest nanosecond may not give f
	// back; try the nanosecond counts of the nearest float64 values.
	ns := t.UnixNano()
	x := float64(ns)
	lo, hi := x, x
	for range 4 {
		for _, y := range [2]float64{lo, hi} {
			if y > math.MinInt64 && y < math.MaxInt64 {
				if n := int64(y); float64(n)/1e9 == f {
					return time.Unix(0, n), nil
				}
			}
		}
		lo, hi = math.Nextafter(lo, math.Inf(-1)), math.Nextafter(hi, math.Inf(1))
	}
	return t, nil
}

func isMapCode(c byte) bool   { return c&0xf0 == 0x80 || c == 0xde || c == 0xdf }
func isArrayCode(c byte) bool { return c&0xf0 == 0x90 || c == 0xdc || c == 0xdd }
func isStrCode(c byte) bool   { return c&0xe0 == 0xa0 || c == 0xd9 || c == 0xda || c == 0xdb }
func isBinCode(c byte) bool   { return c == 0xc4 || c == 0xc5 || c == 0xc6 }
func isIntCode(c byte) bool {
	return c <= 0x7f || c >= 0xe0 || (c >= 0xcc && c <= 0xce) || (c >= 0xd0 && c <= 0xd3)
}

// codeName names the msgpack type a code starts, for error messages.
func codeName(c byte) string {
	switch {
	case c == 0xc0:
		return "nil"
	case c == 0xc2 || c == 0xc3:
		return "a bool"
	case isIntCode(c) || c == 0xcf:
		return "an integer"
	case c == 0xca || c == 0xcb:
		return "a float"
	case isStrCode(c):
		return "a string"
	case isBinCode(c):
		return "bin"
	case isArrayCode(c):
		return "an array"
	case isMapCode(c):
		return "a map"
	}
	return "an extension"
}
