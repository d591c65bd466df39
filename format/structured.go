package format

import (
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/actorlog/actorlog/record"
)

// JSON and Logfmt share one encoder, as slog's JSONHandler and TextHandler
// share handleState: one walk over the record (time, level, logger, source,
// msg, attributes, exc_info, stack_info), with what the two syntaxes write
// differently (separators, keys, quoting, groups, values) decided in the
// methods of syntax and of state below.

// syntax is the output syntax of a structured formatter.
type syntax uint8

const (
	syntaxJSON syntax = iota // {"k":v,"g":{"k":v}}
	syntaxText               // k=v g.k=v, as slog's TextHandler
)

// structured is the formatter behind JSON and Logfmt. It is immutable once
// built, but for its time cache, which is safe for concurrent use.
type structured struct {
	syn        syntax
	addSource  bool
	loc        *time.Location
	timeFormat TimeFormat
	keys       [nKeys]string // renamed keys, escaped for JSON; "" for the default
	text       keyTexts      // the constant text around the record's own fields
	levels     [6]levelText  // the standard levels' names as written, at level/10
	times      secCache
}

// keyTexts is the constant text between the record's own fields, keys and
// separators included, put together once per formatter: the usual record
// is then written as a few appends of whole strings, with no separator or
// key decided per record. In JSON the quotes of the time (when it is a
// string) and of the level are part of it, as in `","level":"`.
type keyTexts struct {
	time       string // before the time: `{"time":"`, `time=`
	level      string // after the time, before the level: `","level":"`, ` level=`
	levelFirst string // before the level of a record without a time: `{"level":"`, `level=`
	// afterLevel[k] comes right after the level and before field k (the
	// logger, the source or the message); after[k] before field k when
	// another field is between: `","msg":` and `,"msg":`.
	afterLevel, after [nKeys]string
}

// levelText is a level's name and its text as a formatter writes it
// (escaped or quoted when it must be).
type levelText struct{ name, text string }

// init puts f.text together from f's syntax, keys and time format.
func (f *structured) init() {
	syn := f.syn
	key := func(i int, sep bool) string { return string(syn.appendBuiltinKey(nil, f.key(i), sep)) }
	open, timeQuote, levelQuote := "", "", ""
	if syn == syntaxJSON {
		open, levelQuote = "{", `"`
		switch f.timeFormat {
		case TimeUnix, TimeUnixMilli, TimeUnixNano: // numbers
		default:
			timeQuote = `"`
		}
	}
	t := &f.text
	t.time = open + key(keyTime, false) + timeQuote
	t.level = timeQuote + key(keyLevel, true) + levelQuote
	t.levelFirst = open + key(keyLevel, false) + levelQuote
	for _, i := range [...]int{keyLogger, keySource, keyMsg} {
		t.after[i] = key(i, true)
		t.afterLevel[i] = levelQuote + t.after[i]
	}
	f.times.before, f.times.after = t.time, t.level
	for i := range f.levels {
		l := record.Level(i * 10)
		f.levels[i] = levelText{l.String(), string(syn.appendLevel(nil, l))}
	}
}

// appendLevel writes the level's name: a standard level's from f.levels
// while its name is the one f was built with (record.AddLevelName may have
// renamed it since; the name compares equal at once when it is the same
// string), any other through the syntax's escaping.
func (f *structured) appendLevel(dst []byte, l record.Level) []byte {
	if l >= 0 && l < record.Level(10*len(f.levels)) && l%10 == 0 {
		if e := &f.levels[l/10]; l.String() == e.name {
			return append(dst, e.text...)
		}
	}
	return f.syn.appendLevel(dst, l)
}

// The record's own keys that JSONOptions can rename.
const (
	keyTime = iota
	keyLevel
	keyLogger
	keySource
	keyMsg
	nKeys
)

var defaultKeys = [nKeys]string{keyTime: "time", keyLevel: "level", keyLogger: "logger", keySource: "source", keyMsg: "msg"}

// key returns the name written for the record's own key i.
func (f *structured) key(i int) string {
	if k := f.keys[i]; k != "" {
		return k
	}
	return defaultKeys[i]
}

// append writes one record.
func (f *structured) append(dst []byte, r *record.Record) []byte {
	syn, text := f.syn, &f.text
	if !r.Time.IsZero() {
		// No Round(0): nothing written reads the monotonic clock reading.
		t := r.Time
		if f.loc != nil {
			t = t.In(f.loc)
		}
		dst = f.appendTime(dst, t)
	} else {
		dst = append(dst, text.levelFirst...)
	}
	dst = f.appendLevel(dst, r.Level)
	after := &text.afterLevel
	if r.Logger != "" {
		dst = syn.appendString(append(dst, after[keyLogger]...), r.Logger)
		after = &text.after
	}
	if f.addSource {
		if fn, file, line, ok := source(r); ok {
			dst = syn.appendSource(append(dst, after[keySource]...), fn, file, line)
			after = &text.after
		}
	}
	dst = syn.appendString(append(dst, after[keyMsg]...), r.Message)

	dst = syn.appendRecordAttrs(dst, r)

	if r.ErrText != "" {
		dst = syn.appendString(syn.appendBuiltinKey(dst, "exc_info", true), r.ErrText)
	}
	if r.Stack != "" {
		dst = syn.appendString(syn.appendBuiltinKey(dst, "stack_info", true), r.Stack)
	}
	if syn == syntaxJSON {
		dst = append(dst, '}')
	}
	return dst
}

// appendRecordAttrs writes the record's attributes, the Scope's first, each
// after a separator (a comma in JSON, a space in logfmt).
func (syn syntax) appendRecordAttrs(dst []byte, r *record.Record) []byte {
	inline, rest := r.AttrSlices()
	if r.Scope != nil {
		return syn.appendScopedAttrs(dst, r.Scope, inline, rest)
	}
	// The common case: no call per attribute, each value's kind read once.
	dst = syn.appendAttrs(dst, &noScope, nil, inline)
	if len(rest) > 0 {
		dst = syn.appendAttrs(dst, &noScope, nil, rest)
	}
	return dst
}

// appendScopedAttrs is appendRecordAttrs for a record with a Scope. It is
// a function of its own so that the walk's state is no part of the common
// case's stack frame.
//
//go:noinline
func (syn syntax) appendScopedAttrs(dst []byte, sc *record.Scope, inline, rest []slog.Attr) []byte {
	// The Scope's part is encoded once and reused; the record's own
	// attributes continue from the state it left.
	es := syn.scopeOf(sc)
	st := state{dst: append(dst, es.b...), syn: syn, sep: es.sep, open: es.open}
	st.attrs(sc.Groups, es, inline)
	st.attrs(sc.Groups, es, rest)
	return st.closeScope()
}

// appendAttrsField writes the Python formatter's attrs field: the record's
// attributes as logfmt writes them, without the leading space. When there
// are none and dropSpace is set, a space that ends dst is removed (the one
// the format put before the field).
func appendAttrsField(dst []byte, r *record.Record, dropSpace bool) []byte {
	mark := len(dst)
	dst = syntaxText.appendRecordAttrs(dst, r)
	if len(dst) == mark {
		if dropSpace && mark > 0 && dst[mark-1] == ' ' {
			dst = dst[:mark-1]
		}
		return dst
	}
	if dst[mark] == ' ' {
		dst = append(dst[:mark], dst[mark+1:]...)
	}
	return dst
}

// source returns the record's caller as slog reports it: the full function
// name and file path for a local record, the Origin's fields for a remote one.
func source(r *record.Record) (fn, file string, line int, ok bool) {
	if o := r.Origin; o != nil {
		return o.FuncName, o.Pathname, o.Lineno, o.FuncName != "" || o.Pathname != "" || o.Lineno != 0
	}
	if r.PC == 0 {
		return "", "", 0, false
	}
	fr, _ := runtime.CallersFrames([]uintptr{r.PC}).Next()
	return fr.Function, fr.File, fr.Line, fr.Function != "" || fr.File != "" || fr.Line != 0
}

// The syntax switch: everything JSON and logfmt write differently.

// appendBuiltinKey writes the key of one of the record's own fields, a
// constant that needs no escaping, after a separator when sep is set.
func (syn syntax) appendBuiltinKey(dst []byte, k string, sep bool) []byte {
	if syn == syntaxJSON {
		if sep {
			dst = append(dst, ',')
		}
		return append(append(append(dst, '"'), k...), `":`...)
	}
	if sep {
		dst = append(dst, ' ')
	}
	return append(append(dst, k...), '=')
}

// appendTime writes t with the text around it (text.time and text.level):
// in JSON with nanoseconds, in logfmt with milliseconds, both as slog does.
// The RFC 3339 forms come from the time cache, which holds that text too.
func (f *structured) appendTime(dst []byte, t time.Time) []byte {
	if f.syn == syntaxText {
		return f.times.appendRFC3339Millis(dst, t)
	}
	switch f.timeFormat {
	case TimeRFC3339:
		dst = t.AppendFormat(append(dst, f.text.time...), time.RFC3339)
	case TimeUnix:
		dst = strconv.AppendInt(append(dst, f.text.time...), t.Unix(), 10)
	case TimeUnixMilli:
		dst = strconv.AppendInt(append(dst, f.text.time...), t.UnixMilli(), 10)
	case TimeUnixNano:
		dst = strconv.AppendInt(append(dst, f.text.time...), t.UnixNano(), 10)
	default:
		return f.times.appendRFC3339Nano(dst, t)
	}
	return append(dst, f.text.level...)
}

// appendLevel writes the level's Python name: in JSON the inside of a
// string, its quotes being part of the keys around it.
func (syn syntax) appendLevel(dst []byte, l record.Level) []byte {
	if syn == syntaxJSON {
		return appendJSONLevel(dst, l)
	}
	return appendTextString(dst, l.String())
}

// appendSource writes the record's caller: in JSON as slog's source object,
// in logfmt as FILE:LINE.
func (syn syntax) appendSource(dst []byte, fn, file string, line int) []byte {
	if syn == syntaxText {
		return appendTextString(dst, file+":"+strconv.Itoa(line))
	}
	dst = append(dst, '{')
	sep := false
	if fn != "" {
		dst = appendJSONString(syn.appendBuiltinKey(dst, "function", sep), fn)
		sep = true
	}
	if file != "" {
		dst = appendJSONString(syn.appendBuiltinKey(dst, "file", sep), file)
		sep = true
	}
	if line != 0 {
		dst = strconv.AppendInt(syn.appendBuiltinKey(dst, "line", sep), int64(line), 10)
	}
	return append(dst, '}')
}

// appendString writes a string value.
func (syn syntax) appendString(dst []byte, s string) []byte {
	if syn == syntaxJSON {
		return appendJSONString(dst, s)
	}
	return appendTextString(dst, s)
}

// appendValue writes a resolved, non-group value of kind k.
func (syn syntax) appendValue(dst []byte, v slog.Value, k slog.Kind) []byte {
	if syn == syntaxJSON {
		return appendJSONValue(dst, v, k)
	}
	return appendTextValue(dst, v, k)
}

// appendTextKey writes the separator and logfmt key of an attribute inside
// the groups of es, all open, when the key can be written without the state
// of a walk; it reports false when it cannot (a key inside groups that needs
// quoting: the whole dotted key is then quoted). A JSON key always can:
// appendAttrs writes it.
func appendTextKey(dst []byte, es *encodedScope, k string) ([]byte, bool) {
	if es.prefix == "" {
		return append(appendTextString(append(dst, ' '), k), '='), true
	}
	if es.quoted || needsQuoting(k) {
		return dst, false
	}
	return append(append(append(append(dst, ' '), es.prefix...), k...), '='), true
}

// key writes the separator and key of an attribute at the state's place.
// A logfmt key is dotted with the groups it sits in, g1.g2.key, and quoted
// as a whole when any part needs it, as slog does.
func (s *state) key(k string) {
	if s.syn == syntaxJSON {
		if s.sep {
			s.dst = append(s.dst, ',')
		}
		s.dst = append(appendJSONString(s.dst, k), ':')
		return
	}
	if s.sep {
		s.dst = append(s.dst, ' ')
	}
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
		s.dst = append(append(s.dst, k...), '=')
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
	s.dst = append(strconv.AppendQuote(s.dst, b.String()), '=')
}

// enter puts the state inside the Scope groups of path. JSON opens those not
// open yet as objects; logfmt only remembers them for the keys.
func (s *state) enter(path []string) {
	if s.syn == syntaxText {
		s.path, s.open = path, len(path)
		return
	}
	for ; s.open < len(path); s.open++ {
		s.openGroup(path[s.open])
	}
}

// openGroup starts the members of a group: a nested object in JSON, a key
// prefix in logfmt.
func (s *state) openGroup(name string) {
	if s.syn == syntaxText {
		s.push(name)
		return
	}
	s.key(name)
	s.dst = append(s.dst, '{')
	s.sep = false
}

// closeGroup ends what openGroup started.
func (s *state) closeGroup() {
	if s.syn == syntaxText {
		s.ng--
		return
	}
	s.dst = append(s.dst, '}')
	s.sep = true
}

// closeScope closes the Scope groups that enter opened and returns the output.
func (s *state) closeScope() []byte {
	if s.syn == syntaxJSON {
		for ; s.open > 0; s.open-- {
			s.dst = append(s.dst, '}')
		}
	}
	return s.dst
}

// The walk, the same for both syntaxes.

// state is the encoder state of one record's attributes: where the output
// is, whether a separator is due, how many of the Scope's groups are open,
// and the group path of the attribute being written, from the Scope (path)
// and from nested slog.Group values (groups, then more beyond eight levels;
// logfmt only). It holds no pointer into itself, so it stays on the stack.
type state struct {
	dst    []byte
	syn    syntax
	sep    bool
	open   int
	path   []string
	ng     int
	groups [8]string
	more   []string
}

// walk writes one attribute inside the groups of path; it has the signature
// of Record.Walk's callback.
func (s *state) walk(path []string, a slog.Attr) bool {
	switch k := a.Value.Kind(); k {
	case slog.KindAny, slog.KindGroup, slog.KindLogValuer:
	default:
		// A plain value is never left out: no mark to go back to.
		s.enter(path)
		s.key(a.Key)
		s.dst = s.syn.appendValue(s.dst, a.Value, k)
		s.sep = true
		return true
	}
	mark, open, sep := len(s.dst), s.open, s.sep
	a.Value = resolve(a.Value)
	if record.Skip(a) {
		return true
	}
	s.enter(path)
	if !s.attr(a) {
		s.dst, s.open, s.sep = s.dst[:mark], open, sep
	}
	return true
}

// attr writes a resolved attribute and reports whether it wrote anything: a
// group whose attributes are all left out is not written at all.
func (s *state) attr(a slog.Attr) bool {
	if a.Value.Kind() != slog.KindGroup {
		if a.Key == "" && a.Value.Any() == nil {
			return false
		}
		s.key(a.Key)
		s.dst = s.syn.appendValue(s.dst, a.Value, a.Value.Kind())
		s.sep = true
		return true
	}
	as := a.Value.Group()
	if len(as) == 0 {
		return false
	}
	mark, sep, ng := len(s.dst), s.sep, s.ng
	if a.Key != "" {
		s.openGroup(a.Key)
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
	if !any {
		s.dst, s.sep, s.ng = s.dst[:mark], sep, ng
		return false
	}
	if a.Key != "" {
		s.closeGroup()
	}
	return true
}

func (s *state) push(g string) {
	if s.ng < len(s.groups) {
		s.groups[s.ng] = g
	} else {
		s.more = append(s.more[:s.ng-len(s.groups)], g)
	}
	s.ng++
}

func (s *state) group(i int) string {
	if i < len(s.groups) {
		return s.groups[i]
	}
	return s.more[i-len(s.groups)]
}

// attrs writes as, each inside the groups of path, the Scope's. Once those
// groups are all open and a separator is due, what is left takes the path of
// appendAttrs, which writes the same bytes with no call per attribute.
func (s *state) attrs(path []string, es *encodedScope, as []slog.Attr) {
	for i := range as {
		if s.open == len(path) && s.sep {
			s.dst = s.syn.appendAttrs(s.dst, es, path, as[i:])
			return
		}
		s.walk(path, as[i])
	}
}

// appendAttrs writes as inside the groups of path, which are all open, with
// a separator due: a plain value straight, the rest by the walk.
func (syn syntax) appendAttrs(dst []byte, es *encodedScope, path []string, as []slog.Attr) []byte {
	if syn == syntaxJSON {
		// JSON's own loop: a key needs no state there, so the usual value
		// costs two direct calls.
		for i := range as {
			a := &as[i]
			switch k := a.Value.Kind(); k {
			case slog.KindAny, slog.KindGroup, slog.KindLogValuer:
				dst = syn.appendAttrIn(dst, path, *a)
			default:
				dst = appendJSONValue(append(appendJSONString(append(dst, ','), a.Key), ':'), a.Value, k)
			}
		}
		return dst
	}
	for i := range as {
		a := &as[i]
		switch k := a.Value.Kind(); k {
		case slog.KindAny, slog.KindGroup, slog.KindLogValuer:
		default:
			if d, ok := appendTextKey(dst, es, a.Key); ok {
				dst = appendTextValue(d, a.Value, k)
				continue
			}
		}
		dst = syn.appendAttrIn(dst, path, *a)
	}
	return dst
}

// appendAttrIn writes one attribute for appendAttrs by the walk. It is apart
// from that loop to keep its state off the loop's stack frame.
//
//go:noinline
func (syn syntax) appendAttrIn(dst []byte, path []string, a slog.Attr) []byte {
	st := state{dst: dst, syn: syn, sep: true, open: len(path), path: path}
	st.walk(path, a)
	return st.dst
}

// encodedScope is a Scope's attributes encoded once, as the members that
// follow msg, with the state they leave: how many of the Scope's groups are
// open and whether a separator is due; and, for logfmt, the key prefix of
// the record's own attributes ("g1.g2."), or quoted set when a group name
// needs quoting and the prefix cannot be used. It is immutable once stored.
type encodedScope struct {
	b      []byte
	open   int
	sep    bool
	prefix string
	quoted bool
}

// noScope is the encodedScope of a record with no Scope.
var noScope = encodedScope{sep: true}

// scopeKey is the key under which a formatter kind stores what it derived
// from a record.Scope. The Scope's part of the output depends on no option of
// the formatter, so every formatter of a kind shares one entry.
// It has a field so that two keys are distinct pointers (pointers to
// zero-size values may compare equal).
type scopeKey struct{ name string }

// String names the formatter kind, for debugging.
func (k *scopeKey) String() string { return k.name }

var scopeKeys = [...]*scopeKey{syntaxJSON: {"json"}, syntaxText: {"logfmt"}}

// scopeOf returns sc's attributes encoded, from sc's cache or encoded now
// and stored there. Two goroutines may both encode a new Scope; they store the
// same bytes and the first one stays.
func (syn syntax) scopeOf(sc *record.Scope) *encodedScope {
	if es, ok := sc.Cached(scopeKeys[syn]).(*encodedScope); ok {
		return es
	}
	st := state{syn: syn, sep: true}
	for _, p := range sc.Parts {
		for _, a := range p.Attrs {
			st.walk(sc.Groups[:p.Depth], a)
		}
	}
	es := &encodedScope{b: st.dst, open: st.open, sep: st.sep}
	if syn == syntaxText {
		es.open = len(sc.Groups)
		for _, g := range sc.Groups {
			es.quoted = es.quoted || needsQuoting(g)
			es.prefix += g + "."
		}
	}
	sc.StoreCache(scopeKeys[syn], es)
	return es
}
