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
// Record. It checks the structure in the same pass as it decodes, and
// returns nothing of a payload that fails: every declared length and count
// must fit in the bytes that remain (a count is checked, against the values
// still expected at a byte each, before anything is made for it),
// containers may nest at most 32 deep, the only extension is the msgpack
// timestamp, and exactly one value fills the payload (else an error
// wrapping ErrMalformed or ErrTooDeep, naming the offset). So no input can
// make it allocate more than a small multiple of len(payload) (measured: 16
// times for most shapes; about 90 times for an array of one-entry maps,
// each becoming a Go map) or recurse deeper than that nesting, and it never
// panics. The top level must be a map with string keys. A payload with a
// fault of structure and a field of the wrong type reports the fault of
// structure, as a check of the whole structure before decoding would.
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
	// One copy of the payload as text: every string of the record is a
	// slice of it, so a frame costs one allocation for its text.
	var r Record
	err := decode(string(payload), nil, new(Origin), &r)
	return r, err
}

// A Decoder decodes wire maps exactly as DecodeMsgpack does, with fewer
// allocations, for a stream of records from one sender (a connection). A
// text equal to the same field's in the previous record (the logger name,
// the caller, an attribute's key or string value at the same place) is
// shared with that record, and its UTF-8 is not checked again; other text is
// copied into blocks of 4 KiB shared by many records (a text longer than 1
// KiB gets its own). A record whose caller, thread and process are the
// previous record's (and valid UTF-8) shares its Origin (each record keeps
// its own relativeCreated: Origin.RelativeCreated is left 0, and
// Record.RelativeCreated reads it); other Origins come in blocks of 16. A
// block stays in memory while any record made from it does, so a record
// kept long (a Memory handler's buffer) may keep up to 4 KiB of its
// neighbours' text alive. The zero Decoder is ready; it must not be used
// by two goroutines at once. The records it returns are independent of it
// and of the payloads.
type Decoder struct {
	text    []byte   // written once per byte; strings alias what is written
	origins []Origin // the Origins not handed out yet
	prev    *Origin  // the previous record's Origin, shared while equal
	// last holds the previous record's text of each slot (see numSlots),
	// valid UTF-8, stored in text.
	last [numSlots]string
	// order is the order normalize put the previous record's attributes
	// in, valid for orderFor attributes (-1: none) with the keys in
	// last; a record with the same keys takes it without sorting.
	order    []uint8
	orderBuf [maxAttrSlots]uint8
	orderFor int
	// place is the inverse of order when order keeps every attribute of
	// at most nInline (no key repeated): where the attribute at each
	// place of the wire map lands in the record.
	place [nInline]uint8
	// The previous record's caller (pathname to funcName) and process
	// (thread to taskName) entries, which mostly stay the same from
	// record to record of one sender: their bytes as a run, and what
	// fixedFields read from them. A run equal to the input takes the
	// values in one compare of the run. The values are those of the
	// bytes alone; they are forgotten with the rest of the cache when a
	// record fails, whose text is taken back.
	callerRun []byte
	caller    callerValues
	procRun   []byte
	proc      procValues
}

// callerValues are what fixedFields read from a run of caller entries.
type callerValues struct {
	pathname, filename, module, errText, stack, funcName string
	lineno                                               int
}

// procValues are what fixedFields read from a run of process entries.
type procValues struct {
	threadName, processName, taskName string
	thread, process                   int64
}

// maxRun bounds the runs a Decoder keeps.
const maxRun = 512

// Sizes of a Decoder's blocks.
const (
	textBlock    = 4 << 10
	ownText      = 1 << 10 // a text longer than this gets its own string
	originsBlock = 16
)

// Decode decodes one wire map as DecodeMsgpack does. The payload is read
// in place: nothing of the record aliases it.
func (dc *Decoder) Decode(payload []byte) (Record, error) {
	var r Record
	err := dc.DecodeInto(&r, payload)
	return r, err
}

// DecodeInto is Decode into *r, which it overwrites (the zero Record on
// error): a receiver fills the record it hands on without copying it from a
// result.
func (dc *Decoder) DecodeInto(r *Record, payload []byte) error {
	if len(dc.origins) == 0 {
		dc.origins = make([]Origin, originsBlock)
	}
	block, mark := unsafe.SliceData(dc.text), len(dc.text)
	err := decode(unsafe.String(unsafe.SliceData(payload), len(payload)), dc, &dc.origins[0], r)
	if err != nil {
		dc.origins[0] = Origin{}
		// Take back the text kept for the failed record, which nothing
		// else aliases, and forget what the cache learnt from it.
		if unsafe.SliceData(dc.text) == block {
			dc.text = dc.text[:mark]
		}
		dc.last = [numSlots]string{}
		dc.order, dc.orderFor = nil, 0
		dc.callerRun, dc.procRun = dc.callerRun[:0], dc.procRun[:0]
		return err
	}
	if o := &dc.origins[0]; dc.prev != nil && sameText(dc.prev, o) {
		// The same caller, thread and process as the previous record
		// (their text shared through the cache and the runs): share its
		// Origin, which nothing changes once made.
		r.Origin = dc.prev
		*o = Origin{}
		return nil
	}
	dc.prev = &dc.origins[0]
	dc.origins = dc.origins[1:]
	return nil
}

// sameText reports whether a and b have the same numbers and the very same
// text (the same bytes in memory, not only equal ones): the fields a
// Decoder takes from its cache and runs are, and then Origins compare with
// no call; equal text elsewhere in memory only leaves an Origin unshared.
func sameText(a, b *Origin) bool {
	same := func(x, y string) bool {
		return len(x) == len(y) && (len(x) == 0 || unsafe.StringData(x) == unsafe.StringData(y))
	}
	return a.Lineno == b.Lineno && a.Thread == b.Thread && a.Process == b.Process &&
		a.RelativeCreated == b.RelativeCreated && a.relInRecord == b.relInRecord &&
		same(a.Pathname, b.Pathname) && same(a.Filename, b.Filename) && same(a.Module, b.Module) &&
		same(a.FuncName, b.FuncName) && same(a.ThreadName, b.ThreadName) &&
		same(a.ProcessName, b.ProcessName) && same(a.TaskName, b.TaskName)
}

// keep returns a copy of s that lives in the Decoder's text blocks.
func (dc *Decoder) keep(s string) string {
	if len(s) == 0 {
		return ""
	}
	if len(s) > ownText {
		return strings.Clone(s)
	}
	if cap(dc.text)-len(dc.text) < len(s) {
		dc.text = make([]byte, 0, textBlock)
	}
	n := len(dc.text)
	dc.text = append(dc.text, s...)
	// The bytes at n: are never written again while a record may alias
	// them (the block only grows, then is replaced; a failed decode's
	// text, which no record aliases, is taken back), so they may be read
	// as an immutable string.
	return unsafe.String(&dc.text[n], len(s))
}

// Slots of a Decoder's cache of the previous record's text: the LogRecord
// string fields by their wireField, then the key and string value of each
// of the first maxAttrSlots top-level attributes.
const (
	maxAttrSlots = 16
	attrSlots    = int(fIgnored) + 1
	numSlots     = attrSlots + 2*maxAttrSlots
	noSlot       = -1
)

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

// errFault is what decodeText reports for a fault of structure; decode
// replaces it with checkWire's account of the fault.
var errFault = fmt.Errorf("%w: fault of structure", ErrMalformed)

// decode decodes a payload given as text, filling *o (which must be zero)
// as the record's Origin. With a Decoder, text is the caller's payload,
// read in place, and what the record keeps is copied (Decoder.keep);
// without, text is the record's own copy. On failure the error is checkWire's when the
// structure has a fault anywhere, so that the error does not depend on
// which of a structural fault and a bad field comes first: one walk, and a
// second only for a payload that fails.
func decode(text string, dc *Decoder, o *Origin, r *Record) error {
	*r = Record{}
	if err := decodeText(text, dc, o, r); err != nil {
		*r = Record{}
		if serr := checkWire(unsafe.Slice(unsafe.StringData(text), len(text))); serr != nil {
			return serr
		}
		return err
	}
	return nil
}

// decodeText decodes and checks a payload given as text in one pass (see
// decoder) into *r, which must be the zero Record, filling *o (which must
// be zero) as its Origin. On error *r is left half made.
func decodeText(text string, dc *Decoder, o *Origin, r *Record) error {
	d := decoder{s: text, dc: dc, pending: 1}
	var n int
	if len(text) >= 3 && text[0] == 0xde {
		// AppendMsgpack's map16 header, read as mapLen reads it.
		if n = int(text[1])<<8 | int(text[2]); 2*n > len(text)-3 {
			return errFault
		}
		d.pos, d.pending = 3, 2*n
	} else {
		if !isMapCode(d.peek()) {
			return errFault // checkWire names it
		}
		n = d.mapLen(1)
	}
	var (
		lv       levelFields
		buf      [2 * nInline]slog.Attr
		err      error
		sameKeys = dc != nil // every attribute's key is the previous record's at its place
		plain    = true      // every key set, no value a group: the order depends on the keys alone
		// While the attributes are the previous record's keys in the
		// same places, plain, and no more than it had, each goes
		// straight to its place in the record (placed so far), with no
		// copy into attrs and out again in order.
		direct = dc != nil && dc.order != nil && len(dc.order) == dc.orderFor && dc.orderFor <= nInline
		placed int
	)
	attrs := buf[:0]
	i := 0
	if n >= numFields {
		i = d.fixedFields(r, o, &lv)
		d.pending = 2 * (n - i)
	}
	for ; i < n; i++ {
		if sameKeys && len(attrs) < maxAttrSlots {
			// The previous record's key at this attribute's place, which
			// is an attribute's (fieldOf is the same at every place), and
			// is kept already.
			ai := len(attrs) + placed
			if last := dc.last[attrSlots+2*ai]; d.atStr(last) {
				k := strings.TrimPrefix(last, EscapePrefix)
				v, ok := d.fastValue(attrSlots + 2*ai + 1)
				if !ok {
					if v, err = d.value(2, attrSlots+2*ai+1); err != nil {
						return err
					}
					if v.Kind() == slog.KindGroup {
						plain = false
					}
				}
				if k == "" {
					plain = false
				}
				if direct && plain && ai < dc.orderFor {
					// Field by field: a whole Attr built first and
					// copied would be written in words and read back
					// in 16-byte moves, which stall on the stores.
					a := &r.front[dc.place[ai]]
					a.Key, a.Value = k, v
					placed++
					continue
				}
				if direct {
					attrs, direct, placed = unplace(r, &dc.place, placed, attrs), false, 0
				}
				attrs = appendAttr(attrs, k, v)
				continue
			}
		}
		if direct {
			attrs, direct, placed = unplace(r, &dc.place, placed, attrs), false, 0
		}
		c := d.peek()
		if !isStrCode(c) {
			return fmt.Errorf("%w: top-level key %d is %s, want a string", ErrBadRecord, i, codeName(c))
		}
		k := d.rawStr()
		switch fieldOf(k, i) {
		case fName:
			err = d.strField("name", int(fName), &r.Logger)
			if r.Logger == rootName {
				r.Logger = ""
			}
		case fMsg:
			r.Message, err = d.scalarText("msg", "", int(fMsg))
		case fLevelname:
			err = d.strField("levelname", int(fLevelname), &lv.name)
		case fLevelno:
			lv.hasNo, err = d.intField("levelno", &lv.no)
		case fPathname:
			err = d.strField("pathname", int(fPathname), &o.Pathname)
		case fFilename:
			err = d.strField("filename", int(fFilename), &o.Filename)
		case fModule:
			err = d.strField("module", int(fModule), &o.Module)
		case fFuncName:
			err = d.strField("funcName", int(fFuncName), &o.FuncName)
		case fThreadName:
			err = d.strField("threadName", int(fThreadName), &o.ThreadName)
		case fProcessName:
			err = d.strField("processName", int(fProcessName), &o.ProcessName)
		case fTaskName:
			err = d.strField("taskName", int(fTaskName), &o.TaskName)
		case fExcText:
			err = d.strField("exc_text", int(fExcText), &r.ErrText)
		case fStackInfo:
			err = d.strField("stack_info", int(fStackInfo), &r.Stack)
		case fLineno:
			var v int64
			_, err = d.intField("lineno", &v)
			if err == nil && (v < math.MinInt32 || v > math.MaxInt32) {
				err = fmt.Errorf("%w: lineno %d out of range", ErrBadRecord, v)
			}
			o.Lineno = int(v)
		case fThread:
			_, err = d.intField("thread", &o.Thread)
		case fProcess:
			_, err = d.intField("process", &o.Process)
		case fRelativeCreated:
			if dc != nil {
				err = d.floatField("relativeCreated", &r.rel)
			} else {
				err = d.floatField("relativeCreated", &o.RelativeCreated)
			}
		case fCreated:
			var f float64
			if err = d.floatField("created", &f); err == nil && !d.bad {
				r.Time, err = timeFromCreated(f)
			}
		case fIgnored:
			d.skip(2)
		default:
			kslot, vslot := noSlot, noSlot
			if ai := len(attrs); ai < maxAttrSlots {
				kslot, vslot = attrSlots+2*ai, attrSlots+2*ai+1
			}
			if sameKeys && (kslot < 0 || dc.last[kslot] != k) {
				sameKeys = false
			}
			k = strings.TrimPrefix(d.keepText(k, kslot), EscapePrefix)
			var v slog.Value
			v, err = d.value(2, vslot)
			if k == "" || v.Kind() == slog.KindGroup {
				plain = false
			}
			attrs = append(attrs, slog.Attr{Key: k, Value: v})
		}
		if err != nil {
			return err
		}
	}
	if d.bad || d.pos != len(d.s) {
		return errFault
	}
	switch {
	case lv.hasNo:
		if lv.no < math.MinInt32 || lv.no > math.MaxInt32 {
			return fmt.Errorf("%w: levelno %d out of range", ErrBadRecord, lv.no)
		}
		r.Level = Level(lv.no)
	case lv.name != "":
		if l, ok := ParseLevel(lv.name); ok {
			r.Level = l
		} else if l, err := strconv.Atoi(strings.TrimPrefix(lv.name, "Level ")); err == nil {
			r.Level = Level(l)
		}
	}
	r.Origin = o
	o.relInRecord = dc != nil
	if direct {
		if placed == dc.orderFor {
			r.nFront = placed
			return nil
		}
		attrs = unplace(r, &dc.place, placed, attrs) // fewer than before
	}
	if dc == nil || !plain || len(attrs) > maxAttrSlots {
		if dc != nil {
			dc.order, dc.orderFor = nil, 0
		}
		r.AddAttrs(normalize(attrs)...)
		return nil
	}
	// The previous record's keys, in the same places: the same order.
	if !sameKeys || dc.order == nil || dc.orderFor != len(attrs) {
		dc.order, dc.orderFor = plainOrder(attrs, dc.orderBuf[:0]), len(attrs)
		if len(dc.order) == len(attrs) && len(attrs) <= nInline {
			for j, x := range dc.order {
				dc.place[x] = uint8(j)
			}
		}
	}
	for _, i := range dc.order {
		r.AddAttrs(attrs[i])
	}
	return nil
}

// appendAttr appends the attribute k, v to attrs field by field (see
// decodeText).
func appendAttr(attrs []slog.Attr, k string, v slog.Value) []slog.Attr {
	attrs = append(attrs, slog.Attr{})
	a := &attrs[len(attrs)-1]
	a.Key, a.Value = k, v
	return attrs
}

// unplace appends to attrs, in the order of the wire map, the first placed
// attributes decodeText put straight into r.front at their places, and
// clears them from r.
func unplace(r *Record, place *[nInline]uint8, placed int, attrs []slog.Attr) []slog.Attr {
	for j := range placed {
		attrs = append(attrs, r.front[place[j]])
	}
	r.front = [nInline]slog.Attr{}
	return attrs
}

// levelFields are the wire fields the level is made of.
type levelFields struct {
	no    int64
	hasNo bool // levelno was an integer
	name  string
}

// fixedFields reads the LogRecord fields AppendMsgpack writes, in its order,
// from the first entry of the top-level map (of numFields entries or more),
// for as long as each key is the one expected at its place and its value
// of the usual type and in range, and returns how many entries it read.
// It stops before the first entry that is not so, for decodeText's general
// loop to read with its checks and errors; so it reports nothing, and what
// it stored before is stored again or dropped with the record. It reads
// no container, and leaves the decoder's count of pending values to the
// caller. Each key is compared where it is expected as a constant, which
// the compiler turns into a word compare or two (a helper taking the key
// would call memequal).
func (d *decoder) fixedFields(r *Record, o *Origin, lv *levelFields) int {
	var (
		read  int // entries read
		start = d.pos
		v     int64
		f     float64
		ok    bool
		err   error
		dc    = d.dc
		run   int // where a run starts
	)
	if rest := d.s[d.pos:]; len(rest) < len(wName) || rest[:len(wName)] != wName {
		goto out
	}
	d.pos += len(wName)
	if !d.fastText(int(fName), &r.Logger) {
		goto out
	}
	if r.Logger == rootName {
		r.Logger = ""
	}
	read, start = read+1, d.pos
	if rest := d.s[d.pos:]; len(rest) < len(wMsg) || rest[:len(wMsg)] != wMsg {
		goto out
	}
	d.pos += len(wMsg)
	if !d.fastText(int(fMsg), &r.Message) {
		goto out
	}
	read, start = read+1, d.pos
	if rest := d.s[d.pos:]; len(rest) < len(wArgs+"\xc0") || rest[:len(wArgs+"\xc0")] != wArgs+"\xc0" {
		goto out
	}
	d.pos += len(wArgs + "\xc0")
	read, start = read+1, d.pos
	if rest := d.s[d.pos:]; len(rest) < len(wLevelname) || rest[:len(wLevelname)] != wLevelname {
		goto out
	}
	d.pos += len(wLevelname)
	if !d.fastText(int(fLevelname), &lv.name) {
		goto out
	}
	read, start = read+1, d.pos
	if rest := d.s[d.pos:]; len(rest) < len(wLevelno) || rest[:len(wLevelno)] != wLevelno {
		goto out
	}
	d.pos += len(wLevelno)
	if v, ok = d.fastInt(); !ok {
		goto out
	}
	lv.no, lv.hasNo = v, true
	read, start = read+1, d.pos
	if dc != nil && len(dc.callerRun) > 0 {
		if rest := d.s[d.pos:]; len(rest) >= len(dc.callerRun) && rest[:len(dc.callerRun)] == string(dc.callerRun) {
			c := &dc.caller
			o.Pathname, o.Filename, o.Module, o.FuncName, o.Lineno = c.pathname, c.filename, c.module, c.funcName, c.lineno
			r.ErrText, r.Stack = c.errText, c.stack
			d.pos += len(dc.callerRun)
			read, start = read+7, d.pos
			goto times
		}
	}
	run = d.pos
	if rest := d.s[d.pos:]; len(rest) < len(wPathname) || rest[:len(wPathname)] != wPathname {
		goto out
	}
	d.pos += len(wPathname)
	if !d.fastText(int(fPathname), &o.Pathname) {
		goto out
	}
	read, start = read+1, d.pos
	if rest := d.s[d.pos:]; len(rest) < len(wFilename) || rest[:len(wFilename)] != wFilename {
		goto out
	}
	d.pos += len(wFilename)
	if !d.fastText(int(fFilename), &o.Filename) {
		goto out
	}
	read, start = read+1, d.pos
	if rest := d.s[d.pos:]; len(rest) < len(wModule) || rest[:len(wModule)] != wModule {
		goto out
	}
	d.pos += len(wModule)
	if !d.fastText(int(fModule), &o.Module) {
		goto out
	}
	read, start = read+1, d.pos
	if rest := d.s[d.pos:]; len(rest) < len(wExcText) || rest[:len(wExcText)] != wExcText {
		goto out
	}
	d.pos += len(wExcText)
	if !d.fastText(int(fExcText), &r.ErrText) {
		goto out
	}
	read, start = read+1, d.pos
	if rest := d.s[d.pos:]; len(rest) < len(wStackInfo) || rest[:len(wStackInfo)] != wStackInfo {
		goto out
	}
	d.pos += len(wStackInfo)
	if !d.fastText(int(fStackInfo), &r.Stack) {
		goto out
	}
	read, start = read+1, d.pos
	if rest := d.s[d.pos:]; len(rest) < len(wLineno) || rest[:len(wLineno)] != wLineno {
		goto out
	}
	d.pos += len(wLineno)
	if v, ok = d.fastInt(); !ok || v < math.MinInt32 || v > math.MaxInt32 {
		goto out
	}
	o.Lineno = int(v)
	read, start = read+1, d.pos
	if rest := d.s[d.pos:]; len(rest) < len(wFuncName) || rest[:len(wFuncName)] != wFuncName {
		goto out
	}
	d.pos += len(wFuncName)
	if !d.fastText(int(fFuncName), &o.FuncName) {
		goto out
	}
	read, start = read+1, d.pos
	if dc != nil && d.pos-run <= maxRun {
		dc.callerRun = append(dc.callerRun[:0], d.s[run:d.pos]...)
		dc.caller = callerValues{pathname: o.Pathname, filename: o.Filename, module: o.Module, errText: r.ErrText,
			stack: r.Stack, funcName: o.FuncName, lineno: o.Lineno}
	}
times:
	if rest := d.s[d.pos:]; len(rest) < len(wCreated+"\xcb") || rest[:len(wCreated+"\xcb")] != wCreated+"\xcb" {
		goto out
	}
	d.pos += len(wCreated + "\xcb")
	if f, ok = d.float64At(); !ok {
		goto out
	}
	if r.Time, err = timeFromCreated(f); err != nil {
		goto out
	}
	read, start = read+1, d.pos
	if rest := d.s[d.pos:]; len(rest) < len(wMsecs+"\xcb") || rest[:len(wMsecs+"\xcb")] != wMsecs+"\xcb" {
		goto out
	}
	d.pos += len(wMsecs + "\xcb")
	if _, ok = d.float64At(); !ok {
		goto out
	}
	read, start = read+1, d.pos
	if rest := d.s[d.pos:]; len(rest) < len(wRelativeCreated) || rest[:len(wRelativeCreated)] != wRelativeCreated {
		goto out
	}
	d.pos += len(wRelativeCreated)
	if d.pos >= len(d.s) || d.s[d.pos] != 0xcb {
		goto out
	}
	d.pos++
	if f, ok = d.float64At(); !ok {
		goto out
	}
	if d.dc != nil {
		r.rel = f
	} else {
		o.RelativeCreated = f
	}
	read, start = read+1, d.pos
	if dc != nil && len(dc.procRun) > 0 {
		if rest := d.s[d.pos:]; len(rest) >= len(dc.procRun) && rest[:len(dc.procRun)] == string(dc.procRun) {
			p := &dc.proc
			o.Thread, o.ThreadName, o.ProcessName, o.Process, o.TaskName = p.thread, p.threadName, p.processName, p.process, p.taskName
			d.pos += len(dc.procRun)
			return read + 5
		}
	}
	run = d.pos
	if rest := d.s[d.pos:]; len(rest) < len(wThread) || rest[:len(wThread)] != wThread {
		goto out
	}
	d.pos += len(wThread)
	if v, ok = d.fastInt(); !ok {
		goto out
	}
	o.Thread = v
	read, start = read+1, d.pos
	if rest := d.s[d.pos:]; len(rest) < len(wThreadName) || rest[:len(wThreadName)] != wThreadName {
		goto out
	}
	d.pos += len(wThreadName)
	if !d.fastText(int(fThreadName), &o.ThreadName) {
		goto out
	}
	read, start = read+1, d.pos
	if rest := d.s[d.pos:]; len(rest) < len(wProcessName) || rest[:len(wProcessName)] != wProcessName {
		goto out
	}
	d.pos += len(wProcessName)
	if !d.fastText(int(fProcessName), &o.ProcessName) {
		goto out
	}
	read, start = read+1, d.pos
	if rest := d.s[d.pos:]; len(rest) < len(wProcess) || rest[:len(wProcess)] != wProcess {
		goto out
	}
	d.pos += len(wProcess)
	if v, ok = d.fastInt(); !ok {
		goto out
	}
	o.Process = v
	read, start = read+1, d.pos
	if rest := d.s[d.pos:]; len(rest) < len(wTaskName) || rest[:len(wTaskName)] != wTaskName {
		goto out
	}
	d.pos += len(wTaskName)
	if !d.fastText(int(fTaskName), &o.TaskName) {
		goto out
	}
	read, start = read+1, d.pos
	if dc != nil && d.pos-run <= maxRun {
		dc.procRun = append(dc.procRun[:0], d.s[run:d.pos]...)
		dc.proc = procValues{thread: o.Thread, threadName: o.ThreadName, processName: o.ProcessName,
			process: o.Process, taskName: o.TaskName}
	}
out:
	if !d.bad {
		d.pos = start
	}
	return read
}

// atStr reads the str k when the input goes on with it; k is a key kept
// from the previous record, and a fixstr when the sender writes it again.
func (d *decoder) atStr(k string) bool {
	p := d.pos
	if len(k) < 32 && len(d.s)-p > len(k) && d.s[p] == 0xa0|byte(len(k)) && d.s[p+1:p+1+len(k)] == k {
		d.pos = p + 1 + len(k)
		d.pending--
		return true
	}
	return false
}

// fastText reads a nil or a str shorter than 256 bytes as keepText keeps it
// (slot is its cache slot, which it compares first) into *dst; false, with
// nothing read, for any other value.
func (d *decoder) fastText(slot int, dst *string) bool {
	s, p := d.s, d.pos
	if p >= len(s) {
		return false
	}
	var raw string
	switch c := s[p]; {
	case c&0xe0 == 0xa0:
		n := int(c & 0x1f)
		if n >= len(s)-p {
			return false
		}
		raw = s[p+1 : p+1+n]
		d.pos = p + 1 + n
	case c == 0xc0:
		*dst = ""
		d.pos = p + 1
		return true
	case c == 0xd9 && len(s)-p > 1:
		n := int(s[p+1])
		if n > len(s)-p-2 {
			return false
		}
		raw = s[p+2 : p+2+n]
		d.pos = p + 2 + n
	default:
		return false
	}
	if dc := d.dc; dc != nil && dc.last[slot] == raw {
		*dst = dc.last[slot]
	} else {
		*dst = d.keepText(raw, slot)
	}
	return true
}

// fastInt reads an integer of a code isIntCode accepts; false, with nothing
// read, for any other value, or after a fault (an integer cut short), which
// the caller's general path then meets.
func (d *decoder) fastInt() (int64, bool) {
	if d.pos >= len(d.s) {
		return 0, false
	}
	c := d.s[d.pos]
	if c <= 0x7f {
		d.pos++
		d.pending--
		return int64(c), true
	}
	if !isIntCode(c) {
		return 0, false
	}
	v := d.integer()
	return v, !d.bad
}

// float64At reads the 8 bytes of a float64 whose code was read; false,
// with nothing read, at the end of the input.
func (d *decoder) float64At() (float64, bool) {
	if len(d.s)-d.pos < 8 {
		return 0, false
	}
	f := math.Float64frombits(be64(d.s[d.pos:]))
	d.pos += 8
	return f, true
}

// be64 is the first eight bytes of s as a big-endian word: one load.
func be64(s string) uint64 {
	_ = s[7]
	return uint64(s[7]) | uint64(s[6])<<8 | uint64(s[5])<<16 | uint64(s[4])<<24 |
		uint64(s[3])<<32 | uint64(s[2])<<40 | uint64(s[1])<<48 | uint64(s[0])<<56
}

// fastValue reads an attribute's value that is a str (slot is its cache
// slot), an integer of isIntCode, a float64 or a bool; false, with nothing
// read, for any other value, or after a fault (see fastInt).
func (d *decoder) fastValue(slot int) (slog.Value, bool) {
	if d.pos >= len(d.s) {
		return slog.Value{}, false
	}
	switch c := d.s[d.pos]; {
	case c&0xe0 == 0xa0 || c == 0xd9:
		var s string
		if !d.fastText(slot, &s) {
			return slog.Value{}, false
		}
		d.pending--
		return slog.StringValue(s), true
	case isIntCode(c):
		v, ok := d.fastInt()
		return slog.Int64Value(v), ok
	case c == 0xcb:
		d.pos++
		if f, ok := d.float64At(); ok {
			d.pending--
			return slog.Float64Value(f), true
		}
		d.pos--
	case c == 0xc2 || c == 0xc3:
		d.code()
		return slog.BoolValue(c == 0xc3), true
	}
	return slog.Value{}, false
}

// plainOrder appends to order the indices of attrs in the order normalize
// leaves them when every key is set and no value is a group: sorted by key,
// stably, the last of equal keys kept.
func plainOrder(attrs []slog.Attr, order []uint8) []uint8 {
	for i := range attrs {
		order = append(order, uint8(i))
	}
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && keyLess(attrs[order[j]].Key, attrs[order[j-1]].Key); j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	w := 0
	for i, x := range order {
		if i+1 < len(order) && attrs[order[i+1]].Key == attrs[x].Key {
			continue
		}
		order[w] = x
		w++
	}
	return order[:w]
}

// wireField names a top-level key of the wire map.
type wireField uint8

// The top-level keys DecodeMsgpack reads (fAttr: any other, an attribute).
const (
	fAttr wireField = iota
	fName
	fMsg
	fLevelname
	fLevelno
	fPathname
	fFilename
	fModule
	fFuncName
	fThreadName
	fProcessName
	fTaskName
	fExcText
	fStackInfo
	fLineno
	fThread
	fProcess
	fRelativeCreated
	fCreated
	fIgnored // args, msecs, exc_info, message, asctime: read and dropped
)

// wireOrder is the order in which AppendMsgpack writes the LogRecord keys:
// the key at position i of a map it wrote is wireOrder[i], found with one
// comparison.
var wireOrder = [numFields]struct {
	key string
	f   wireField
}{
	{"name", fName}, {"msg", fMsg}, {"args", fIgnored}, {"levelname", fLevelname},
	{"levelno", fLevelno}, {"pathname", fPathname}, {"filename", fFilename},
	{"module", fModule}, {"exc_text", fExcText}, {"stack_info", fStackInfo},
	{"lineno", fLineno}, {"funcName", fFuncName}, {"created", fCreated},
	{"msecs", fIgnored}, {"relativeCreated", fRelativeCreated}, {"thread", fThread},
	{"threadName", fThreadName}, {"processName", fProcessName}, {"process", fProcess},
	{"taskName", fTaskName},
}

// wireWords are keyWords of each key of wireOrder.
var wireWords = func() (w [numFields][2]uint64) {
	for i, o := range wireOrder {
		w[i][0], w[i][1] = keyWords(o.key)
	}
	return w
}()

// keyWords returns two words that, for strings of one length up to 16,
// are equal exactly when the strings are: the first and last 8 bytes
// (overlapping), 4 bytes for a shorter string, the bytes themselves below
// 4. So a key is matched against wireOrder with two loads and compares
// instead of a call to memequal.
func keyWords(k string) (uint64, uint64) {
	n := len(k)
	switch {
	case n > 16:
		return 0, 0 // no key of wireOrder is this long
	case n >= 8:
		a, b := k[:8], k[n-8:]
		return uint64(a[0]) | uint64(a[1])<<8 | uint64(a[2])<<16 | uint64(a[3])<<24 |
				uint64(a[4])<<32 | uint64(a[5])<<40 | uint64(a[6])<<48 | uint64(a[7])<<56,
			uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
				uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
	case n >= 4:
		a, b := k[:4], k[n-4:]
		return uint64(a[0]) | uint64(a[1])<<8 | uint64(a[2])<<16 | uint64(a[3])<<24,
			uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24
	}
	var a uint64
	for i := range n {
		a |= uint64(k[i]) << (8 * i)
	}
	return a, 0
}

// fieldOf returns the field of the top-level key k found at position i.
func fieldOf(k string, i int) wireField {
	if i < len(wireOrder) && len(k) == len(wireOrder[i].key) {
		if a, b := keyWords(k); a == wireWords[i][0] && b == wireWords[i][1] {
			return wireOrder[i].f
		}
	}
	// By length, then equality with constants of that length: a few
	// word compares, where a switch on the strings would call cmpstring
	// on the way down its binary search.
	switch len(k) {
	case 3:
		if k == "msg" {
			return fMsg
		}
	case 4:
		switch k {
		case "name":
			return fName
		case "args":
			return fIgnored
		}
	case 5:
		if k == "msecs" {
			return fIgnored
		}
	case 6:
		switch k {
		case "module":
			return fModule
		case "lineno":
			return fLineno
		case "thread":
			return fThread
		}
	case 7:
		switch k {
		case "levelno":
			return fLevelno
		case "created":
			return fCreated
		case "process":
			return fProcess
		case "message", "asctime":
			return fIgnored
		}
	case 8:
		switch k {
		case "pathname":
			return fPathname
		case "filename":
			return fFilename
		case "funcName":
			return fFuncName
		case "taskName":
			return fTaskName
		case "exc_text":
			return fExcText
		case "exc_info":
			return fIgnored
		}
	case 9:
		if k == "levelname" {
			return fLevelname
		}
	case 10:
		switch k {
		case "stack_info":
			return fStackInfo
		case "threadName":
			return fThreadName
		}
	case 11:
		if k == "processName" {
			return fProcessName
		}
	case 15:
		if k == "relativeCreated" {
			return fRelativeCreated
		}
	}
	return fAttr
}

// decoder reads one msgpack value from s (the payload's one copy as text:
// strings are slices of it) and checks it as it goes, by checkMsgpack's
// rules: every length fits in what remains; a container's count fits too,
// at a byte a value (two a map entry) beside the values the open
// containers still expect, before anything is made for it; containers nest
// at most defaultMaxDepth deep (the level a container would have is passed
// down, so the recursion of value, anyValue and skip is bounded by it); the
// only extension is a well-formed timestamp; 0xc1 never occurs. At the
// first fault it sets bad and moves to the end of s, so that every later
// read fails at once, without indexing out of s, and returns zero values;
// the caller then reports errFault. Whether trailing bytes follow is the
// caller's check.
type decoder struct {
	s       string
	dc      *Decoder // nil: s is the record's own text
	pos     int
	pending int // values the open containers still expect (checkMsgpack's count)
	bad     bool
}

// fault marks the input as not well-formed.
func (d *decoder) fault() {
	d.bad = true
	d.pos = len(d.s)
}

// peek returns the next value's code without reading it: 0xc1, which
// starts no value, at the end of s.
func (d *decoder) peek() byte {
	if d.pos < len(d.s) {
		return d.s[d.pos]
	}
	d.fault()
	return 0xc1
}

// code reads the next value's code, counting the value as read.
func (d *decoder) code() byte {
	if d.pos < len(d.s) {
		c := d.s[d.pos]
		d.pos++
		d.pending--
		return c
	}
	d.fault()
	return 0xc1
}

// uint reads an n-byte big-endian unsigned integer, n being 1, 2, 4 or 8;
// each width is one load.
func (d *decoder) uint(n int) uint64 {
	if n > len(d.s)-d.pos {
		d.fault()
		return 0
	}
	b := d.s[d.pos:]
	d.pos += n
	switch n {
	case 1:
		return uint64(b[0])
	case 2:
		_ = b[1]
		return uint64(b[0])<<8 | uint64(b[1])
	case 4:
		_ = b[3]
		return uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
	}
	_ = b[7]
	return uint64(b[0])<<56 | uint64(b[1])<<48 | uint64(b[2])<<40 | uint64(b[3])<<32 |
		uint64(b[4])<<24 | uint64(b[5])<<16 | uint64(b[6])<<8 | uint64(b[7])
}

// open admits a container of count values (two a map entry) at level
// (the top-level map is level 1) whose header was just read; false, and a
// fault, when it nests too deep or its values cannot fit.
func (d *decoder) open(count, level int) bool {
	if level > defaultMaxDepth || count > len(d.s)-d.pos-d.pending {
		d.fault()
		return false
	}
	d.pending += count
	return true
}

// mapLen reads a map header (the caller checked the code) of a map at
// level and returns its number of entries; 0 after a fault.
func (d *decoder) mapLen(level int) int {
	var n int
	switch c := d.code(); c {
	case 0xde:
		n = int(d.uint(2))
	case 0xdf:
		n = int(d.uint(4))
	default:
		n = int(c & 0x0f)
	}
	if d.bad || !d.open(2*n, level) {
		return 0
	}
	return n
}

// arrayLen reads an array header (the caller checked the code) of an
// array at level and returns its length; 0 after a fault.
func (d *decoder) arrayLen(level int) int {
	var n int
	switch c := d.code(); c {
	case 0xdc:
		n = int(d.uint(2))
	case 0xdd:
		n = int(d.uint(4))
	default:
		n = int(c & 0x0f)
	}
	if d.bad || !d.open(n, level) {
		return 0
	}
	return n
}

// rawStr reads a str or bin as it is (a slice of s). A fixstr, most
// strings of a record, is read here; the rest in rawStrLong.
func (d *decoder) rawStr() string {
	if p := d.pos; p < len(d.s) {
		if c := d.s[p]; c&0xe0 == 0xa0 {
			if n := int(c & 0x1f); n < len(d.s)-p {
				d.pos = p + 1 + n
				d.pending--
				return d.s[p+1 : p+1+n]
			}
		}
	}
	return d.rawStrLong()
}

func (d *decoder) rawStrLong() string {
	var n int
	switch c := d.code(); {
	case c&0xe0 == 0xa0:
		n = int(c & 0x1f)
	case c == 0xd9 || c == 0xc4:
		n = int(d.uint(1))
	case c == 0xda || c == 0xc5:
		n = int(d.uint(2))
	case c == 0xdb || c == 0xc6:
		n = int(d.uint(4))
	default:
		d.fault()
		return ""
	}
	if n > len(d.s)-d.pos {
		d.fault()
		return ""
	}
	s := d.s[d.pos : d.pos+n]
	d.pos += n
	return s
}

// text reads a str as the record keeps it (keepText).
func (d *decoder) text(slot int) string { return d.keepText(d.rawStr(), slot) }

// keepText returns raw, a slice of s, as a record may keep it: with each
// run of invalid UTF-8 replaced by U+FFFD, and, with a Decoder, not aliasing
// s: the previous record's text of the same slot when equal (slot is
// noSlot for text that has none), else a copy.
func (d *decoder) keepText(raw string, slot int) string {
	dc := d.dc
	if dc == nil {
		return validText(raw)
	}
	if slot >= 0 && dc.last[slot] == raw {
		return dc.last[slot]
	}
	v := validText(raw)
	if len(v) != len(raw) || unsafe.StringData(v) != unsafe.StringData(raw) {
		return v // replaced: a string of its own, not cached
	}
	v = dc.keep(v)
	if slot >= 0 {
		dc.last[slot] = v
	}
	return v
}

// integer reads an integer (the caller checked isIntCode or 0xcf) as its
// two's complement bits: 0xcf above math.MaxInt64 comes back negative.
func (d *decoder) integer() int64 {
	c := d.code()
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

// float reads a float32 or float64 (the caller checked the code).
func (d *decoder) float() float64 {
	if d.code() == 0xca {
		return float64(math.Float32frombits(uint32(d.uint(4))))
	}
	return math.Float64frombits(d.uint(8))
}

// timestamp reads a timestamp extension as its RFC 3339 text, UTC; any
// other code is a fault.
func (d *decoder) timestamp() string {
	var n int
	switch d.code() {
	case 0xd6:
		n = 4
	case 0xd7:
		n = 8
	case 0xc7:
		n = int(d.uint(1))
	case 0xc8:
		n = int(d.uint(2))
	case 0xc9:
		n = int(d.uint(4))
	default: // 0xc1, and fixext 1, 2 and 16, which no timestamp is
		d.fault()
		return ""
	}
	if d.bad || n+1 > len(d.s)-d.pos || d.s[d.pos] != 0xff { // the type, -1
		d.fault()
		return ""
	}
	d.pos++
	var sec, nsec int64
	switch n {
	case 4:
		sec = int64(d.uint(4))
	case 8:
		v := d.uint(8)
		sec, nsec = int64(v&(1<<34-1)), int64(v>>34)
	case 12:
		nsec = int64(d.uint(4))
		sec = int64(d.uint(8))
	default:
		d.fault()
		return ""
	}
	if nsec > 999999999 {
		d.fault()
		return ""
	}
	return time.Unix(sec, nsec).UTC().Format(time.RFC3339Nano)
}

// skip passes over one value whose containers would be at level.
func (d *decoder) skip(level int) {
	switch c := d.peek(); {
	case isMapCode(c):
		for range 2 * d.mapLen(level) {
			d.skip(level + 1)
		}
	case isArrayCode(c):
		for range d.arrayLen(level) {
			d.skip(level + 1)
		}
	case isStrCode(c) || isBinCode(c):
		d.rawStr()
	case c == 0xc0 || c == 0xc2 || c == 0xc3:
		d.code()
	case c == 0xca || c == 0xcb:
		d.float()
	case isIntCode(c) || c == 0xcf:
		d.integer()
	default:
		d.timestamp()
	}
}

// value reads an attribute's value whose containers would be at level; a
// map becomes a group. slot is the cache slot of a string value.
func (d *decoder) value(level, slot int) (slog.Value, error) {
	c := d.peek()
	switch {
	case isStrCode(c):
		return slog.StringValue(d.text(slot)), nil
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
		d.code()
		return slog.BoolValue(c == 0xc3), nil
	case isMapCode(c):
		n := d.mapLen(level)
		attrs := make([]slog.Attr, 0, n)
		for range n {
			k, err := d.scalarText("map key", "None", noSlot)
			if err != nil {
				return slog.Value{}, err
			}
			v, err := d.value(level+1, noSlot)
			if err != nil {
				return slog.Value{}, err
			}
			attrs = append(attrs, slog.Attr{Key: k, Value: v})
		}
		return slog.GroupValue(normalize(attrs)...), nil
	case c == 0xc0 || isBinCode(c) || isArrayCode(c):
	default: // a timestamp, or a fault
		return slog.StringValue(d.timestamp()), nil
	}
	x, err := d.anyValue(level)
	if err != nil {
		return slog.Value{}, err
	}
	return slog.AnyValue(x), nil
}

// anyValue reads any value, whose containers would be at level, into nil,
// bool, int64, uint64 (above math.MaxInt64 only), float64, string, []byte,
// []any or map[string]any.
func (d *decoder) anyValue(level int) (any, error) {
	c := d.peek()
	switch {
	case c == 0xc0:
		d.code()
		return nil, nil
	case c == 0xc2 || c == 0xc3:
		d.code()
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
		return d.text(noSlot), nil
	case isBinCode(c):
		return []byte(d.rawStr()), nil
	case isArrayCode(c):
		a := make([]any, d.arrayLen(level))
		for i := range a {
			var err error
			if a[i], err = d.anyValue(level + 1); err != nil {
				return nil, err
			}
		}
		return a, nil
	case isMapCode(c):
		n := d.mapLen(level)
		if n == 0 {
			return map[string]any(nil), nil
		}
		m := make(map[string]any, n)
		for range n {
			k, err := d.scalarText("map key", "None", noSlot)
			if err != nil {
				return nil, err
			}
			if m[k], err = d.anyValue(level + 1); err != nil {
				return nil, err
			}
		}
		return m, nil
	}
	return d.timestamp(), nil
}

// scalarText reads a string or a scalar as Python's str() writes it (True,
// False, numbers), nil as nilText; an array or map is an error naming what.
// slot is the cache slot of a str or bin.
func (d *decoder) scalarText(what, nilText string, slot int) (string, error) {
	c := d.peek()
	switch {
	case isStrCode(c) || isBinCode(c):
		return d.text(slot), nil
	case isArrayCode(c) || isMapCode(c):
		return "", fmt.Errorf("%w: %s is %s, want a string or a scalar", ErrBadRecord, what, codeName(c))
	case c == 0xc0:
		d.code()
		return nilText, nil
	case c == 0xc2:
		d.code()
		return "False", nil
	case c == 0xc3:
		d.code()
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

// strField reads a str or nil into *dst; slot is its cache slot.
func (d *decoder) strField(key string, slot int, dst *string) error {
	switch c := d.peek(); {
	case c == 0xc0:
		d.code()
		*dst = ""
		return nil
	case isStrCode(c):
		*dst = d.text(slot)
		return nil
	default:
		return fmt.Errorf("%w: %s is %s, want a string or nil", ErrBadRecord, key, codeName(c))
	}
}

// intField reads an int or nil into *dst; ok is false for nil.
func (d *decoder) intField(key string, dst *int64) (ok bool, err error) {
	switch c := d.peek(); {
	case c == 0xc0:
		d.code()
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
	switch c := d.peek(); {
	case c == 0xc0:
		d.code()
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
		if a.Key == "" || a.Value.Kind() == slog.KindGroup || (i > 0 && !keyLess(attrs[i-1].Key, a.Key)) {
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
		for j := i; j > 0 && keyLess(attrs[j].Key, attrs[j-1].Key); j-- {
			attrs[j], attrs[j-1] = attrs[j-1], attrs[j]
		}
	}
}

// keyLess is a < b, deciding on the first bytes without a call when they
// differ, as the keys of a record's attributes mostly do.
func keyLess(a, b string) bool {
	if len(a) > 0 && len(b) > 0 && a[0] != b[0] {
		return a[0] < b[0]
	}
	return a < b
}

// validText returns s, with each run of invalid UTF-8 replaced by U+FFFD.
func validText(s string) string {
	if isASCII(s) || utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// isASCII reports whether s is all ASCII, eight bytes at a time (the last
// eight overlapping the others), four for a shorter text: most text of a
// record is, and this costs less than utf8.ValidString on short text.
func isASCII(s string) bool {
	n := len(s)
	if n >= 8 {
		var acc uint64
		for i := 0; i+8 <= n; i += 8 {
			acc |= le64(s[i:])
		}
		return (acc|le64(s[n-8:]))&0x8080808080808080 == 0
	}
	if n >= 4 {
		return (le32(s)|le32(s[n-4:]))&0x80808080 == 0
	}
	var acc byte
	for i := range n {
		acc |= s[i]
	}
	return acc < 0x80
}

// le64 is the first eight bytes of s as a little-endian word: one load.
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// le32 is the first four bytes of s as a little-endian word: one load.
func le32(s string) uint64 {
	_ = s[3]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24
}

// timeFromCreated turns Python's created into a Time (see DecodeMsgpack).
func timeFromCreated(f float64) (time.Time, error) {
	if f == 0 {
		return time.Time{}, nil
	}
	if math.IsNaN(f) || f < minCreated || f >= maxCreated { // also catches ±Inf
		return time.Time{}, fmt.Errorf("%w: created %v is out of range", ErrBadRecord, f)
	}
	if sec := math.Floor(f); sec > minNanoSec && sec < maxNanoSec-1 {
		// nearestCreated's first step for the usual years, in integers:
		// the nearest nanosecond, which most often gives f back.
		ns := int64(sec)*1e9 + int64(math.Round((f-sec)*1e9))
		if ns == 0 {
			return time.Time{}, nil
		}
		if float64(ns)/1e9 == f {
			return time.Unix(0, ns), nil
		}
	}
	return nearestCreated(f), nil
}

// nearestCreated is timeFromCreated for f in range and not 0.
func nearestCreated(f float64) time.Time {
	sec := math.Floor(f)
	t := time.Unix(int64(sec), int64(math.Round((f-sec)*1e9)))
	if t.Unix() == 0 && t.Nanosecond() == 0 {
		return time.Time{} // within half a nanosecond of 0
	}
	if c, _ := CreatedMsecs(t); c == f || t.Unix() <= minNanoSec || t.Unix() >= maxNanoSec {
		return t
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
					return time.Unix(0, n)
				}
			}
		}
		lo, hi = math.Nextafter(lo, math.Inf(-1)), math.Nextafter(hi, math.Inf(1))
	}
	return t
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
