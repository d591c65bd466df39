package record

import (
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"
)

// The range of created DecodeMsgpack accepts: years 1 to 9999.
const (
	minCreated = -62135596800
	maxCreated = 253402300800
)

// DecodeMsgpack decodes one wire map (a frame's payload, untrusted) into a
// Record. Before it decodes a byte it checks the structure in one pass
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
//
// A receiver decoding many frames uses a Decoder, which makes the same
// records with fewer allocations.
func DecodeMsgpack(payload []byte) (Record, error) {
	if err := checkWire(payload); err != nil {
		return Record{}, err
	}
	// One copy of the payload as text: every string of the record is a
	// slice of it, so a frame costs one allocation for its text.
	return decodeChecked(string(payload), new(Origin))
}

// A Decoder decodes wire maps exactly as DecodeMsgpack does, with fewer
// allocations: the text of many records shares one block of 4 KiB (a
// payload larger than 1 KiB gets its own), and their Origins share another
// of 16. A block stays in memory while any record made from it does, so a
// record kept long (a Memory handler's buffer) may keep up to 4 KiB of its
// neighbours' text alive. The zero Decoder is ready; it must not be used by
// two goroutines at once. The records it returns are independent of it and
// of the payloads.
type Decoder struct {
	text    []byte   // written once per byte; strings alias what is written
	origins []Origin // the Origins not handed out yet
}

// Sizes of a Decoder's blocks.
const (
	textBlock    = 4 << 10
	ownText      = 1 << 10 // a payload larger than this gets its own string
	originsBlock = 16
)

// Decode decodes one wire map as DecodeMsgpack does.
func (dc *Decoder) Decode(payload []byte) (Record, error) {
	if err := checkWire(payload); err != nil {
		return Record{}, err
	}
	var s string
	if len(payload) > ownText {
		s = string(payload)
	} else {
		if cap(dc.text)-len(dc.text) < len(payload) {
			dc.text = make([]byte, 0, textBlock)
		}
		n := len(dc.text)
		dc.text = append(dc.text, payload...)
		// The bytes at n: are never written again (the block only grows,
		// then is replaced), so they may be read as an immutable string.
		s = unsafe.String(&dc.text[n], len(payload))
	}
	if len(dc.origins) == 0 {
		dc.origins = make([]Origin, originsBlock)
	}
	r, err := decodeChecked(s, &dc.origins[0])
	if err != nil {
		dc.origins[0] = Origin{}
		return Record{}, err
	}
	dc.origins = dc.origins[1:]
	return r, nil
}

// checkWire checks a payload's structure (checkMsgpack) and that its top
// level is a map.
func checkWire(payload []byte) error {
	if err := checkMsgpack(payload, defaultMaxDepth); err != nil {
		return err
	}
	if !isMapCode(payload[0]) {
		return fmt.Errorf("%w: top level is %s, want a map", ErrBadRecord, codeName(payload[0]))
	}
	return nil
}

// decodeChecked decodes a payload that checkWire accepted, given as text,
// filling *o (which must be zero) as the record's Origin.
func decodeChecked(text string, o *Origin) (Record, error) {
	d := decoder{s: text}
	n := d.mapLen()
	var (
		r         Record
		levelno   int64
		hasLevel  bool
		levelname string
		buf       [2 * nInline]slog.Attr
		err       error
	)
	attrs := buf[:0]
	for i := range n {
		c := d.peek()
		if !isStrCode(c) {
			return Record{}, fmt.Errorf("%w: top-level key %d is %s, want a string", ErrBadRecord, i, codeName(c))
		}
		k := d.rawStr()
		switch k {
		case "name":
			err = d.strField("name", &r.Logger)
			if r.Logger == rootName {
				r.Logger = ""
			}
		case "msg":
			r.Message, err = d.scalarText("msg", "")
		case "levelname":
			err = d.strField("levelname", &levelname)
		case "levelno":
			hasLevel, err = d.intField("levelno", &levelno)
		case "pathname":
			err = d.strField("pathname", &o.Pathname)
		case "filename":
			err = d.strField("filename", &o.Filename)
		case "module":
			err = d.strField("module", &o.Module)
		case "funcName":
			err = d.strField("funcName", &o.FuncName)
		case "threadName":
			err = d.strField("threadName", &o.ThreadName)
		case "processName":
			err = d.strField("processName", &o.ProcessName)
		case "taskName":
			err = d.strField("taskName", &o.TaskName)
		case "exc_text":
			err = d.strField("exc_text", &r.ErrText)
		case "stack_info":
			err = d.strField("stack_info", &r.Stack)
		case "lineno":
			var v int64
			_, err = d.intField("lineno", &v)
			if err == nil && (v < math.MinInt32 || v > math.MaxInt32) {
				err = fmt.Errorf("%w: lineno %d out of range", ErrBadRecord, v)
			}
			o.Lineno = int(v)
		case "thread":
			_, err = d.intField("thread", &o.Thread)
		case "process":
			_, err = d.intField("process", &o.Process)
		case "relativeCreated":
			err = d.floatField("relativeCreated", &o.RelativeCreated)
		case "created":
			var f float64
			if err = d.floatField("created", &f); err == nil {
				r.Time, err = timeFromCreated(f)
			}
		case "args", "msecs", "exc_info", "message", "asctime":
			d.skip()
		default:
			var v slog.Value
			v, err = d.value()
			attrs = append(attrs, slog.Attr{Key: strings.TrimPrefix(validText(k), EscapePrefix), Value: v})
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
	r.Origin = o
	r.AddAttrs(normalize(attrs)...)
	return r, nil
}

// decoder reads a msgpack value that checkMsgpack has accepted: every
// length and count fits in what remains, containers nest at most
// defaultMaxDepth deep (so the recursion of value and anyValue is bounded),
// and the only extension is a well-formed timestamp. Strings are slices of
// s, the payload's one copy as text.
type decoder struct {
	s   string
	pos int
}

func (d *decoder) peek() byte { return d.s[d.pos] }

// uint reads an n-byte big-endian unsigned integer.
func (d *decoder) uint(n int) uint64 {
	var v uint64
	for _, c := range []byte(d.s[d.pos : d.pos+n]) {
		v = v<<8 | uint64(c)
	}
	d.pos += n
	return v
}

// mapLen reads a map header (the caller checked the code) and returns its
// number of entries.
func (d *decoder) mapLen() int {
	c := d.s[d.pos]
	d.pos++
	switch c {
	case 0xde:
		return int(d.uint(2))
	case 0xdf:
		return int(d.uint(4))
	}
	return int(c & 0x0f)
}

// arrayLen reads an array header.
func (d *decoder) arrayLen() int {
	c := d.s[d.pos]
	d.pos++
	switch c {
	case 0xdc:
		return int(d.uint(2))
	case 0xdd:
		return int(d.uint(4))
	}
	return int(c & 0x0f)
}

// rawStr reads a str or bin as it is (a slice of s).
func (d *decoder) rawStr() string {
	c := d.s[d.pos]
	d.pos++
	var n int
	switch c {
	case 0xd9, 0xc4:
		n = int(d.uint(1))
	case 0xda, 0xc5:
		n = int(d.uint(2))
	case 0xdb, 0xc6:
		n = int(d.uint(4))
	default:
		n = int(c & 0x1f)
	}
	s := d.s[d.pos : d.pos+n]
	d.pos += n
	return s
}

// text reads a str, with invalid UTF-8 replaced.
func (d *decoder) text() string { return validText(d.rawStr()) }

// integer reads an integer (the caller checked isIntCode or 0xcf) as its
// two's complement bits: 0xcf above math.MaxInt64 comes back negative.
func (d *decoder) integer() int64 {
	c := d.s[d.pos]
	d.pos++
	switch c {
	case 0xcc:
		return int64(d.uint(1))
	case 0xcd:
		return int64(d.uint(2))
	case 0xce:
		return int64(d.uint(4))
	case 0xcf:
		return int64(d.uint(8))
	case 0xd0:
		return int64(int8(d.uint(1)))
	case 0xd1:
		return int64(int16(d.uint(2)))
	case 0xd2:
		return int64(int32(d.uint(4)))
	case 0xd3:
		return int64(d.uint(8))
	}
	return int64(int8(c)) // fixints
}

// float reads a float32 or float64.
func (d *decoder) float() float64 {
	c := d.s[d.pos]
	d.pos++
	if c == 0xca {
		return float64(math.Float32frombits(uint32(d.uint(4))))
	}
	return math.Float64frombits(d.uint(8))
}

// timestamp reads the timestamp extension as its RFC 3339 text, UTC.
func (d *decoder) timestamp() string {
	c := d.s[d.pos]
	d.pos++
	var n int
	switch c {
	case 0xd6:
		n = 4
	case 0xd7:
		n = 8
	case 0xd8:
		n = 16
	case 0xc7:
		n = int(d.uint(1))
	case 0xc8:
		n = int(d.uint(2))
	default: // 0xc9
		n = int(d.uint(4))
	}
	d.pos++ // the type, -1
	var sec, nsec int64
	switch n {
	case 4:
		sec = int64(d.uint(4))
	case 8:
		v := d.uint(8)
		sec, nsec = int64(v&(1<<34-1)), int64(v>>34)
	default: // 12
		nsec = int64(d.uint(4))
		sec = int64(d.uint(8))
	}
	return time.Unix(sec, nsec).UTC().Format(time.RFC3339Nano)
}

// skip passes over one value.
func (d *decoder) skip() {
	for todo := 1; todo > 0; todo-- {
		c := d.s[d.pos]
		switch {
		case isMapCode(c):
			todo += 2 * d.mapLen()
		case isArrayCode(c):
			todo += d.arrayLen()
		case isStrCode(c) || isBinCode(c):
			d.rawStr()
		case c == 0xc0 || c == 0xc2 || c == 0xc3:
			d.pos++
		case c == 0xca || c == 0xcb:
			d.float()
		case isIntCode(c) || c == 0xcf:
			d.integer()
		default:
			d.timestamp()
		}
	}
}

// value reads an attribute's value; a map becomes a group.
func (d *decoder) value() (slog.Value, error) {
	c := d.s[d.pos]
	switch {
	case isStrCode(c):
		return slog.StringValue(d.text()), nil
	case c == 0xcf:
		if u := uint64(d.integer()); u > math.MaxInt64 {
			return slog.Uint64Value(u), nil
		} else {
			return slog.Int64Value(int64(u)), nil
		}
	case isIntCode(c):
		return slog.Int64Value(d.integer()), nil
	case c == 0xca || c == 0xcb:
		return slog.Float64Value(d.float()), nil
	case c == 0xc2 || c == 0xc3:
		d.pos++
		return slog.BoolValue(c == 0xc3), nil
	case isMapCode(c):
		n := d.mapLen()
		attrs := make([]slog.Attr, 0, n)
		for range n {
			k, err := d.scalarText("map key", "None")
			if err != nil {
				return slog.Value{}, err
			}
			v, err := d.value()
			if err != nil {
				return slog.Value{}, err
			}
			attrs = append(attrs, slog.Attr{Key: k, Value: v})
		}
		return slog.GroupValue(normalize(attrs)...), nil
	case isStrCode(c) || c == 0xc0 || isBinCode(c) || isArrayCode(c):
	default: // the timestamp
		return slog.StringValue(d.timestamp()), nil
	}
	x, err := d.anyValue()
	if err != nil {
		return slog.Value{}, err
	}
	return slog.AnyValue(x), nil
}

// anyValue reads any value into nil, bool, int64, uint64 (above
// math.MaxInt64 only), float64, string, []byte, []any or map[string]any.
func (d *decoder) anyValue() (any, error) {
	c := d.s[d.pos]
	switch {
	case c == 0xc0:
		d.pos++
		return nil, nil
	case c == 0xc2 || c == 0xc3:
		d.pos++
		return c == 0xc3, nil
	case c == 0xcf:
		if u := uint64(d.integer()); u > math.MaxInt64 {
			return u, nil
		} else {
			return int64(u), nil
		}
	case isIntCode(c):
		return d.integer(), nil
	case c == 0xca || c == 0xcb:
		return d.float(), nil
	case isStrCode(c):
		return d.text(), nil
	case isBinCode(c):
		return []byte(d.rawStr()), nil
	case isArrayCode(c):
		a := make([]any, d.arrayLen())
		for i := range a {
			var err error
			if a[i], err = d.anyValue(); err != nil {
				return nil, err
			}
		}
		return a, nil
	case isMapCode(c):
		n := d.mapLen()
		if n == 0 {
			return map[string]any(nil), nil
		}
		m := make(map[string]any, n)
		for range n {
			k, err := d.scalarText("map key", "None")
			if err != nil {
				return nil, err
			}
			if m[k], err = d.anyValue(); err != nil {
				return nil, err
			}
		}
		return m, nil
	}
	return d.timestamp(), nil
}

// scalarText reads a string or a scalar as Python's str() writes it (True,
// False, numbers), nil as nilText; an array or map is an error naming what.
func (d *decoder) scalarText(what, nilText string) (string, error) {
	c := d.s[d.pos]
	switch {
	case isStrCode(c) || isBinCode(c):
		return d.text(), nil
	case isArrayCode(c) || isMapCode(c):
		return "", fmt.Errorf("%w: %s is %s, want a string or a scalar", ErrBadRecord, what, codeName(c))
	case c == 0xc0:
		d.pos++
		return nilText, nil
	case c == 0xc2:
		d.pos++
		return "False", nil
	case c == 0xc3:
		d.pos++
		return "True", nil
	case c == 0xcf:
		return strconv.FormatUint(uint64(d.integer()), 10), nil
	case isIntCode(c):
		return strconv.FormatInt(d.integer(), 10), nil
	case c == 0xca || c == 0xcb:
		return strconv.FormatFloat(d.float(), 'g', -1, 64), nil
	}
	return d.timestamp(), nil
}

// strField reads a str or nil into *dst.
func (d *decoder) strField(key string, dst *string) error {
	switch c := d.s[d.pos]; {
	case c == 0xc0:
		d.pos++
		*dst = ""
		return nil
	case isStrCode(c):
		*dst = d.text()
		return nil
	default:
		return fmt.Errorf("%w: %s is %s, want a string or nil", ErrBadRecord, key, codeName(c))
	}
}

// intField reads an int or nil into *dst; ok is false for nil.
func (d *decoder) intField(key string, dst *int64) (ok bool, err error) {
	switch c := d.s[d.pos]; {
	case c == 0xc0:
		d.pos++
		*dst = 0
		return false, nil
	case c == 0xcf:
		u := uint64(d.integer())
		*dst = int64(u)
		if u > math.MaxInt64 {
			return true, fmt.Errorf("%w: %s %d out of range", ErrBadRecord, key, u)
		}
		return true, nil
	case isIntCode(c):
		*dst = d.integer()
		return true, nil
	default:
		return false, fmt.Errorf("%w: %s is %s, want an integer or nil", ErrBadRecord, key, codeName(c))
	}
}

// floatField reads a float, an int or nil into *dst.
func (d *decoder) floatField(key string, dst *float64) error {
	switch c := d.s[d.pos]; {
	case c == 0xc0:
		d.pos++
		*dst = 0
	case c == 0xcf:
		*dst = float64(uint64(d.integer()))
	case isIntCode(c):
		*dst = float64(d.integer())
	case c == 0xca || c == 0xcb:
		*dst = d.float()
	default:
		return fmt.Errorf("%w: %s is %s, want a number or nil", ErrBadRecord, key, codeName(c))
	}
	return nil
}

// normalize puts decoded attributes in their canonical form: groups under
// the empty key inlined, empty attributes dropped by Skip's rules, sorted by
// key, the last of equal keys kept.
func normalize(attrs []slog.Attr) []slog.Attr {
	if canonical(attrs) {
		return attrs
	}
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
	sortByKey(out)
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

// canonical reports whether attrs are already as normalize leaves them:
// keys not empty and strictly increasing, no group (which may be empty).
func canonical(attrs []slog.Attr) bool {
	for i, a := range attrs {
		if a.Key == "" || a.Value.Kind() == slog.KindGroup || (i > 0 && attrs[i-1].Key >= a.Key) {
			return false
		}
	}
	return true
}

// sortByKey sorts attrs by key, stably: by insertion when they are few (a
// record's usual handful), else by slices.SortStableFunc.
func sortByKey(attrs []slog.Attr) {
	if len(attrs) > 12 {
		slices.SortStableFunc(attrs, func(a, b slog.Attr) int { return strings.Compare(a.Key, b.Key) })
		return
	}
	for i := 1; i < len(attrs); i++ {
		for j := i; j > 0 && attrs[j].Key < attrs[j-1].Key; j-- {
			attrs[j], attrs[j-1] = attrs[j-1], attrs[j]
		}
	}
}

func validText(s string) string {
	if !utf8.ValidString(s) {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
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
