package config

import (
	"encoding"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/internal/optcheck"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// A schema binds the keys of a config block to the fields of an options
// struct. A field takes part when it carries a tag `config:"key"`; fields
// of embedded structs are walked. The tag
// option ",handler" marks a string or []string field as naming other
// handlers (a target), which Parse checks exist and form no cycle; the
// option ",single" lets a []string field be given one string for a
// one-element list (Python's SMTPHandler takes toaddrs "ops@example.com"
// as ["ops@example.com"]); the
// option ",not" marks a bool field holding the opposite of its key, so
// that a key whose Python default is true (flushOnClose) binds to a Go
// field whose zero value keeps that default (NoFlushOnClose).
//
// Each key's value is decoded by the field's type; then the options'
// Validate (found on the struct by the interface validator) judges the
// whole, and each problem it names by Go field is reported at the key
// bound to that field.
type schema struct {
	typ    reflect.Type
	fields []field
}

// field is one key of a schema.
type field struct {
	key string
	// goName is the field's Go path ("Options.Filename").
	goName     string
	index      []int
	typ        reflect.Type
	tag        reflect.StructTag
	handlerRef bool
	single     bool // a scalar is a one-element list
	not        bool // a bool holding the opposite of the key's value
}

// validator is what an options struct implements to judge its values.
type validator interface{ Validate() error }

// Types with a decoding of their own.
var (
	durationType = reflect.TypeFor[time.Duration]()
	fileModeType = reflect.TypeFor[os.FileMode]()
	levelType    = reflect.TypeFor[record.Level]()
	policyType   = reflect.TypeFor[mailbox.Policy]()
	styleType    = reflect.TypeFor[format.Style]()
	defaultsType = reflect.TypeFor[map[string]any]()
	stringsType  = reflect.TypeFor[[]string]()
)

// schemaOf binds the fields of the struct type t. A bound field of a type
// the decoder does not know is a mistake in the table, found when the
// package initialises.
func schemaOf(t reflect.Type) *schema {
	s := &schema{typ: t}
	s.walk(t, nil, "")
	return s
}

func (s *schema) walk(t reflect.Type, index []int, prefix string) {
	for i := range t.NumField() {
		sf := t.Field(i)
		idx := append(append([]int(nil), index...), i)
		goName := prefix + sf.Name
		tag, hasTag := sf.Tag.Lookup("config")
		if !hasTag && sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			s.walk(sf.Type, idx, goName+".")
			continue
		}
		if !hasTag || tag == "-" || !sf.IsExported() {
			continue
		}
		key, opt, _ := strings.Cut(tag, ",")
		f := field{key: key, goName: goName, index: idx, typ: sf.Type, tag: sf.Tag,
			handlerRef: opt == "handler", single: opt == "single", not: opt == "not"}
		if !decodable(f.typ) || (f.handlerRef && f.typ.Kind() != reflect.String && f.typ != reflect.TypeFor[[]string]()) ||
			(f.not && f.typ.Kind() != reflect.Bool) {
			panic(fmt.Sprintf("config: %v.%s: no decoding for %v", s.typ, goName, f.typ))
		}
		if s.field(key) != nil {
			panic(fmt.Sprintf("config: %v: key %q bound twice", s.typ, key))
		}
		s.fields = append(s.fields, f)
	}
}

// without returns s without the fields bound to keys.
func (s *schema) without(keys []string) *schema {
	out := &schema{typ: s.typ}
	for _, f := range s.fields {
		if !contains(keys, f.key) {
			out.fields = append(out.fields, f)
		}
	}
	return out
}

// decodable tells whether decodeInto knows type t. (It runs while the
// package initialises its tables, so it names the types itself.)
func decodable(t reflect.Type) bool {
	switch t {
	case reflect.TypeFor[time.Duration](), reflect.TypeFor[os.FileMode](), reflect.TypeFor[record.Level](),
		reflect.TypeFor[mailbox.Policy](), reflect.TypeFor[format.Style](), reflect.TypeFor[map[string]any](),
		reflect.TypeFor[[]string]():
		return true
	}
	if textType(t) != nil {
		return true
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int64, reflect.Float64:
		return true
	}
	return false
}

// textType returns the type whose pointer unmarshals text, for fields of
// type T or *T where *T is an encoding.TextUnmarshaler; nil otherwise.
func textType(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) {
		return t
	}
	return nil
}

// field returns the field bound to key, or nil.
func (s *schema) field(key string) *field {
	for i := range s.fields {
		if s.fields[i].key == key {
			return &s.fields[i]
		}
	}
	return nil
}

// byGoName returns the field a Validate problem names, or nil: by its
// whole Go path ("Options.Filename"), else by the promoted name an
// embedding struct's Validate uses ("Filename").
func (s *schema) byGoName(name string) *field {
	for i := range s.fields {
		if s.fields[i].goName == name {
			return &s.fields[i]
		}
	}
	for i := range s.fields {
		if f := &s.fields[i]; strings.HasSuffix(f.goName, "."+name) {
			return f
		}
	}
	return nil
}

// keys lists the keys in the order of the struct.
func (s *schema) keys() []string {
	out := make([]string, len(s.fields))
	for i, f := range s.fields {
		out[i] = f.key
	}
	return out
}

// bound is an options value being decoded: the struct and the nodes of the
// keys written.
type bound struct {
	s       *schema
	v       reflect.Value // addressable struct
	written map[string]*yaml.Node
	failed  map[string]bool // keys whose value did not decode
	refs    []Ref           // values of ",handler" fields
}

func (s *schema) value(ptr any) *bound {
	return &bound{s: s, v: reflect.ValueOf(ptr).Elem(), written: map[string]*yaml.Node{}, failed: map[string]bool{}}
}

// set decodes n into the field bound to key (which must exist); a null
// leaves the field as it is.
func (d *decoder) set(b *bound, key string, n *yaml.Node, path string) bool {
	f := b.s.field(key)
	if isNull(n) {
		return true
	}
	v := b.v.FieldByIndex(f.index)
	ok := d.decodeInto(v, f, n, path)
	if !ok {
		b.failed[key] = true
	} else {
		b.written[key] = d.resolve(n)
		if f.handlerRef {
			b.refs = append(b.refs, d.handlerRefs(v, n, path)...)
		}
	}
	return ok
}

// handlerRefs returns the references a ",handler" field now holds.
func (d *decoder) handlerRefs(v reflect.Value, n *yaml.Node, path string) []Ref {
	if v.Kind() == reflect.String {
		return []Ref{{Name: v.String(), Pos: posOf(d.resolve(n)), Path: path}}
	}
	items, _ := d.list(n, path)
	out := make([]Ref, 0, len(items))
	for i, it := range items {
		out = append(out, Ref{Name: v.Index(i).String(), Pos: posOf(d.resolve(it)), Path: joinIndex(path, i)})
	}
	return out
}

// decodeInto decodes n into v, a field of type f.typ.
func (d *decoder) decodeInto(v reflect.Value, f *field, n *yaml.Node, path string) bool {
	switch f.typ {
	case durationType:
		x, ok := d.duration(n, path)
		v.SetInt(int64(x))
		return ok
	case fileModeType:
		x, ok := d.fileMode(n, path)
		v.SetUint(uint64(x))
		return ok
	case levelType:
		x, ok := d.level(n, path)
		v.SetInt(int64(x))
		return ok
	case policyType:
		s, ok := d.str(n, path)
		if !ok {
			return false
		}
		p, err := mailbox.ParsePolicy(s)
		if err != nil {
			d.errorf(d.resolve(n), path, ErrValue, "unknown overflow policy %s (want block, drop_newest or drop_oldest)", quote(s))
			return false
		}
		v.SetInt(int64(p))
		return true
	case styleType:
		s, ok := d.str(n, path)
		if !ok {
			return false
		}
		switch s {
		case "%", "{", "$":
			v.SetUint(uint64(s[0]))
			return true
		}
		d.errorf(d.resolve(n), path, ErrValue, "unknown style %s (want %%, { or $)", quote(s))
		return false
	case defaultsType:
		m := d.defaults(n, path)
		v.Set(reflect.ValueOf(m))
		return m != nil
	case stringsType:
		if r := d.resolve(n); f.single && r != nil && r.Kind == yaml.ScalarNode {
			s, ok := d.str(n, path)
			v.Set(reflect.ValueOf([]string{s}))
			return ok
		}
		refs := d.names(n, path)
		out := make([]string, len(refs))
		for i, r := range refs {
			out[i] = r.Name
		}
		v.Set(reflect.ValueOf(out))
		return true
	}
	if t := textType(f.typ); t != nil {
		if r := d.resolve(n); r != nil && r.Kind == yaml.SequenceNode {
			return d.textList(v, f, t, r, path)
		}
		s, ok := d.str(n, path)
		if !ok {
			return false
		}
		p := reflect.New(t)
		if err := p.Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
			// An options package says what is wrong in a FieldError
			// (file.TimeOfDay does); its Problem reads well at the key.
			msg := err.Error()
			if fs := optcheck.Fields(err); len(fs) == 1 {
				msg = fs[0].Problem
			}
			d.errs = append(d.errs, d.newError(d.resolve(n), path, msg, fmt.Errorf("%w: %w", ErrValue, err)))
			return false
		}
		setText(v, f, p)
		return true
	}
	switch f.typ.Kind() {
	case reflect.String:
		s, ok := d.str(n, path)
		v.SetString(s)
		return ok
	case reflect.Bool:
		b, ok := d.boolean(n, path)
		v.SetBool(b != f.not)
		return ok
	case reflect.Int, reflect.Int64:
		x, ok := d.nonNegative(n, path)
		if ok && v.OverflowInt(x) {
			d.errorf(d.resolve(n), path, ErrValue, "want an integer of 0 or more, at most %d, got %d", int64(1)<<(v.Type().Bits()-1)-1, x)
			return false
		}
		v.SetInt(x)
		return ok
	case reflect.Float64:
		x, ok := d.number(n, path)
		v.SetFloat(x)
		return ok
	}
	d.errorf(n, path, ErrType, "no decoding for %v", f.typ) // schemaOf refused it
	return false
}

// listUnmarshaler is a text type that also reads a list of scalars: a
// syslog address written as Python's tuple, [host, port].
type listUnmarshaler interface {
	UnmarshalTextList(items []string) error
}

// textList decodes a list into v, a text type t whose pointer is a
// listUnmarshaler; other text types take a scalar only.
func (d *decoder) textList(v reflect.Value, f *field, t reflect.Type, n *yaml.Node, path string) bool {
	p := reflect.New(t)
	lu, ok := p.Interface().(listUnmarshaler)
	if !ok {
		_, ok := d.str(n, path) // reports the type error
		return ok
	}
	items := make([]string, 0, len(n.Content))
	for i, it := range n.Content {
		s, ok := d.str(it, joinIndex(path, i))
		if !ok {
			return false
		}
		items = append(items, s)
	}
	if err := lu.UnmarshalTextList(items); err != nil {
		d.errs = append(d.errs, d.newError(n, path, err.Error(), fmt.Errorf("%w: %w", ErrValue, err)))
		return false
	}
	setText(v, f, p)
	return true
}

// setText stores p, a decoded *T, in v, a field of type T or *T.
func setText(v reflect.Value, f *field, p reflect.Value) {
	if f.typ.Kind() == reflect.Pointer {
		v.Set(p)
	} else {
		v.Set(p.Elem())
	}
}

// fileMode reads an octal permission, as 0640, 0o640 or "640".
func (d *decoder) fileMode(n *yaml.Node, path string) (os.FileMode, bool) {
	s, ok := d.scalar(n, path, "an octal permission")
	if !ok {
		return 0, false
	}
	if s.ShortTag() == "!!int" || s.ShortTag() == "!!str" {
		v := strings.TrimPrefix(strings.TrimPrefix(s.Value, "0o"), "0O")
		if m, err := strconv.ParseUint(v, 8, 32); err == nil && m <= 0o777 {
			return os.FileMode(m), true
		}
	}
	d.errorf(s, path, ErrValue, "want an octal permission such as 0640, got %s", describe(s))
	return 0, false
}

// block decodes the entries of a mapping into b: each key of the schema is
// set; any other key not in also is reported as unknown, with the keys
// allowed (also first, then the schema's) to suggest from. It returns the
// entries of also, for the caller to read.
func (d *decoder) block(b *bound, es []entry, path string, also []string) []entry {
	var rest []entry
	for _, e := range es {
		p := joinKey(path, e.key)
		switch {
		case contains(also, e.key):
			rest = append(rest, e)
		case b.s.field(e.key) != nil:
			d.set(b, e.key, e.val, p)
		default:
			d.unknownKey(e, path, append(append([]string(nil), also...), b.s.keys()...))
		}
	}
	return rest
}

// validate runs the options' Validate, when they have one, and reports
// each problem at the key of the field it names: at the value when the key
// was written, else as missing at at (the block's place) under the key's
// path. Problems of fields no key sets, and errors that name no field, are
// reported at at. A key whose value did not decode was reported already:
// Validate's word on its zero value is left out.
func (d *decoder) validate(b *bound, at *yaml.Node, path string) {
	val, ok := b.v.Addr().Interface().(validator)
	if !ok {
		return
	}
	err := val.Validate()
	if err == nil {
		return
	}
	fields := optcheck.Fields(err)
	for _, fe := range fields {
		wrapped := fmt.Errorf("%w: %w", ErrValue, fe)
		f := b.s.byGoName(fe.Field)
		switch {
		case f == nil:
			d.errs = append(d.errs, d.newError(at, path, fe.Field+": "+fe.Problem, wrapped))
		case b.failed[f.key]:
		case b.written[f.key] != nil:
			d.errs = append(d.errs, d.newError(b.written[f.key], joinKey(path, f.key), fe.Problem, wrapped))
		default:
			d.errs = append(d.errs, d.newError(at, joinKey(path, f.key), "missing ("+fe.Problem+")", fmt.Errorf("%w: %w", ErrMissing, fe)))
		}
	}
	for _, e := range optcheck.Leaves(err) {
		var fe *optcheck.FieldError
		if !errors.As(e, &fe) {
			d.errs = append(d.errs, d.newError(at, path, e.Error(), fmt.Errorf("%w: %w", ErrValue, e)))
		}
	}
}

// get returns the value of key, and whether the file wrote it: the
// field's value, or its opposite for a ",not" field.
func (b *bound) get(key string) (any, bool) {
	f := b.s.field(key)
	if f == nil || b.written[key] == nil {
		return nil, false
	}
	v := b.v.FieldByIndex(f.index)
	if f.not {
		return !v.Bool(), true
	}
	return v.Interface(), true
}

// keyOf returns the key written with the string value v, and its node.
func (b *bound) keyOf(v string) (string, *yaml.Node) {
	for _, f := range b.s.fields {
		if n := b.written[f.key]; n != nil && f.typ.Kind() == reflect.String && b.v.FieldByIndex(f.index).String() == v {
			return f.key, n
		}
	}
	return "", nil
}
