package config

import (
	"context"
	"encoding"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/record"
)

// WriteTree writes the resolved config as `actorlog check` prints it: the
// formatters and filters, the handlers in build order with their parameters,
// then the logger tree with each logger's level and the handlers its records
// reach through propagation, then the receivers.
func (c *Config) WriteTree(w io.Writer) error {
	var b strings.Builder
	if len(c.Formatters) > 0 {
		b.WriteString("formatters:\n")
		for _, name := range sortedKeys(c.Formatters) {
			f := c.Formatters[name]
			fmt.Fprintf(&b, "  %s: %s", name, f.Class)
			if f.Class == "python" {
				fmt.Fprintf(&b, " %q", f.format())
				if f.Style != 0 && f.Style != '%' {
					fmt.Fprintf(&b, " style=%c", rune(f.Style))
				}
				if f.Datefmt != "" {
					fmt.Fprintf(&b, " datefmt=%q", f.Datefmt)
				}
			}
			if f.UTC {
				b.WriteString(" utc")
			}
			b.WriteByte('\n')
		}
	}
	if len(c.Filters) > 0 {
		b.WriteString("filters:\n")
		for _, name := range sortedKeys(c.Filters) {
			f := c.Filters[name]
			fmt.Fprintf(&b, "  %s: name=%q", name, f.Logger)
			if f.MinLevel != 0 {
				fmt.Fprintf(&b, " minLevel=%v", f.MinLevel)
			}
			if f.MaxLevel != 0 {
				fmt.Fprintf(&b, " maxLevel=%v", f.MaxLevel)
			}
			b.WriteByte('\n')
		}
	}
	b.WriteString("handlers:\n")
	if len(c.Handlers) == 0 {
		b.WriteString("  (none)\n")
	}
	for _, name := range c.HandlerOrder() {
		h := c.Handlers[name]
		fmt.Fprintf(&b, "  %s: %s level=%v", name, h.Class.Name, h.Level)
		keys := h.Class.Keys()
		sort.Strings(keys)
		for _, k := range keys {
			if v, ok := h.Param(k); ok {
				if secretKeys[k] {
					fmt.Fprintf(&b, " %s=***", k)
					continue
				}
				fmt.Fprintf(&b, " %s=%s", k, showParam(v))
			}
		}
		if h.FormatterRef != nil {
			fmt.Fprintf(&b, " formatter=%s", h.FormatterRef.Name)
		}
		if len(h.FilterRefs) > 0 {
			fmt.Fprintf(&b, " filters=[%s]", refNames(h.FilterRefs))
		}
		switch {
		case h.NoTerminator:
			fmt.Fprintf(&b, " terminator=%q", "")
		case h.Terminator != "":
			fmt.Fprintf(&b, " terminator=%q", h.Terminator)
		}
		writeBlock(&b, "mailbox", mailboxSchema, &h.Mailbox)
		writeBlock(&b, "supervision", supervisionSchema, &h.Supervision)
		b.WriteByte('\n')
	}
	b.WriteString("loggers:\n")
	if err := c.writeLoggers(&b); err != nil {
		return err
	}
	if len(c.Receivers) > 0 {
		b.WriteString("receivers:\n")
		for _, r := range c.Receivers {
			fmt.Fprintf(&b, "  %s %s\n", r.Type, r.Listen)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeBlock writes " name{key=value ...}" with every key of the block
// bound by s in *ptr, unless all are zero (the defaults).
func writeBlock(b *strings.Builder, name string, s *schema, ptr any) {
	v := reflect.ValueOf(ptr).Elem()
	set := false
	for _, f := range s.fields {
		set = set || !v.FieldByIndex(f.index).IsZero()
	}
	if !set {
		return
	}
	b.WriteString(" " + name)
	for i, f := range s.fields {
		sep := " "
		if i == 0 {
			sep = "{"
		}
		fmt.Fprintf(b, "%s%s=%s", sep, f.key, showParam(v.FieldByIndex(f.index).Interface()))
	}
	b.WriteByte('}')
}

func refNames(rs []Ref) string {
	ns := make([]string, len(rs))
	for i, r := range rs {
		ns[i] = r.Name
	}
	return strings.Join(ns, " ")
}

// secretKeys are the keys whose values the tree never shows (an HMAC key,
// a token, SMTP or HTTP credentials): check's output ends up in terminals,
// CI logs and tickets.
var secretKeys = map[string]bool{"key": true, "token": true, "credentials": true}

// showParam shows a parameter's value as its options field holds it.
func showParam(v any) string {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return "null"
		}
		v, rv = rv.Elem().Interface(), rv.Elem()
	}
	switch x := v.(type) {
	case os.FileMode:
		return fmt.Sprintf("%#o", uint32(x))
	case encoding.TextMarshaler:
		if t, err := x.MarshalText(); err == nil {
			return string(t)
		}
	case fmt.Stringer:
		return x.String()
	}
	switch rv.Kind() {
	case reflect.String:
		if s := rv.String(); s == "" || strings.ContainsAny(s, " \"=") {
			return strconv.Quote(s)
		}
		return rv.String()
	}
	return fmt.Sprint(v)
}

// writeLoggers writes the logger tree as the engine builds it from the
// config: each logger under its parent, with its own level (when not the
// default of a new logger), its effective level, and the handlers its
// records reach through propagation. The engine is built with a
// placeholder sink for every handler, so that nothing is opened.
func (c *Config) writeLoggers(b *strings.Builder) error {
	e := engine.New(engine.Options{ErrorOutput: io.Discard, LastResort: io.Discard})
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
		defer cancel()
		_ = e.Shutdown(ctx)
	}()
	placeholder := func(*HandlerSpec) (actors.Sink, error) { return actors.Null{}, nil }
	if err := apply(c, e, &SinkEnv{}, placeholder); err != nil {
		return err
	}
	for _, l := range e.Loggers() {
		depth := 0
		for p := l.Parent(); p != nil; p = p.Parent() {
			depth++
		}
		name, spec, def := l.Name(), c.Loggers[l.Name()], record.LevelNotSet
		if name == "" {
			name, spec, def = "root", c.Root, record.LevelWarning
		}
		fmt.Fprintf(b, "%s%s", strings.Repeat("  ", depth+1), name)
		if lv := l.Level(); lv != def {
			fmt.Fprintf(b, " level=%v", lv)
		}
		fmt.Fprintf(b, " effective=%v", l.EffectiveLevel())
		if l.Parent() != nil && !l.Propagate() {
			b.WriteString(" propagate=false")
		}
		if spec != nil && len(spec.Filters) > 0 {
			fmt.Fprintf(b, " filters=[%s]", refNames(spec.Filters))
		}
		reach := l.Reached()
		names := make([]string, len(reach))
		for i, h := range reach {
			names[i] = h.Name()
		}
		fmt.Fprintf(b, " -> [%s]\n", strings.Join(names, " "))
	}
	return nil
}
