package format

import (
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// pyKind is the Python type a value has when a format string sees it.
type pyKind uint8

const (
	pyNone  pyKind = iota // None
	pyStr                 // str
	pyInt                 // int (fits int64)
	pyUint                // int above MaxInt64
	pyFloat               // float
	pyBool                // bool
	pyRaw                 // an object whose str and repr are both s (a tuple, say)
	pyOther               // a slog value with no Python counterpart (time, duration, group, any)
)

// pyValue is one value as Python's %-operator sees it. It is passed by value
// and never escapes, so building one does not allocate.
type pyValue struct {
	kind pyKind
	s    string
	i    int64
	u    uint64
	f    float64
	v    slog.Value
}

func pyString(s string) pyValue    { return pyValue{kind: pyStr, s: s} }
func pyInteger(i int64) pyValue    { return pyValue{kind: pyInt, i: i} }
func pyFloating(f float64) pyValue { return pyValue{kind: pyFloat, f: f} }

// pyTypeName is Python's name for the value's type, used in error markers.
func (p pyValue) typeName() string {
	switch p.kind {
	case pyNone:
		return "NoneType"
	case pyStr:
		return "str"
	case pyInt, pyUint:
		return "int"
	case pyFloat:
		return "float"
	case pyBool:
		return "bool"
	case pyRaw:
		return "tuple"
	}
	switch p.v.Kind() {
	case slog.KindGroup:
		return "dict"
	case slog.KindTime:
		return "datetime"
	case slog.KindDuration:
		return "timedelta"
	}
	return "object"
}

// fromSlog converts a resolved slog value to the Python value a record's
// extra attribute would hold.
func fromSlog(v slog.Value) pyValue {
	switch v.Kind() {
	case slog.KindString:
		return pyString(v.String())
	case slog.KindInt64:
		return pyInteger(v.Int64())
	case slog.KindUint64:
		u := v.Uint64()
		if u <= math.MaxInt64 {
			return pyInteger(int64(u))
		}
		return pyValue{kind: pyUint, u: u}
	case slog.KindFloat64:
		return pyFloating(v.Float64())
	case slog.KindBool:
		b := v.Bool()
		p := pyValue{kind: pyBool}
		if b {
			p.i = 1
		}
		return p
	case slog.KindAny:
		if v.Any() == nil {
			return pyValue{kind: pyNone}
		}
	}
	return pyValue{kind: pyOther, v: v}
}

// resolve is slog.Value.Resolve without its cost for values that are not
// LogValuers.
func resolve(v slog.Value) slog.Value {
	if v.Kind() == slog.KindLogValuer {
		return v.Resolve()
	}
	return v
}

// fromAny converts a Go value (from PythonOptions.Defaults) to a Python value.
func fromAny(a any) pyValue {
	return fromSlog(slog.AnyValue(a).Resolve())
}

// appendPyStr appends Python's str(p).
func appendPyStr(dst []byte, p pyValue) []byte {
	switch p.kind {
	case pyNone:
		return append(dst, "None"...)
	case pyStr, pyRaw:
		return append(dst, p.s...)
	case pyInt:
		return strconv.AppendInt(dst, p.i, 10)
	case pyUint:
		return strconv.AppendUint(dst, p.u, 10)
	case pyFloat:
		return appendPyFloatRepr(dst, p.f)
	case pyBool:
		if p.i != 0 {
			return append(dst, "True"...)
		}
		return append(dst, "False"...)
	}
	return appendOtherStr(dst, p.v, false)
}

// appendPyRepr appends Python's repr(p), or ascii(p) when ascii is set.
func appendPyRepr(dst []byte, p pyValue, ascii bool) []byte {
	switch p.kind {
	case pyStr:
		return appendPyStrRepr(dst, p.s, ascii)
	case pyOther:
		return appendOtherStr(dst, p.v, true)
	}
	return appendPyStr(dst, p)
}

// appendOtherStr renders values Python has no literal for: a time as
// str(datetime), a duration as Go prints it, a group as a dict, anything else
// as Go's fmt prints it (an error by its Error method). With repr, strings
// inside groups are quoted.
func appendOtherStr(dst []byte, v slog.Value, repr bool) []byte {
	switch v.Kind() {
	case slog.KindTime:
		// Python's str(datetime): "2006-01-02 15:04:05[.ffffff]+hh:mm".
		t := v.Time()
		if t.Nanosecond()/1000 != 0 {
			dst = t.AppendFormat(dst, "2006-01-02 15:04:05.000000-07:00")
		} else {
			dst = t.AppendFormat(dst, "2006-01-02 15:04:05-07:00")
		}
		return dst
	case slog.KindDuration:
		return append(dst, v.Duration().String()...)
	case slog.KindGroup:
		dst = append(dst, '{')
		for i, a := range v.Group() {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = appendPyStrRepr(dst, a.Key, false)
			dst = append(dst, ": "...)
			dst = appendPyRepr(dst, fromSlog(a.Value.Resolve()), false)
		}
		return append(dst, '}')
	case slog.KindAny:
		return appendAnyText(dst, v.Any(), repr)
	}
	return appendPyStr(dst, fromSlog(v))
}

// appendAnyText prints an arbitrary Go value, recovering from a panicking
// String or Error method as fmt does.
func appendAnyText(dst []byte, a any, repr bool) (out []byte) {
	n := len(dst)
	defer func() {
		if r := recover(); r != nil {
			out = fmt.Appendf(dst[:n], "!PANIC: %v", r)
		}
	}()
	var s string
	switch x := a.(type) {
	case error:
		s = x.Error()
	case fmt.Stringer:
		s = x.String()
	default:
		s = fmt.Sprintf("%+v", a)
	}
	if repr {
		return appendPyStrRepr(dst, s, false)
	}
	return append(dst, s...)
}

// appendPyFloatRepr appends Python's repr of a float: the shortest digits that
// round-trip, in fixed notation when the decimal exponent is in [-4, 16),
// otherwise in scientific notation with a two-digit minimum exponent.
func appendPyFloatRepr(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "nan"...)
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, 64)
	// e is [-]d[.ddd]e±XX
	neg := e[0] == '-'
	if neg {
		e = e[1:]
		dst = append(dst, '-')
	}
	ei := 0
	for ei < len(e) && e[ei] != 'e' {
		ei++
	}
	mant := e[:ei]
	exp := 0
	for _, c := range e[ei+2:] {
		exp = exp*10 + int(c-'0')
	}
	if e[ei+1] == '-' {
		exp = -exp
	}
	var digits [24]byte
	nd := 0
	for _, c := range mant {
		if c != '.' {
			digits[nd] = c
			nd++
		}
	}
	if exp < -4 || exp >= 16 {
		dst = append(dst, digits[0])
		if nd > 1 {
			dst = append(dst, '.')
			dst = append(dst, digits[1:nd]...)
		}
		dst = append(dst, 'e')
		if exp < 0 {
			dst = append(dst, '-')
			exp = -exp
		} else {
			dst = append(dst, '+')
		}
		if exp < 10 {
			dst = append(dst, '0')
		}
		return strconv.AppendInt(dst, int64(exp), 10)
	}
	if exp < 0 {
		dst = append(dst, "0."...)
		for i := -1; i > exp; i-- {
			dst = append(dst, '0')
		}
		return append(dst, digits[:nd]...)
	}
	// exp >= 0: digits[:exp+1] before the point.
	if nd <= exp+1 {
		dst = append(dst, digits[:nd]...)
		for i := nd; i <= exp; i++ {
			dst = append(dst, '0')
		}
		return append(dst, ".0"...)
	}
	dst = append(dst, digits[:exp+1]...)
	dst = append(dst, '.')
	return append(dst, digits[exp+1:nd]...)
}

// appendPyStrRepr appends Python's repr of a str: single quotes unless the
// text holds a single quote and no double quote; backslash escapes for \\,
// the quote, \n \r \t, and \xNN, \uNNNN, \UNNNNNNNN for characters that are
// not printable (or not ASCII, for ascii()).
func appendPyStrRepr(dst []byte, s string, ascii bool) []byte {
	q := byte('\'')
	if containsByte(s, '\'') && !containsByte(s, '"') {
		q = '"'
	}
	dst = append(dst, q)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == q || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20 || c == 0x7f:
				dst = append(dst, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			// Python's str cannot hold invalid UTF-8; show the byte as a
			// surrogate escape would.
			dst = append(dst, `\udc`...)
			dst = append(dst, hexDigits[s[i]>>4], hexDigits[s[i]&0xf])
			i++
			continue
		}
		switch {
		case !ascii && pyPrintable(r):
			dst = append(dst, s[i:i+size]...)
		case r <= 0xff:
			dst = append(dst, '\\', 'x', hexDigits[r>>4], hexDigits[r&0xf])
		case r <= 0xffff:
			dst = append(dst, '\\', 'u')
			dst = appendHex(dst, uint64(r), 4)
		default:
			dst = append(dst, '\\', 'U')
			dst = appendHex(dst, uint64(r), 8)
		}
		i += size
	}
	return append(dst, q)
}

// pyPrintable approximates Python's str.isprintable for one non-ASCII
// character: graphic characters and the ordinary space, but not other
// separators or format characters.
func pyPrintable(r rune) bool {
	if r == ' ' {
		return true
	}
	if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Cs, unicode.Co, unicode.Zl, unicode.Zp, unicode.Zs) {
		return false
	}
	return unicode.IsPrint(r) || unicode.IsGraphic(r)
}

const hexDigits = "0123456789abcdef"

func appendHex(dst []byte, v uint64, width int) []byte {
	for i := width - 1; i >= 0; i-- {
		dst = append(dst, hexDigits[(v>>(4*uint(i)))&0xf])
	}
	return dst
}

func containsByte(s string, b byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return true
		}
	}
	return false
}

// timeCreated returns Python 3.14's created, msecs and the whole second that
// time.localtime(created) converts, for t. CPython 3.13+ takes
// ct = time.time_ns() and sets created = ct / 1e9 and
// msecs = (ct % 10**9) // 10**6, except that msecs is 0 when the float
// division rounded created up into the next second.
func timeCreated(t time.Time) (created, msecs float64, sec int64) {
	s, ns := t.Unix(), int64(t.Nanosecond())
	if s > -9_000_000_000 && s < 9_000_000_000 {
		ct := s*1_000_000_000 + ns
		created = float64(ct) / 1e9
	} else {
		created = float64(s) + float64(ns)/1e9
	}
	ms := ns / 1_000_000
	if ms == 999 && int64(created) != s {
		ms = 0
	}
	return created, float64(ms), int64(math.Floor(created))
}
