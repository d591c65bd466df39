package format

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// appendBadType writes the marker for a value whose type does not suit the
// conversion: %!d(str='abc').
func appendBadType(dst []byte, verb byte, v pyValue) []byte {
	dst = append(dst, '%', '!')
	if verb != 0 {
		dst = append(dst, verb)
	}
	dst = append(dst, '(')
	dst = append(dst, v.typeName()...)
	dst = append(dst, '=')
	dst = appendPyRepr(dst, v, false)
	return append(dst, ')')
}

// truncRunes cuts dst[n:] to at most prec characters.
func truncRunes(dst []byte, n, prec int) []byte {
	if prec < 0 {
		return dst
	}
	i := n
	for k := 0; k < prec && i < len(dst); k++ {
		_, size := utf8.DecodeRune(dst[i:])
		i += size
	}
	return dst[:i]
}

// pad pads dst[n:] to width characters with fill: on the right when align is
// '<', on both sides for '^' (extra on the right, as Python does), else on
// the left. When align is '=', the padding goes after the first skip bytes
// (the sign and prefix).
func pad(dst []byte, n, width int, fill rune, align byte, skip int) []byte {
	count := utf8.RuneCount(dst[n:])
	if count >= width {
		return dst
	}
	missing := width - count
	var fb [utf8.UTFMax]byte
	fl := utf8.EncodeRune(fb[:], fill)
	switch align {
	case '<':
		for k := 0; k < missing; k++ {
			dst = append(dst, fb[:fl]...)
		}
		return dst
	case '^':
		left := missing / 2
		dst = insertFill(dst, n, left, fb[:fl])
		for k := 0; k < missing-left; k++ {
			dst = append(dst, fb[:fl]...)
		}
		return dst
	case '=':
		return insertFill(dst, n+skip, missing, fb[:fl])
	}
	return insertFill(dst, n, missing, fb[:fl])
}

// insertFill inserts count copies of fill at position at.
func insertFill(dst []byte, at, count int, fill []byte) []byte {
	size := count * len(fill)
	old := len(dst)
	for k := 0; k < size; k++ {
		dst = append(dst, 0)
	}
	copy(dst[at+size:], dst[at:old])
	for k := 0; k < count; k++ {
		copy(dst[at+k*len(fill):], fill)
	}
	return dst
}

// toInt converts v as Python's int() does for %d: digits of the magnitude
// (into buf) and the sign; ok is false for a type %d refuses.
func toInt(buf []byte, v pyValue, base int, allowFloat bool) (digits []byte, neg, ok bool) {
	switch v.kind {
	case pyInt, pyBool:
		i := v.i
		if i < 0 {
			return strconv.AppendUint(buf, uint64(-i), base), true, true // -MinInt64 wraps to itself as uint64: still right
		}
		return strconv.AppendUint(buf, uint64(i), base), false, true
	case pyUint:
		return strconv.AppendUint(buf, v.u, base), false, true
	case pyFloat:
		if !allowFloat || math.IsNaN(v.f) || math.IsInf(v.f, 0) {
			return nil, false, false
		}
		t := math.Trunc(v.f)
		neg = t < 0
		t = math.Abs(t)
		if t < 1<<63 {
			return strconv.AppendUint(buf, uint64(t), base), neg, true
		}
		return strconv.AppendFloat(buf, t, 'f', 0, 64), neg, true
	}
	return nil, false, false
}

// toFloat converts v as Python's float() does for %f.
func toFloat(v pyValue) (float64, bool) {
	switch v.kind {
	case pyFloat:
		return v.f, true
	case pyInt, pyBool:
		return float64(v.i), true
	case pyUint:
		return float64(v.u), true
	}
	return 0, false
}

// appendPrintf formats v by a printf-style conversion, as Python's % does.
func appendPrintf(dst []byte, o *op, v pyValue) []byte {
	n := len(dst)
	left := o.flags&flagMinus != 0
	switch o.verb {
	case 's', 'r', 'a':
		switch o.verb {
		case 's':
			dst = appendPyStr(dst, v)
		case 'r':
			dst = appendPyRepr(dst, v, false)
		default:
			dst = appendPyRepr(dst, v, true)
		}
		dst = truncRunes(dst, n, o.prec)
		return padStr(dst, n, o.width, left)
	case 'c':
		switch {
		case v.kind == pyInt || v.kind == pyBool:
			if v.i < 0 || v.i > utf8.MaxRune {
				return appendBadType(dst, 'c', v)
			}
			dst = utf8.AppendRune(dst, rune(v.i))
		case v.kind == pyStr && utf8.RuneCountInString(v.s) == 1:
			dst = append(dst, v.s...)
		default:
			return appendBadType(dst, 'c', v)
		}
		return padStr(dst, n, o.width, left)
	case 'd', 'i', 'u', 'x', 'X', 'o':
		base := 10
		switch o.verb {
		case 'x', 'X':
			base = 16
		case 'o':
			base = 8
		}
		var buf [72]byte
		digits, neg, ok := toInt(buf[:0], v, base, base == 10)
		if !ok {
			return appendBadType(dst, o.verb, v)
		}
		dst = appendSign(dst, neg, o.flags)
		if o.flags&flagAlt != 0 && base != 10 {
			dst = append(dst, '0', o.verb)
		}
		skip := len(dst) - n
		for k := len(digits); k < o.prec; k++ {
			dst = append(dst, '0')
		}
		if o.verb == 'X' {
			for i, c := range digits {
				if c >= 'a' && c <= 'f' {
					digits[i] = c - 'a' + 'A'
				}
			}
		}
		dst = append(dst, digits...)
		return padNum(dst, n, o.width, o.flags, skip)
	case 'e', 'E', 'f', 'F', 'g', 'G':
		f, ok := toFloat(v)
		if !ok {
			return appendBadType(dst, o.verb, v)
		}
		prec := o.prec
		if prec < 0 {
			prec = 6
		}
		dst = appendSign(dst, math.Signbit(f) && !math.IsNaN(f), o.flags)
		skip := len(dst) - n
		dst = appendFloatBody(dst, math.Abs(f), o.verb, prec, o.flags&flagAlt != 0)
		return padNum(dst, n, o.width, o.flags, skip)
	}
	return appendBadType(dst, o.verb, v)
}

func padStr(dst []byte, n, width int, left bool) []byte {
	if width <= 0 {
		return dst
	}
	if left {
		return pad(dst, n, width, ' ', '<', 0)
	}
	return pad(dst, n, width, ' ', '>', 0)
}

func padNum(dst []byte, n, width int, flags uint8, skip int) []byte {
	switch {
	case width <= 0:
		return dst
	case flags&flagMinus != 0:
		return pad(dst, n, width, ' ', '<', 0)
	case flags&flagZero != 0:
		return pad(dst, n, width, '0', '=', skip)
	}
	return pad(dst, n, width, ' ', '>', 0)
}

func appendSign(dst []byte, neg bool, flags uint8) []byte {
	switch {
	case neg:
		return append(dst, '-')
	case flags&flagPlus != 0:
		return append(dst, '+')
	case flags&flagSpace != 0:
		return append(dst, ' ')
	}
	return dst
}

// appendFloatBody formats a non-negative f (or NaN) as C's %e, %f or %g do,
// with Python's spellings of infinity and NaN.
func appendFloatBody(dst []byte, f float64, verb byte, prec int, alt bool) []byte {
	upper := verb == 'E' || verb == 'F' || verb == 'G'
	if math.IsNaN(f) || math.IsInf(f, 0) {
		s := "inf"
		if math.IsNaN(f) {
			s = "nan"
		}
		if upper {
			s = strings.ToUpper(s)
		}
		return append(dst, s...)
	}
	switch verb {
	case 'f', 'F':
		dst = strconv.AppendFloat(dst, f, 'f', prec, 64)
		if alt && prec == 0 {
			dst = append(dst, '.')
		}
		return dst
	case 'e', 'E':
		n := len(dst)
		dst = strconv.AppendFloat(dst, f, verb, prec, 64)
		if alt && prec == 0 {
			dst = insertFill(dst, n+1, 1, []byte{'.'})
		}
		return dst
	}
	// g, G
	if prec == 0 {
		prec = 1
	}
	if !alt {
		g := byte('g')
		if upper {
			g = 'G'
		}
		return strconv.AppendFloat(dst, f, g, prec, 64)
	}
	// '#': keep trailing zeros and the point.
	var buf [40]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', prec-1, 64)
	x := 0
	if i := strings.LastIndexByte(string(e), 'e'); i >= 0 { // string(e) does not escape
		x, _ = strconv.Atoi(string(e[i+1:]))
	}
	if x >= -4 && x < prec {
		dst = strconv.AppendFloat(dst, f, 'f', prec-1-x, 64)
		if prec-1-x == 0 {
			dst = append(dst, '.')
		}
		return dst
	}
	ev := byte('e')
	if upper {
		ev = 'E'
	}
	n := len(dst)
	dst = strconv.AppendFloat(dst, f, ev, prec-1, 64)
	if prec == 1 {
		dst = insertFill(dst, n+1, 1, []byte{'.'})
	}
	return dst
}

// parseBrace parses a str.format-style format: literal text with {{ and }},
// and fields {name[!conv][:spec]}. A dotted name {g.k} is the attribute k
// inside group g (where Python would read attribute k of g); index access
// and nested fields in a spec are not supported.
func parseBrace(f string) ([]op, error) {
	var ops []op
	var lit strings.Builder
	for i := 0; i < len(f); {
		c := f[i]
		if c == '}' {
			if i+1 < len(f) && f[i+1] == '}' {
				lit.WriteByte('}')
				i += 2
				continue
			}
			return nil, fmt.Errorf("single '}' at offset %d", i)
		}
		if c != '{' {
			lit.WriteByte(c)
			i++
			continue
		}
		if i+1 < len(f) && f[i+1] == '{' {
			lit.WriteByte('{')
			i += 2
			continue
		}
		end := strings.IndexByte(f[i:], '}')
		if end < 0 {
			return nil, fmt.Errorf("expected '}' before end of string (field at offset %d)", i)
		}
		body := f[i+1 : i+end]
		if strings.IndexByte(body, '{') >= 0 {
			return nil, fmt.Errorf("nested field at offset %d is not supported", i)
		}
		o, err := parseBraceField(body)
		if err != nil {
			return nil, fmt.Errorf("field at offset %d: %w", i, err)
		}
		if lit.Len() > 0 {
			ops = append(ops, op{lit: lit.String()})
			lit.Reset()
		}
		ops = append(ops, o)
		i += end + 1
	}
	if lit.Len() > 0 {
		ops = append(ops, op{lit: lit.String()})
	}
	for _, o := range ops {
		if o.field != fieldLiteral {
			return ops, nil
		}
	}
	return nil, errors.New("no fields")
}

func parseBraceField(body string) (op, error) {
	name, spec, hasSpec := strings.Cut(body, ":")
	name, conv, hasConv := strings.Cut(name, "!")
	if !isDottedName(name) {
		return op{}, fmt.Errorf("invalid field name %q", name)
	}
	o := fieldOp(name)
	o.brace = true
	if hasConv {
		if len(conv) != 1 || strings.IndexByte("rsa", conv[0]) < 0 {
			return op{}, fmt.Errorf("invalid conversion %q", conv)
		}
		o.conv = conv[0]
	}
	if hasSpec && spec != "" {
		if err := parseSpec(&o, spec); err != nil {
			return op{}, err
		}
	}
	o.plain = o.conv == 0 && (!hasSpec || spec == "")
	if o.plain {
		o.verb = 's'
	}
	return o, nil
}

// isDottedName reports whether name is a field name, or dotted field names
// (g.k: an attribute inside groups).
func isDottedName(name string) bool {
	for part := range strings.SplitSeq(name, ".") {
		if part == "" || !isWord(part) || (part[0] >= '0' && part[0] <= '9') {
			return false
		}
	}
	return true
}

// parseSpec parses [[fill]align][sign][z][#][0][width][grouping][.precision][type].
func parseSpec(o *op, spec string) error {
	bad := fmt.Errorf("bad specifier %q", spec)
	i := 0
	if r, size := utf8.DecodeRuneInString(spec); size < len(spec) && strings.IndexByte("<>=^", spec[size]) >= 0 {
		o.fill, o.align = r, spec[size]
		i = size + 1
	} else if strings.IndexByte("<>=^", spec[0]) >= 0 {
		o.align = spec[0]
		i = 1
	}
	if i < len(spec) {
		switch spec[i] {
		case '+':
			o.flags |= flagPlus
			i++
		case ' ':
			o.flags |= flagSpace
			i++
		case '-':
			i++
		}
	}
	if i < len(spec) && spec[i] == 'z' {
		i++
	}
	if i < len(spec) && spec[i] == '#' {
		o.flags |= flagAlt
		i++
	}
	if i < len(spec) && spec[i] == '0' {
		o.flags |= flagZero
		i++
	}
	o.width, i = parseNum(spec, i)
	if i < len(spec) && (spec[i] == ',' || spec[i] == '_') {
		o.grouping = spec[i]
		i++
	}
	if i < len(spec) && spec[i] == '.' {
		o.prec, i = parseNum(spec, i+1)
		if o.prec < 0 {
			return bad
		}
	}
	if i < len(spec) {
		if strings.IndexByte("bcdeEfFgGnosxX%", spec[i]) < 0 {
			return bad
		}
		o.verb = spec[i]
		i++
	}
	if i != len(spec) {
		return bad
	}
	return nil
}

// appendBrace formats v as Python's format(v, spec) does, after the !r, !s or
// !a conversion. Values with no Python type (times, groups) format as their str.
func appendBrace(dst []byte, o *op, v pyValue) []byte {
	if o.conv != 0 {
		var buf []byte
		switch o.conv {
		case 'r':
			buf = appendPyRepr(nil, v, false)
		case 'a':
			buf = appendPyRepr(nil, v, true)
		default:
			buf = appendPyStr(nil, v)
		}
		v = pyString(string(buf))
	}
	n := len(dst)
	fill := o.fill
	if fill == 0 {
		fill = ' '
	}
	switch v.kind {
	case pyStr, pyRaw, pyOther, pyNone:
		if v.kind == pyNone || (o.verb != 0 && o.verb != 's') || o.flags&(flagPlus|flagSpace|flagAlt) != 0 || o.align == '=' || o.grouping != 0 {
			return appendBadType(dst, o.verb, v)
		}
		dst = appendPyStr(dst, v)
		dst = truncRunes(dst, n, o.prec)
		align := o.align
		if align == 0 {
			align = '<'
			if o.flags&flagZero != 0 && o.fill == 0 {
				fill = '0'
			}
		}
		return pad(dst, n, o.width, fill, align, 0)
	}
	verb := o.verb
	isInt := v.kind == pyInt || v.kind == pyUint || v.kind == pyBool
	if isInt && strings.IndexByte("eEfFgG%", verb) < 0 || verb == 'c' {
		if o.prec >= 0 || !isInt {
			return appendBadType(dst, verb, v)
		}
		if verb == 'c' {
			if v.i < 0 || v.i > utf8.MaxRune || v.kind == pyUint {
				return appendBadType(dst, verb, v)
			}
			dst = utf8.AppendRune(dst, rune(v.i))
			return padBrace(dst, n, o, fill, 0)
		}
		base := 10
		switch verb {
		case 'b':
			base = 2
		case 'o':
			base = 8
		case 'x', 'X':
			base = 16
		case 0, 'd', 'n':
		default:
			return appendBadType(dst, verb, v)
		}
		var buf [72]byte
		digits, neg, _ := toInt(buf[:0], v, base, false)
		if verb == 'X' {
			for i, c := range digits {
				if c >= 'a' && c <= 'f' {
					digits[i] = c - 'a' + 'A'
				}
			}
		}
		dst = appendSign(dst, neg, o.flags)
		if o.flags&flagAlt != 0 && base != 10 {
			dst = append(dst, '0', verb)
		}
		skip := len(dst) - n
		every := 3
		if base != 10 {
			every = 4
		}
		dst = appendGrouped(dst, digits, o.grouping, every)
		return padBrace(dst, n, o, fill, skip)
	}
	f, ok := toFloat(v)
	if !ok || strings.IndexByte("eEfFgGn%", verb) < 0 && verb != 0 {
		return appendBadType(dst, verb, v)
	}
	dst = appendSign(dst, math.Signbit(f) && !math.IsNaN(f), o.flags)
	skip := len(dst) - n
	af := math.Abs(f)
	prec := o.prec
	var body []byte
	var buf [64]byte
	switch verb {
	case 0:
		if prec < 0 {
			body = appendPyFloatRepr(buf[:0], af)
			break
		}
		body = appendFloatBody(buf[:0], af, 'g', prec, o.flags&flagAlt != 0)
		if !math.IsInf(af, 0) && !math.IsNaN(af) && !strings.ContainsAny(string(body), ".e") {
			body = append(body, '.', '0')
		}
	case '%':
		if prec < 0 {
			prec = 6
		}
		body = append(appendFloatBody(buf[:0], af*100, 'f', prec, o.flags&flagAlt != 0), '%')
	case 'n':
		if prec < 0 {
			prec = 6
		}
		body = appendFloatBody(buf[:0], af, 'g', prec, o.flags&flagAlt != 0)
	default:
		if prec < 0 {
			prec = 6
		}
		body = appendFloatBody(buf[:0], af, verb, prec, o.flags&flagAlt != 0)
	}
	if o.grouping != 0 {
		intEnd := 0
		for intEnd < len(body) && body[intEnd] >= '0' && body[intEnd] <= '9' {
			intEnd++
		}
		dst = appendGrouped(dst, body[:intEnd], o.grouping, 3)
		dst = append(dst, body[intEnd:]...)
	} else {
		dst = append(dst, body...)
	}
	return padBrace(dst, n, o, fill, skip)
}

func padBrace(dst []byte, n int, o *op, fill rune, skip int) []byte {
	align := o.align
	if align == 0 {
		align = '>'
		if o.flags&flagZero != 0 && o.fill == 0 {
			fill, align = '0', '='
		}
	}
	return pad(dst, n, o.width, fill, align, skip)
}

// appendGrouped appends digits with sep every `every` digits from the right.
func appendGrouped(dst, digits []byte, sep byte, every int) []byte {
	if sep == 0 {
		return append(dst, digits...)
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%every == 0 {
			dst = append(dst, sep)
		}
		dst = append(dst, c)
	}
	return dst
}
