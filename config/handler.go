package config

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/actorlog/actorlog/actors/file"
	"github.com/actorlog/actorlog/mailbox"
)

var timeUTC = time.UTC

// handlerKeys are the keys every handler takes, whatever its class.
var handlerKeys = []string{"class", "level", "formatter", "filters", "mailbox", "supervision", "terminator", "."}

var (
	mailboxKeys     = []string{"capacity", "overflow", "blockTimeout", "maxBatch"}
	supervisionKeys = []string{"retryStart", "retryFactor", "retryMax", "resetAfter"}
)

func (d *decoder) handler(e entry, path string, table classTable) *HandlerSpec {
	es, ok := d.mapping(e.val, path)
	if !ok {
		return nil
	}
	h := &HandlerSpec{Name: e.key, Pos: posOf(e.keyNode), Params: map[string]any{}}
	n0 := len(d.errs)
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
			msg := fmt.Sprintf("unknown handler class %q", name)
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
			d.mailbox(h, en.val, p)
		case "supervision":
			d.supervision(h, en.val, p)
		case "()":
			d.add(en.keyNode, p, ErrUnsupported, `"()" factories are not supported (use class)`)
		default:
			if h.Class == nil {
				continue // no class: its parameters cannot be judged
			}
			pr := h.Class.param(en.key)
			if pr == nil {
				d.unknownKey(en, path, append(append([]string(nil), handlerKeys...), h.Class.paramKeys()...))
				continue
			}
			if isNull(en.val) {
				continue
			}
			if v, ok := d.param(h, pr, en.val, p); ok {
				if pr.check != nil {
					if msg := pr.check(v); msg != "" {
						d.add(d.resolve(en.val), p, ErrValue, msg)
						continue
					}
				}
				h.Params[pr.key] = v
			}
		}
	}
	if h.Class != nil {
		for _, pr := range h.Class.params {
			if _, ok := h.Params[pr.key]; pr.required && !ok && !d.reported(path, pr.key, n0) {
				d.add(d.resolve(e.val), joinKey(path, pr.key), ErrMissing, fmt.Sprintf("missing (%s needs %s)", h.Class.Name, pr.key))
			}
		}
	}
	return h
}

// reported tells whether an error about path.key was recorded since n0.
func (d *decoder) reported(path, key string, n0 int) bool {
	p := joinKey(path, key)
	for _, e := range d.errs[n0:] {
		if e.Path == p {
			return true
		}
	}
	return false
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

func (d *decoder) mailbox(h *HandlerSpec, n *yaml.Node, path string) {
	if isNull(n) {
		return
	}
	fs, ok := d.fields(n, path, mailboxKeys)
	if !ok {
		return
	}
	n0 := len(d.errs)
	o := &h.Mailbox
	if e, ok := fs["capacity"]; ok && !isNull(e.val) {
		o.Capacity, _ = d.nonNegative(e.val, joinKey(path, "capacity"))
	}
	if e, ok := fs["maxBatch"]; ok && !isNull(e.val) {
		o.MaxBatch, _ = d.nonNegative(e.val, joinKey(path, "maxBatch"))
	}
	if e, ok := fs["blockTimeout"]; ok && !isNull(e.val) {
		o.BlockTimeout, _ = d.duration(e.val, joinKey(path, "blockTimeout"))
	}
	if e, ok := fs["overflow"]; ok && !isNull(e.val) {
		p := joinKey(path, "overflow")
		if s, ok := d.str(e.val, p); ok {
			pol, err := mailbox.ParsePolicy(s)
			if err != nil {
				d.add(d.resolve(e.val), p, ErrValue, fmt.Sprintf("unknown overflow policy %q (want block, drop_newest or drop_oldest)", s))
			}
			o.Overflow = pol
		}
	}
	if len(d.errs) == n0 {
		if err := o.Validate(); err != nil {
			d.add(d.resolve(n), path, ErrValue, err.Error())
		}
	}
}

func (d *decoder) supervision(h *HandlerSpec, n *yaml.Node, path string) {
	if isNull(n) {
		return
	}
	fs, ok := d.fields(n, path, supervisionKeys)
	if !ok {
		return
	}
	n0 := len(d.errs)
	o := &h.Supervision
	if e, ok := fs["retryStart"]; ok && !isNull(e.val) {
		o.RetryStart, _ = d.duration(e.val, joinKey(path, "retryStart"))
	}
	if e, ok := fs["retryMax"]; ok && !isNull(e.val) {
		o.RetryMax, _ = d.duration(e.val, joinKey(path, "retryMax"))
	}
	if e, ok := fs["resetAfter"]; ok && !isNull(e.val) {
		o.ResetAfter, _ = d.duration(e.val, joinKey(path, "resetAfter"))
	}
	if e, ok := fs["retryFactor"]; ok && !isNull(e.val) {
		p := joinKey(path, "retryFactor")
		if f, ok := d.number(e.val, p); ok {
			if f < 1 {
				d.errorf(d.resolve(e.val), p, ErrValue, "want a number of 1 or more, got %s", d.resolve(e.val).Value)
			}
			o.RetryFactor = f
		}
	}
	if len(d.errs) == n0 {
		if err := o.Validate(); err != nil {
			d.add(d.resolve(n), path, ErrValue, err.Error())
		}
	}
}

// param decodes one class parameter according to its kind.
func (d *decoder) param(h *HandlerSpec, pr *param, n *yaml.Node, path string) (any, bool) {
	switch pr.kind {
	case kindString:
		return d.str(n, path)
	case kindInt:
		return d.nonNegative(n, path)
	case kindBool:
		return d.boolean(n, path)
	case kindDuration:
		return d.duration(n, path)
	case kindLevel:
		return d.level(n, path)
	case kindStream:
		s, ok := d.str(n, path)
		if !ok {
			return nil, false
		}
		switch strings.TrimPrefix(strings.TrimPrefix(s, "ext://"), "sys.") {
		case "stdout":
			return "stdout", true
		case "stderr":
			return "stderr", true
		}
		d.errorf(d.resolve(n), path, ErrValue, "unknown stream %q (want stdout or stderr; ext://sys.stdout and ext://sys.stderr also work)", s)
		return nil, false
	case kindTimeOfDay:
		s, ok := d.str(n, path)
		if !ok {
			return nil, false
		}
		t, err := file.ParseTimeOfDay(s)
		if err != nil {
			d.errorf(d.resolve(n), path, ErrValue, `want a time of day "HH:MM" or "HH:MM:SS", got %q`, s)
			return nil, false
		}
		return t, true
	case kindFileMode:
		s, ok := d.scalar(n, path, "an octal permission")
		if !ok {
			return nil, false
		}
		if s.ShortTag() == "!!int" || s.ShortTag() == "!!str" {
			v := strings.TrimPrefix(strings.TrimPrefix(s.Value, "0o"), "0O")
			if m, err := strconv.ParseUint(v, 8, 32); err == nil && m <= 0o777 {
				return os.FileMode(m), true
			}
		}
		d.errorf(s, path, ErrValue, "want an octal permission such as 0640, got %s", describe(s))
		return nil, false
	case kindHandler:
		s, ok := d.str(n, path)
		if !ok {
			return nil, false
		}
		h.targets = append(h.targets, Ref{Name: s, Pos: posOf(d.resolve(n)), Path: path})
		return s, true
	case kindHandlers:
		refs := d.names(n, path)
		out := make([]string, len(refs))
		for i, r := range refs {
			out[i] = r.Name
		}
		h.targets = append(h.targets, refs...)
		return out, true
	}
	d.errorf(n, path, ErrType, "parameter of unknown kind %d", pr.kind)
	return nil, false
}

// checkRefs reports references to things not defined, and cycles of targets.
func (d *decoder) checkRefs(cfg *Config) {
	check := func(r Ref, what string, defined []string, has bool) {
		if has {
			return
		}
		msg := fmt.Sprintf("%s %q is not defined", what, r.Name)
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
