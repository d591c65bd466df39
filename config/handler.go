package config

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/supervision"
)

// handlerKeys are the keys every handler takes, whatever its class.
var handlerKeys = []string{"class", "level", "formatter", "filters", "mailbox", "supervision", "terminator", "."}

func (d *decoder) handler(e entry, path string, table classTable) *HandlerSpec {
	es, ok := d.mapping(e.val, path)
	if !ok {
		return nil
	}
	h := &HandlerSpec{Name: e.key, Pos: posOf(e.keyNode)}
	classGiven := false
	for _, en := range es {
		if en.key != "class" {
			continue
		}
		p := joinKey(path, "class")
		classGiven = true
		name, ok := d.str(en.val, p)
		if !ok {
			break
		}
		if h.Class = table.lookup(name); h.Class == nil {
			msg := "unknown handler class " + quote(name)
			if s := suggest(name, table.allNames()); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			msg += " (known: " + strings.Join(table.names(), ", ") + ")"
			d.add(d.resolve(en.val), p, ErrUnknownClass, msg)
		}
	}
	if !classGiven {
		d.add(d.resolve(e.val), joinKey(path, "class"), ErrMissing, "missing (want one of "+strings.Join(table.names(), ", ")+")")
	}
	var b *bound
	if h.Class != nil {
		h.Options = h.Class.newOptions()
		b = h.Class.schema.value(h.Options)
		h.params = b
	}
	for _, en := range es {
		p := joinKey(path, en.key)
		switch en.key {
		case "class":
		case "level":
			if !isNull(en.val) {
				h.Level, _ = d.level(en.val, p)
			}
		case "formatter":
			if !isNull(en.val) {
				if s, ok := d.str(en.val, p); ok {
					h.FormatterRef = &Ref{Name: s, Pos: posOf(d.resolve(en.val)), Path: p}
				}
			}
		case "filters":
			if !isNull(en.val) {
				h.FilterRefs = d.names(en.val, p)
			}
		case "terminator":
			d.terminator(h, en.val, p)
		case ".":
			if fs, ok := d.fields(en.val, p, []string{"terminator"}); ok {
				if t, ok := fs["terminator"]; ok {
					d.terminator(h, t.val, joinKey(p, "terminator"))
				}
			}
		case "mailbox":
			d.options(&h.Mailbox, mailboxSchema, en.val, p)
		case "supervision":
			d.options(&h.Supervision, supervisionSchema, en.val, p)
		case "()":
			d.add(en.keyNode, p, ErrUnsupported, `"()" factories are not supported (use class)`)
		default:
			switch {
			case b == nil: // no class: its parameters cannot be judged
			case b.s.field(en.key) == nil:
				d.unknownKey(en, path, append(append([]string(nil), handlerKeys...), b.s.keys()...))
			default:
				d.set(b, en.key, en.val, p)
			}
		}
	}
	if b != nil {
		h.targets = b.refs
		for _, r := range b.refs {
			h.Targets = append(h.Targets, r.Name)
		}
		d.notZero(b, h.Class.notZero, path)
		d.validate(b, d.resolve(e.val), path)
	}
	return h
}

// terminator sets Python's terminator: "" or null write nothing after a
// record; any other string (a NUL included) is written as it is.
func (d *decoder) terminator(h *HandlerSpec, n *yaml.Node, path string) {
	if isNull(n) {
		h.NoTerminator = true
		return
	}
	s, ok := d.str(n, path)
	if !ok {
		return
	}
	h.Terminator, h.NoTerminator = s, s == ""
}

// The mailbox and supervision blocks of every handler, bound by their
// packages' config tags.
var (
	mailboxSchema     = schemaOf(reflect.TypeFor[mailbox.Options]())
	supervisionSchema = schemaOf(reflect.TypeFor[supervision.Options]())
)

// options decodes the mapping n into *ptr by the schema s, then validates
// it (when every value decoded).
func (d *decoder) options(ptr any, s *schema, n *yaml.Node, path string) {
	if isNull(n) {
		return
	}
	es, ok := d.mapping(n, path)
	if !ok {
		return
	}
	b := s.value(ptr)
	d.block(b, es, path, nil)
	d.validate(b, d.resolve(n), path)
}

// notZero reports each of keys written as 0: an integer whose 0 means
// "the default" in Go, where Python would take 0 as written.
func (d *decoder) notZero(b *bound, keys []string, path string) {
	for _, k := range keys {
		if v, ok := b.get(k); ok && reflect.ValueOf(v).IsZero() {
			d.add(b.written[k], joinKey(path, k), ErrValue, "must be 1 or more")
			b.failed[k] = true
		}
	}
}

// checkRefs reports references to things not defined, and cycles of targets.
func (d *decoder) checkRefs(cfg *Config) {
	check := func(r Ref, what string, defined []string, has bool) {
		if has {
			return
		}
		msg := fmt.Sprintf("%s %s is not defined", what, quote(r.Name))
		switch s := suggest(r.Name, defined); {
		case s != "":
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		case len(defined) == 0:
			msg += fmt.Sprintf(" (no %ss are defined)", what)
		default:
			msg += " (defined: " + strings.Join(defined, ", ") + ")"
		}
		d.errs = append(d.errs, &Error{File: d.file, Line: r.Line, Column: r.Column, Path: r.Path, Msg: msg, Err: ErrUndefined})
	}
	fmts, filts, hands := sortedKeys(cfg.Formatters), sortedKeys(cfg.Filters), sortedKeys(cfg.Handlers)
	for _, name := range hands {
		h := cfg.Handlers[name]
		if r := h.FormatterRef; r != nil {
			_, ok := cfg.Formatters[r.Name]
			check(*r, "formatter", fmts, ok)
		}
		for _, r := range h.FilterRefs {
			_, ok := cfg.Filters[r.Name]
			check(r, "filter", filts, ok)
		}
		for _, r := range h.targets {
			_, ok := cfg.Handlers[r.Name]
			check(r, "handler", hands, ok)
		}
	}
	loggers := make([]*LoggerSpec, 0, len(cfg.Loggers)+1)
	if cfg.Root != nil {
		loggers = append(loggers, cfg.Root)
	}
	for _, name := range sortedKeys(cfg.Loggers) {
		loggers = append(loggers, cfg.Loggers[name])
	}
	for _, l := range loggers {
		for _, r := range l.Handlers {
			_, ok := cfg.Handlers[r.Name]
			check(r, "handler", hands, ok)
		}
		for _, r := range l.Filters {
			_, ok := cfg.Filters[r.Name]
			check(r, "filter", filts, ok)
		}
	}
	d.checkCycles(cfg, hands)
}

// checkCycles reports each cycle of handler targets once.
func (d *decoder) checkCycles(cfg *Config, names []string) {
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	var visit func(name string)
	visit = func(name string) {
		color[name] = grey
		stack = append(stack, name)
		h := cfg.Handlers[name]
		for _, r := range h.targets {
			if _, ok := cfg.Handlers[r.Name]; !ok {
				continue
			}
			switch color[r.Name] {
			case white:
				visit(r.Name)
			case grey:
				i := len(stack) - 1
				for stack[i] != r.Name {
					i--
				}
				cycle := append(append([]string(nil), stack[i:]...), r.Name)
				d.errs = append(d.errs, &Error{File: d.file, Line: r.Line, Column: r.Column, Path: r.Path,
					Msg: "cycle of targets: " + strings.Join(cycle, " -> "), Err: ErrCycle})
			}
		}
		stack = stack[:len(stack)-1]
		color[name] = black
	}
	for _, name := range names {
		if color[name] == white {
			visit(name)
		}
	}
}

// sortErrors puts the errors in the order of the file.
func (d *decoder) sortErrors() {
	sort.SliceStable(d.errs, func(i, j int) bool {
		a, b := d.errs[i], d.errs[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}
