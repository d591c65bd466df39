package config

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/actorlog/actorlog/actors/file"
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
				fs := f.Format
				if fs == "" {
					fs = defaultFormat(f.Style)
				}
				fmt.Fprintf(&b, " %q", fs)
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
		for _, k := range sortedKeys(h.Params) {
			fmt.Fprintf(&b, " %s=%s", k, showParam(h.Params[k]))
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
		m := h.Mailbox
		if m.Capacity != 0 || m.Overflow != 0 || m.BlockTimeout != 0 || m.MaxBatch != 0 {
			fmt.Fprintf(&b, " mailbox{capacity=%d overflow=%v blockTimeout=%v maxBatch=%d}", m.Capacity, m.Overflow, m.BlockTimeout, m.MaxBatch)
		}
		s := h.Supervision
		if s.RetryStart != 0 || s.RetryFactor != 0 || s.RetryMax != 0 || s.ResetAfter != 0 {
			fmt.Fprintf(&b, " supervision{retryStart=%v retryFactor=%v retryMax=%v resetAfter=%v}", s.RetryStart, s.RetryFactor, s.RetryMax, s.ResetAfter)
		}
		b.WriteByte('\n')
	}
	b.WriteString("loggers:\n")
	c.writeLoggers(&b)
	if len(c.Receivers) > 0 {
		b.WriteString("receivers:\n")
		for _, r := range c.Receivers {
			fmt.Fprintf(&b, "  %s %s\n", r.Type, r.Listen)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func refNames(rs []Ref) string {
	ns := make([]string, len(rs))
	for i, r := range rs {
		ns[i] = r.Name
	}
	return strings.Join(ns, " ")
}

func showParam(v any) string {
	switch v := v.(type) {
	case string:
		if v == "" || strings.ContainsAny(v, " \"=") {
			return strconv.Quote(v)
		}
		return v
	case []string:
		return "[" + strings.Join(v, " ") + "]"
	case os.FileMode:
		return fmt.Sprintf("%#o", uint32(v))
	case file.TimeOfDay:
		return fmt.Sprintf("%02d:%02d:%02d", v.Hour, v.Minute, v.Second)
	case time.Duration:
		return v.String()
	}
	return fmt.Sprint(v)
}

// writeLoggers writes the configured loggers as a tree under the root.
func (c *Config) writeLoggers(b *strings.Builder) {
	root := c.Root
	if root == nil {
		root = &LoggerSpec{Propagate: true}
	}
	all := map[string]*LoggerSpec{"": root}
	for n, l := range c.Loggers {
		all[n] = l
	}
	parent := func(name string) string {
		for {
			i := strings.LastIndexByte(name, '.')
			if i < 0 {
				return ""
			}
			name = name[:i]
			if _, ok := all[name]; ok {
				return name
			}
		}
	}
	depth := func(name string) int {
		d := 0
		for name != "" {
			name = parent(name)
			d++
		}
		return d
	}
	// Sorting "a", "a.b", "ab" by name keeps each subtree under its parent
	// when '.' sorts first.
	names := sortedKeys(all)
	sort.SliceStable(names, func(i, j int) bool {
		return strings.ReplaceAll(names[i], ".", "\x00") < strings.ReplaceAll(names[j], ".", "\x00")
	})
	for _, name := range names {
		l := all[name]
		shown := name
		if name == "" {
			shown = "root"
		}
		// Effective level and the handlers reached, along the propagate chain.
		eff := record.LevelWarning
		for n := name; ; n = parent(n) {
			if a := all[n]; a.HasLevel && a.Level != record.LevelNotSet {
				eff = a.Level
				break
			}
			if n == "" {
				break
			}
		}
		var reach []string
		for n := name; ; n = parent(n) {
			a := all[n]
			reach = append(reach, refNamesList(a.Handlers)...)
			if n == "" || !a.Propagate {
				break
			}
		}
		fmt.Fprintf(b, "%s%s", strings.Repeat("  ", depth(name)+1), shown)
		if l.HasLevel {
			fmt.Fprintf(b, " level=%v", l.Level)
		}
		fmt.Fprintf(b, " effective=%v", eff)
		if !l.Propagate {
			b.WriteString(" propagate=false")
		}
		if len(l.Filters) > 0 {
			fmt.Fprintf(b, " filters=[%s]", refNames(l.Filters))
		}
		fmt.Fprintf(b, " -> [%s]\n", strings.Join(reach, " "))
	}
}

func refNamesList(rs []Ref) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	return out
}
