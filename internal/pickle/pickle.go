package pickle

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"unicode/utf8"
)

// Errors of Decode. Every error wraps exactly one of them.
var (
	// ErrUnsupported: an opcode that builds or calls objects (GLOBAL,
	// REDUCE, BUILD, INST, OBJ, NEWOBJ, STACK_GLOBAL, EXT*, PERSID...), or one
	// this decoder does not know.
	ErrUnsupported = errors.New("pickle: unsupported opcode")
	// ErrMalformed: a pickle that is cut short, pops an empty stack, refers to
	// a memo entry that does not exist, or has bytes after STOP.
	ErrMalformed = errors.New("pickle: malformed")
	// ErrTooLarge: nesting deeper than MaxDepth, or more values than the
	// pickle's size allows (memo references that multiply a structure).
	ErrTooLarge = errors.New("pickle: too large")
)

// MaxDepth is how deep containers may nest in a decoded value.
const MaxDepth = 32

// maxLongDigits bounds the text of a LONG and the bytes of a LONG1/LONG4,
// so that converting a number costs little.
const maxLongDigits = 64

// list is a Python list, tuple or set while the pickle is read: shared by
// reference (the memo), appended to after it was stored.
type list struct {
	items  []any
	weight int
}

// dict is a Python dict while the pickle is read; keys are made text.
type dict struct {
	keys   []string
	vals   map[string]any
	weight int
}

// decoder holds the state of one Decode.
type decoder struct {
	b         []byte
	pos       int
	stack     []any
	marks     []int
	memo      map[uint64]any
	maxWeight int
}

// Decode reads one pickle (protocols 0 to 5) of plain values and returns it
// as Go values: nil, bool, int64, float64, string, []byte, []any (a list,
// tuple, set or frozenset) and map[string]any (a dict; keys that are not
// text become Python's str of them: "None", "True", "1", "2.5"). An integer
// beyond int64 becomes its decimal text.
//
// Nothing is executed: any opcode that names a class or calls one is
// refused with ErrUnsupported, before anything is built from it. Memory
// stays within a small multiple of len(data): every length is checked
// against the bytes that remain, the memo and the stack grow by at most one
// entry per opcode, and a value whose nodes (counting each reference to a
// shared container again) outnumber 2*len(data)+1024 is refused with
// ErrTooLarge, as is nesting deeper than MaxDepth (which also refuses
// cycles). It never panics.
func Decode(data []byte) (any, error) {
	d := &decoder{b: data, maxWeight: 2*len(data) + 1024}
	v, err := d.run()
	if err != nil {
		return nil, err
	}
	return export(v, 0)
}

func (d *decoder) errf(base error, format string, args ...any) error {
	return fmt.Errorf("%w at offset %d: %s", base, d.pos, fmt.Sprintf(format, args...))
}

func (d *decoder) need(n int) ([]byte, error) {
	if n < 0 || n > len(d.b)-d.pos {
		return nil, d.errf(ErrMalformed, "%d bytes wanted, %d left", n, len(d.b)-d.pos)
	}
	p := d.b[d.pos : d.pos+n]
	d.pos += n
	return p, nil
}

func (d *decoder) line() (string, error) {
	i := bytes.IndexByte(d.b[d.pos:], '\n')
	if i < 0 {
		return "", d.errf(ErrMalformed, "line without end")
	}
	s := string(d.b[d.pos : d.pos+i])
	d.pos += i + 1
	return s, nil
}

func (d *decoder) push(v any) { d.stack = append(d.stack, v) }

func (d *decoder) pop() (any, error) {
	n := len(d.stack)
	if n == 0 || (len(d.marks) > 0 && d.marks[len(d.marks)-1] >= n) {
		return nil, d.errf(ErrMalformed, "pop from an empty stack")
	}
	v := d.stack[n-1]
	d.stack = d.stack[:n-1]
	return v, nil
}

func (d *decoder) top() (any, error) {
	n := len(d.stack)
	if n == 0 || (len(d.marks) > 0 && d.marks[len(d.marks)-1] >= n) {
		return nil, d.errf(ErrMalformed, "empty stack")
	}
	return d.stack[n-1], nil
}

// popMark returns the items above the last mark and removes them and it.
func (d *decoder) popMark() ([]any, error) {
	if len(d.marks) == 0 {
		return nil, d.errf(ErrMalformed, "no mark")
	}
	m := d.marks[len(d.marks)-1]
	d.marks = d.marks[:len(d.marks)-1]
	items := d.stack[m:]
	d.stack = d.stack[:m]
	return items, nil
}

func (d *decoder) u32() (uint32, error) {
	p, err := d.need(4)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(p), nil
}

func (d *decoder) u64len() (int, error) {
	p, err := d.need(8)
	if err != nil {
		return 0, err
	}
	n := binary.LittleEndian.Uint64(p)
	if n > uint64(len(d.b)) {
		return 0, d.errf(ErrMalformed, "length %d past the end", n)
	}
	return int(n), nil
}

// weightOf is how many nodes v stands for.
func weightOf(v any) int {
	switch x := v.(type) {
	case *list:
		return x.weight
	case *dict:
		return x.weight
	}
	return 1
}

func (d *decoder) grow(w *int, by int) error {
	*w += by
	if *w > d.maxWeight {
		return d.errf(ErrTooLarge, "more than %d values", d.maxWeight)
	}
	return nil
}

func (d *decoder) newList(items []any) (*list, error) {
	l := &list{items: append([]any(nil), items...), weight: 1}
	for _, it := range items {
		if err := d.grow(&l.weight, weightOf(it)); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func (d *decoder) setItem(m *dict, k, v any) error {
	key, err := d.keyText(k)
	if err != nil {
		return err
	}
	if err := d.grow(&m.weight, weightOf(v)+1); err != nil {
		return err
	}
	if _, ok := m.vals[key]; !ok {
		m.keys = append(m.keys, key)
	}
	m.vals[key] = v
	return nil
}

// keyText is Python's str of a dict key that is a plain scalar.
func (d *decoder) keyText(k any) (string, error) {
	switch x := k.(type) {
	case string:
		return x, nil
	case nil:
		return "None", nil
	case bool:
		if x {
			return "True", nil
		}
		return "False", nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case bigText:
		return string(x), nil
	case float64:
		return pyFloat(x), nil
	case []byte:
		return strconv.QuoteToASCII(string(x)), nil
	}
	return "", d.errf(ErrUnsupported, "a dict key that is a container")
}

// bigText is an integer beyond int64, as decimal text.
type bigText string

func (d *decoder) memoPut(i uint64) error {
	v, err := d.top()
	if err != nil {
		return err
	}
	if d.memo == nil {
		d.memo = map[uint64]any{}
	}
	d.memo[i] = v
	return nil
}

func (d *decoder) memoGet(i uint64) error {
	v, ok := d.memo[i]
	if !ok {
		return d.errf(ErrMalformed, "memo entry %d does not exist", i)
	}
	d.push(v)
	return nil
}

func (d *decoder) run() (any, error) {
	for {
		if d.pos >= len(d.b) {
			return nil, d.errf(ErrMalformed, "no STOP")
		}
		op := d.b[d.pos]
		d.pos++
		if err := d.step(op); err != nil {
			if err == errStop {
				if d.pos != len(d.b) {
					return nil, d.errf(ErrMalformed, "%d bytes after STOP", len(d.b)-d.pos)
				}
				v, err := d.pop()
				if err != nil {
					return nil, err
				}
				if len(d.stack) != 0 || len(d.marks) != 0 {
					return nil, d.errf(ErrMalformed, "values left on the stack at STOP")
				}
				return v, nil
			}
			return nil, err
		}
	}
}

var errStop = errors.New("stop")

func (d *decoder) step(op byte) error {
	switch op {
	case '.': // STOP
		return errStop
	case 0x80: // PROTO
		p, err := d.need(1)
		if err != nil {
			return err
		}
		if p[0] > 5 {
			return d.errf(ErrUnsupported, "protocol %d", p[0])
		}
	case 0x95: // FRAME: a length hint
		_, err := d.u64len()
		return err
	case '(': // MARK
		d.marks = append(d.marks, len(d.stack))
	case 'N':
		d.push(nil)
	case 0x88:
		d.push(true)
	case 0x89:
		d.push(false)
	case 'I': // INT, text; "01"/"00" are True/False
		s, err := d.line()
		if err != nil {
			return err
		}
		switch s {
		case "01":
			d.push(true)
		case "00":
			d.push(false)
		default:
			return d.pushIntText(s)
		}
	case 'L': // LONG, text with an optional L
		s, err := d.line()
		if err != nil {
			return err
		}
		if n := len(s); n > 0 && s[n-1] == 'L' {
			s = s[:n-1]
		}
		return d.pushIntText(s)
	case 'J':
		v, err := d.u32()
		if err != nil {
			return err
		}
		d.push(int64(int32(v)))
	case 'K':
		p, err := d.need(1)
		if err != nil {
			return err
		}
		d.push(int64(p[0]))
	case 'M':
		p, err := d.need(2)
		if err != nil {
			return err
		}
		d.push(int64(binary.LittleEndian.Uint16(p)))
	case 0x8a, 0x8b: // LONG1, LONG4: little-endian two's complement
		var n int
		if op == 0x8a {
			p, err := d.need(1)
			if err != nil {
				return err
			}
			n = int(p[0])
		} else {
			v, err := d.u32()
			if err != nil {
				return err
			}
			if v > maxLongDigits {
				return d.errf(ErrTooLarge, "a LONG4 of %d bytes", v)
			}
			n = int(v)
		}
		if n > maxLongDigits {
			return d.errf(ErrTooLarge, "a LONG1 of %d bytes", n)
		}
		p, err := d.need(n)
		if err != nil {
			return err
		}
		d.push(longBytes(p))
	case 'F':
		s, err := d.line()
		if err != nil {
			return err
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return d.errf(ErrMalformed, "FLOAT %q", s)
		}
		d.push(f)
	case 'G':
		p, err := d.need(8)
		if err != nil {
			return err
		}
		d.push(math.Float64frombits(binary.BigEndian.Uint64(p)))
	case 'X', 0x8c, 0x8d, 'B', 'C', 0x8e, 'T', 'U': // counted text and bytes
		var n int
		switch op {
		case 'X', 'B', 'T':
			v, err := d.u32()
			if err != nil {
				return err
			}
			n = int(int64(v))
		case 0x8c, 'C', 'U':
			p, err := d.need(1)
			if err != nil {
				return err
			}
			n = int(p[0])
		default:
			v, err := d.u64len()
			if err != nil {
				return err
			}
			n = v
		}
		p, err := d.need(n)
		if err != nil {
			return err
		}
		switch op {
		case 'B', 'C', 0x8e:
			d.push(bytes.Clone(p))
		case 'T', 'U': // Python 2 str: bytes, read as Latin-1
			d.push(latin1(p))
		default:
			d.push(validUTF8(p))
		}
	case 'V': // UNICODE, raw-unicode-escape text
		s, err := d.line()
		if err != nil {
			return err
		}
		d.push(rawUnicodeEscape(s))
	case 'S': // STRING, a quoted Python 2 str
		s, err := d.line()
		if err != nil {
			return err
		}
		u, err := strconv.Unquote(pyQuoteToGo(s))
		if err != nil {
			return d.errf(ErrMalformed, "STRING %q", s)
		}
		d.push(u)
	case ']':
		d.push(&list{weight: 1})
	case ')':
		d.push(&list{weight: 1})
	case 0x8f: // EMPTY_SET
		d.push(&list{weight: 1})
	case '}':
		d.push(&dict{vals: map[string]any{}, weight: 1})
	case 'l', 't', 0x91: // LIST, TUPLE, FROZENSET from the mark
		items, err := d.popMark()
		if err != nil {
			return err
		}
		l, err := d.newList(items)
		if err != nil {
			return err
		}
		d.push(l)
	case 0x85, 0x86, 0x87: // TUPLE1..3
		n := int(op - 0x84)
		if len(d.stack) < n || (len(d.marks) > 0 && d.marks[len(d.marks)-1] > len(d.stack)-n) {
			return d.errf(ErrMalformed, "TUPLE%d on a short stack", n)
		}
		l, err := d.newList(d.stack[len(d.stack)-n:])
		if err != nil {
			return err
		}
		d.stack = d.stack[:len(d.stack)-n]
		d.push(l)
	case 'd': // DICT from the mark
		items, err := d.popMark()
		if err != nil {
			return err
		}
		if len(items)%2 != 0 {
			return d.errf(ErrMalformed, "DICT with an odd number of items")
		}
		m := &dict{vals: map[string]any{}, weight: 1}
		for i := 0; i < len(items); i += 2 {
			if err := d.setItem(m, items[i], items[i+1]); err != nil {
				return err
			}
		}
		d.push(m)
	case 'a': // APPEND
		v, err := d.pop()
		if err != nil {
			return err
		}
		return d.appendTo([]any{v})
	case 'e', 0x90: // APPENDS, ADDITEMS
		items, err := d.popMark()
		if err != nil {
			return err
		}
		return d.appendTo(items)
	case 's': // SETITEM
		v, err := d.pop()
		if err != nil {
			return err
		}
		k, err := d.pop()
		if err != nil {
			return err
		}
		return d.setItems([]any{k, v})
	case 'u': // SETITEMS
		items, err := d.popMark()
		if err != nil {
			return err
		}
		if len(items)%2 != 0 {
			return d.errf(ErrMalformed, "SETITEMS with an odd number of items")
		}
		return d.setItems(items)
	case 'p': // PUT, text
		s, err := d.line()
		if err != nil {
			return err
		}
		i, err := strconv.ParseUint(s, 10, 32)
		if err != nil {
			return d.errf(ErrMalformed, "PUT %q", s)
		}
		return d.memoPut(i)
	case 'q':
		p, err := d.need(1)
		if err != nil {
			return err
		}
		return d.memoPut(uint64(p[0]))
	case 'r':
		v, err := d.u32()
		if err != nil {
			return err
		}
		return d.memoPut(uint64(v))
	case 0x94: // MEMOIZE
		return d.memoPut(uint64(len(d.memo)))
	case 'g':
		s, err := d.line()
		if err != nil {
			return err
		}
		i, err := strconv.ParseUint(s, 10, 32)
		if err != nil {
			return d.errf(ErrMalformed, "GET %q", s)
		}
		return d.memoGet(i)
	case 'h':
		p, err := d.need(1)
		if err != nil {
			return err
		}
		return d.memoGet(uint64(p[0]))
	case 'j':
		v, err := d.u32()
		if err != nil {
			return err
		}
		return d.memoGet(uint64(v))
	case '0': // POP
		_, err := d.pop()
		return err
	case '1': // POP_MARK
		_, err := d.popMark()
		return err
	case '2': // DUP
		v, err := d.top()
		if err != nil {
			return err
		}
		d.push(v)
	default:
		return d.errf(ErrUnsupported, "opcode %s", opName(op))
	}
	return nil
}

func (d *decoder) appendTo(items []any) error {
	t, err := d.top()
	if err != nil {
		return err
	}
	l, ok := t.(*list)
	if !ok {
		return d.errf(ErrUnsupported, "APPEND to something other than a list")
	}
	for _, it := range items {
		if err := d.grow(&l.weight, weightOf(it)); err != nil {
			return err
		}
	}
	l.items = append(l.items, items...)
	return nil
}

func (d *decoder) setItems(items []any) error {
	t, err := d.top()
	if err != nil {
		return err
	}
	m, ok := t.(*dict)
	if !ok {
		return d.errf(ErrUnsupported, "SETITEM on something other than a dict")
	}
	for i := 0; i+1 < len(items); i += 2 {
		if err := d.setItem(m, items[i], items[i+1]); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) pushIntText(s string) error {
	if len(s) > maxLongDigits {
		return d.errf(ErrTooLarge, "an integer of %d digits", len(s))
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		d.push(v)
		return nil
	}
	b, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return d.errf(ErrMalformed, "integer %q", s)
	}
	d.push(bigText(b.String()))
	return nil
}

// longBytes reads a little-endian two's complement integer.
func longBytes(p []byte) any {
	if len(p) == 0 {
		return int64(0)
	}
	if len(p) <= 8 {
		var v uint64
		for i := len(p) - 1; i >= 0; i-- {
			v = v<<8 | uint64(p[i])
		}
		shift := 64 - 8*uint(len(p))
		return int64(v<<shift) >> shift
	}
	be := make([]byte, len(p))
	for i := range p {
		be[len(p)-1-i] = p[i]
	}
	b := new(big.Int).SetBytes(be)
	if p[len(p)-1]&0x80 != 0 {
		b.Sub(b, new(big.Int).Lsh(big.NewInt(1), uint(8*len(p))))
	}
	if b.IsInt64() {
		return b.Int64()
	}
	return bigText(b.String())
}

func validUTF8(p []byte) string {
	if utf8.Valid(p) {
		return string(p)
	}
	return string(bytes.ToValidUTF8(p, []byte("\uFFFD")))
}

func latin1(p []byte) string {
	r := make([]rune, len(p))
	for i, c := range p {
		r[i] = rune(c)
	}
	return string(r)
}

// rawUnicodeEscape decodes Python's raw-unicode-escape: \uXXXX and
// \UXXXXXXXX escapes, every other byte as Latin-1.
func rawUnicodeEscape(s string) string {
	var out []rune
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U') {
			n := 4
			if s[i+1] == 'U' {
				n = 8
			}
			if i+2+n <= len(s) {
				if v, err := strconv.ParseUint(s[i+2:i+2+n], 16, 32); err == nil {
					r := rune(v)
					if !utf8.ValidRune(r) {
						r = utf8.RuneError
					}
					out = append(out, r)
					i += 1 + n
					continue
				}
			}
		}
		out = append(out, rune(c))
	}
	return string(out)
}

// pyQuoteToGo turns Python's repr of a str ('...' or "...") into Go's
// double-quoted form for strconv.Unquote.
func pyQuoteToGo(s string) string {
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		inner := s[1 : len(s)-1]
		var b bytes.Buffer
		b.WriteByte('"')
		for i := 0; i < len(inner); i++ {
			switch c := inner[i]; {
			case c == '\\' && i+1 < len(inner):
				if inner[i+1] == '\'' {
					b.WriteByte('\'')
				} else {
					b.WriteByte(c)
					b.WriteByte(inner[i+1])
				}
				i++
			case c == '"':
				b.WriteString(`\"`)
			default:
				b.WriteByte(c)
			}
		}
		b.WriteByte('"')
		return b.String()
	}
	return s
}

// pyFloat is Python's repr of a float, near enough for a dict key.
func pyFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !bytes.ContainsAny([]byte(s), ".eE") {
		s += ".0"
	}
	return s
}

var opNames = map[byte]string{
	'c': "GLOBAL", 'R': "REDUCE", 'b': "BUILD", 'i': "INST", 'o': "OBJ", 0x81: "NEWOBJ",
	0x92: "NEWOBJ_EX", 0x93: "STACK_GLOBAL", 0x82: "EXT1", 0x83: "EXT2", 0x84: "EXT4",
	'P': "PERSID", 'Q': "BINPERSID", 0x96: "BYTEARRAY8", 0x97: "NEXT_BUFFER", 0x98: "READONLY_BUFFER",
}

func opName(op byte) string {
	if n, ok := opNames[op]; ok {
		return n
	}
	return fmt.Sprintf("0x%02x", op)
}

// export turns the decoder's values into plain Go values.
func export(v any, depth int) (any, error) {
	switch x := v.(type) {
	case *list:
		if depth >= MaxDepth {
			return nil, fmt.Errorf("%w: nested deeper than %d", ErrTooLarge, MaxDepth)
		}
		out := make([]any, len(x.items))
		for i, it := range x.items {
			e, err := export(it, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	case *dict:
		if depth >= MaxDepth {
			return nil, fmt.Errorf("%w: nested deeper than %d", ErrTooLarge, MaxDepth)
		}
		out := make(map[string]any, len(x.keys))
		for _, k := range x.keys {
			e, err := export(x.vals[k], depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = e
		}
		return out, nil
	case bigText:
		return string(x), nil
	}
	return v, nil
}
