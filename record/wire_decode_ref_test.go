package record

// The decoder before the one-pass decoder of wire_decode.go, on msgpack/v5:
// kept as the oracle the fuzz target compares against.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/vmihailenco/msgpack/v5"
)

// decodeMsgpackRef is DecodeMsgpack as it was on msgpack/v5.
func decodeMsgpackRef(payload []byte) (Record, error) {
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
		kb := refTopKey(payload, br)
		switch string(kb) { // no allocation: each case names its key
		case "name":
			err = refDecodeStrField(d, "name", &r.Logger)
			if r.Logger == rootName {
				r.Logger = ""
			}
		case "msg":
			r.Message, err = refDecodeMsg(d)
		case "levelname":
			err = refDecodeStrField(d, "levelname", &levelname)
		case "levelno":
			hasLevel, err = refDecodeIntField(d, "levelno", &levelno)
		case "pathname":
			err = refDecodeStrField(d, "pathname", &o.Pathname)
		case "filename":
			err = refDecodeStrField(d, "filename", &o.Filename)
		case "module":
			err = refDecodeStrField(d, "module", &o.Module)
		case "funcName":
			err = refDecodeStrField(d, "funcName", &o.FuncName)
		case "threadName":
			err = refDecodeStrField(d, "threadName", &o.ThreadName)
		case "processName":
			err = refDecodeStrField(d, "processName", &o.ProcessName)
		case "taskName":
			err = refDecodeStrField(d, "taskName", &o.TaskName)
		case "exc_text":
			err = refDecodeStrField(d, "exc_text", &r.ErrText)
		case "stack_info":
			err = refDecodeStrField(d, "stack_info", &r.Stack)
		case "lineno":
			var v int64
			_, err = refDecodeIntField(d, "lineno", &v)
			if err == nil && (v < math.MinInt32 || v > math.MaxInt32) {
				err = fmt.Errorf("%w: lineno %d out of range", ErrBadRecord, v)
			}
			o.Lineno = int(v)
		case "thread":
			_, err = refDecodeIntField(d, "thread", &o.Thread)
		case "process":
			_, err = refDecodeIntField(d, "process", &o.Process)
		case "relativeCreated":
			err = refDecodeFloatField(d, "relativeCreated", &o.RelativeCreated)
		case "created":
			var f float64
			if err = refDecodeFloatField(d, "created", &f); err == nil {
				r.Time, err = timeFromCreated(f)
			}
		case "args", "msecs", "exc_info", "message", "asctime":
			err = d.Skip()
		default:
			var v slog.Value
			v, err = refDecodeValue(d)
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
func refTopKey(payload []byte, br *bytes.Reader) []byte {
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

// decodeValue decodes an attribute's value; a map becomes a group.
func refDecodeValue(d *msgpack.Decoder) (slog.Value, error) {
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
			k, err := refDecodeKey(d)
			if err != nil {
				return slog.Value{}, err
			}
			v, err := refDecodeValue(d)
			if err != nil {
				return slog.Value{}, err
			}
			attrs = append(attrs, slog.Attr{Key: k, Value: v})
		}
		return slog.GroupValue(normalize(attrs)...), nil
	}
	x, err := refDecodeAny(d)
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
func refDecodeAny(d *msgpack.Decoder) (any, error) {
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
		return refDecodeText(d)
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
			if a[i], err = refDecodeAny(d); err != nil {
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
			k, err := refDecodeKey(d)
			if err != nil {
				return nil, err
			}
			if m[k], err = refDecodeAny(d); err != nil {
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
func refDecodeKey(d *msgpack.Decoder) (string, error) {
	return refDecodeScalarText(d, "map key", "None")
}

// decodeScalarText decodes a string or a scalar as Python's str() writes it
// (True, False, numbers), nil as nilText; an array or map is an error naming
// what.
func refDecodeScalarText(d *msgpack.Decoder, what, nilText string) (string, error) {
	c, err := d.PeekCode()
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if isArrayCode(c) || isMapCode(c) {
		return "", fmt.Errorf("%w: %s is %s, want a string or a scalar", ErrBadRecord, what, codeName(c))
	}
	x, err := refDecodeAny(d)
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

// decodeStrField decodes a str or nil into *dst.
func refDecodeStrField(d *msgpack.Decoder, key string, dst *string) error {
	c, err := d.PeekCode()
	if err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	switch {
	case c == 0xc0:
		*dst = ""
		return d.DecodeNil()
	case isStrCode(c):
		*dst, err = refDecodeText(d)
		return err
	}
	return fmt.Errorf("%w: %s is %s, want a string or nil", ErrBadRecord, key, codeName(c))
}

// decodeIntField decodes an int or nil into *dst; ok is false for nil.
func refDecodeIntField(d *msgpack.Decoder, key string, dst *int64) (ok bool, err error) {
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
func refDecodeFloatField(d *msgpack.Decoder, key string, dst *float64) error {
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
func refDecodeMsg(d *msgpack.Decoder) (string, error) {
	return refDecodeScalarText(d, "msg", "")
}

// refDecodeText decodes a str, with invalid UTF-8 replaced.
func refDecodeText(d *msgpack.Decoder) (string, error) {
	s, err := d.DecodeString()
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return validText(s), nil
}
