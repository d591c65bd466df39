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
// share handleState. Each Append writes the record's fields up to msg, whose
// keys are constants; from there one walk writes the attributes (the
// Scope's, encoded once, then the record's own), exc_info and stack_info,
// with what the two syntaxes write differently (separators, keys, quoting,
// groups, values) decided in the methods of syntax and of state below.

// syntax is the output syntax of a structured formatter.
type syntax uint8

const (
	syntaxJSON syntax = iota // {"k":v,"g":{"k":v}}
	syntaxText               // k=v g.k=v, as slog's TextHandler
)

// structured is the formatter behind JSON and Logfmt. It is immutable once
// built, but for its time cache, which is safe for concurrent use.
type structured struct {
	syn       syntax
	addSource bool
	loc       *time.Location
	times     secCache
}

// appendRest writes what follows msg: the attributes, then the exception
// and stack texts. JSON.Append and Logfmt.Append write the fields before it
// themselves, with constant keys, and the closing brace of JSON after it.
//
// A Scope's attributes are encoded once and reused (see scopeOf); the
// record's own continue from the state they left. When that state has every
// group of the Scope open and a separator due (in logfmt, always), the
// record's attributes take appendAttrs's loop at once; else they are walked
// until the groups are open.
func (f *structured) appendRest(dst []byte, r *record.Record) []byte {
	syn := f.syn
	inline, rest := r.AttrSlices()
	es := &noScope
	if sc := r.Scope; sc != nil {
		es = syn.scopeOf(sc)
		dst = append(dst, es.b...)
		if es.open < len(es.groups) || !es.sep {
			// JSON groups that wait for an attribute to land in them. A
			// plain value is never left out: when the record's first
			// attribute is one, open them now, as the walk would.
			if len(inline) == 0 || !plainKind(inline[0].Value.Kind()) {
				return f.appendTail(syn.appendScopedWalk(dst, es, inline, rest), r)
			}
			a := &inline[0]
			dst = appendJSONOpen(dst, es.groups[es.open:], es.sep)
			dst = append(appendJSONString(dst, a.Key), ':')
			dst = appendJSONValue(dst, a.Value, a.Value.Kind())
			inline = inline[1:]
		}
	}
	dst = syn.appendAttrs(syn.appendAttrs(dst, es, inline), es, rest)
	if syn == syntaxJSON {
		for range es.groups {
			dst = append(dst, '}')
		}
	}
	return f.appendTail(dst, r)
}

// appendTail writes the exception and stack texts.
func (f *structured) appendTail(dst []byte, r *record.Record) []byte {
	if r.ErrText != "" {
		dst = f.syn.appendString(f.syn.appendTailKey(dst, "exc_info"), r.ErrText)
	}
	if r.Stack != "" {
		dst = f.syn.appendString(f.syn.appendTailKey(dst, "stack_info"), r.Stack)
	}
	return dst
}

// plainKind reports whether a value of kind k is written as it is: never
// resolved, never left out, never a group.
func plainKind(k slog.Kind) bool {
	return k != slog.KindAny && k != slog.KindGroup && k != slog.KindLogValuer
}

// appendScopedWalk writes the record's attributes for appendRest when groups
// of its Scope remain to be opened. It is apart from appendRest to keep its
// state off the stack frame of the common case.
//
//go:noinline
func (syn syntax) appendScopedWalk(dst []byte, es *encodedScope, inline, rest []slog.Attr) []byte {
	st := state{dst: dst, syn: syn, sep: es.sep, open: es.open}
	st.attrs(es, inline)
	st.attrs(es, rest)
	return st.closeScope()
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

// The syntax switch: what JSON and logfmt write differently after msg. (The
// fields before it are written by JSON.Append and Logfmt.Append themselves,
// so that each constant key is copied in place, not by a call of memmove:
// that and the calls a switch would add cost about 8% of a record.)

// appendTailKey writes the separator and key of exc_info or stack_info.
func (syn syntax) appendTailKey(dst []byte, k string) []byte {
	if syn == syntaxJSON {
		return append(append(append(dst, ',', '"'), k...), '"', ':')
	}
	return append(append(append(dst, ' '), k...), '=')
}

// appendString writes a string value. It and appendValue call the syntax's
// function through a table: one indirect call, where a branch would add the
// call of a wrapper too large to inline.
func (syn syntax) appendString(dst []byte, s string) []byte {
	return appendStringOf[syn](dst, s)
}

var appendStringOf = [...]func(dst []byte, s string) []byte{
	syntaxJSON: appendJSONString,
	syntaxText: appendTextString,
}

// appendValue writes a resolved, non-group value of kind k.
func (syn syntax) appendValue(dst []byte, v slog.Value, k slog.Kind) []byte {
	return appendValueOf[syn](dst, v, k)
}

var appendValueOf = [...]func(dst []byte, v slog.Value, k slog.Kind) []byte{
	syntaxJSON: appendJSONValue,
	syntaxText: appendTextValue,
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
	if s.open < len(path) {
		s.dst = appendJSONOpen(s.dst, path[s.open:], s.sep)
		s.open, s.sep = len(path), false
	}
}

// appendJSONOpen opens groups as nested objects, "g1":{"g2":{, after a
// separator when sep is set.
func appendJSONOpen(dst []byte, groups []string, sep bool) []byte {
	for _, g := range groups {
		if sep {
			dst = append(dst, ',')
		}
		dst = append(appendJSONString(dst, g), ':', '{')
		sep = false
	}
	return dst
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

// attrs writes as, each inside the groups of the Scope es was encoded from.
// Once those groups are all open and a separator is due, what is left takes
// the path of appendAttrs, which writes the same bytes with no call per
// attribute.
func (s *state) attrs(es *encodedScope, as []slog.Attr) {
	for i := range as {
		if s.open == len(es.groups) && s.sep {
			s.dst = s.syn.appendAttrs(s.dst, es, as[i:])
			return
		}
		s.walk(es.groups, as[i])
	}
}

// appendAttrs writes as inside the groups of es's Scope, all open, with
// a separator due: a plain value straight, with its key written here, the
// rest by the walk. This is the loop most of a record's time is spent in, so
// it calls each syntax's writers directly.
func (syn syntax) appendAttrs(dst []byte, es *encodedScope, as []slog.Attr) []byte {
	for i := range as {
		a := &as[i]
		switch k := a.Value.Kind(); k {
		case slog.KindAny, slog.KindGroup, slog.KindLogValuer:
		default:
			switch {
			case syn == syntaxJSON:
				dst = append(appendJSONString(append(dst, ','), a.Key), ':')
			case es.prefix == "":
				dst = append(appendTextString(append(dst, ' '), a.Key), '=')
			case !es.quoted && !needsQuoting(a.Key):
				// Inside the Scope's groups: g1.g2.key, unless a part needs
				// quoting, when the walk quotes the dotted key as a whole.
				dst = append(append(append(append(dst, ' '), es.prefix...), a.Key...), '=')
			default:
				dst = syn.appendAttrIn(dst, es.groups, *a)
				continue
			}
			// The kinds both syntaxes write alike, and strings, without a
			// call of appendValue.
			switch v := a.Value; k {
			case slog.KindString:
				if syn == syntaxJSON {
					dst = appendJSONString(dst, v.String())
				} else {
					dst = appendTextString(dst, v.String())
				}
			case slog.KindInt64:
				dst = strconv.AppendInt(dst, v.Int64(), 10)
			case slog.KindUint64:
				dst = strconv.AppendUint(dst, v.Uint64(), 10)
			case slog.KindBool:
				dst = strconv.AppendBool(dst, v.Bool())
			case slog.KindFloat64:
				if syn == syntaxJSON {
					dst = appendJSONFloat(dst, v.Float64())
				} else {
					dst = appendTextFloat(dst, v.Float64())
				}
			default:
				dst = syn.appendValue(dst, v, k)
			}
			continue
		}
		dst = syn.appendAttrIn(dst, es.groups, *a)
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
	groups []string // the Scope's
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
// Its field keeps the two keys distinct pointers (pointers to zero-size
// values may be equal) and names the key when printed.
type scopeKey struct{ name string }

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
	es := &encodedScope{b: st.dst, open: st.open, sep: st.sep, groups: sc.Groups}
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
