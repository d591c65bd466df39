package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/filter"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/record"
)

// Pos is a place in the config file, from 1; 0 when unknown.
type Pos struct {
	Line, Column int
}

// Ref is a reference by name to a formatter, filter or handler, with where
// it was written.
type Ref struct {
	// Name is the id referred to.
	Name string
	Pos
	// Path is the key path of the reference, as "root.handlers[1]".
	Path string
}

// Config is a parsed and validated config file. Every reference in it
// resolves: each formatter, filter and handler named is defined, each level
// is known, and handler targets form no cycle.
type Config struct {
	// File is the name given to Parse, used in messages.
	File string
	// Version is the schema version; always 1.
	Version int
	// Formatters, Filters and Handlers by id.
	Formatters map[string]*FormatterSpec
	Filters    map[string]*FilterSpec
	Handlers   map[string]*HandlerSpec
	// Loggers by dotted name; the root logger is Root, never in this map.
	Loggers map[string]*LoggerSpec
	// Root configures the root logger; nil when the file has no root key.
	Root *LoggerSpec
	// DisableExistingLoggers is dictConfig's disable_existing_loggers
	// (default true). It disables loggers that existed before the config was
	// applied and that the config does not name (nor their children); Build
	// makes a fresh engine, where no logger exists yet, so there it changes
	// nothing.
	DisableExistingLoggers bool
	// Receivers are what `actorlog serve` listens on.
	Receivers []*ReceiverSpec
}

// FormatterSpec is an entry of formatters.
type FormatterSpec struct {
	Name string
	Pos
	// Class is "python" (Python's logging.Formatter, the default), "json" or
	// "logfmt".
	Class string
	// Format, Datefmt, Style, Validate and Defaults are Python's Formatter
	// arguments (class python only). Format strings are always checked,
	// whatever Validate says: one that does not parse cannot be used.
	Format   string         `config:"format" formatter:"python"`
	Datefmt  string         `config:"datefmt" formatter:"python"`
	Style    format.Style   `config:"style" formatter:"python"`
	Validate bool           `config:"validate" formatter:"python"`
	Defaults map[string]any `config:"defaults" formatter:"python"`
	// UTC formats times in UTC (Python's converter = time.gmtime).
	UTC bool `config:"utc"`
	// AddSource adds the caller's source location (json and logfmt only).
	AddSource bool `config:"addSource" formatter:"json logfmt"`
	// TimeFormat is how json writes the time: RFC3339Nano (the default),
	// RFC3339, unix, unixmilli or unixnano (format.TimeFormat).
	TimeFormat format.TimeFormat `config:"timeFormat" formatter:"json"`
	// TimeKey, LevelKey, LoggerKey, SourceKey and MessageKey rename json's
	// keys (default time, level, logger, source, msg).
	TimeKey    string `config:"timeKey" formatter:"json"`
	LevelKey   string `config:"levelKey" formatter:"json"`
	LoggerKey  string `config:"loggerKey" formatter:"json"`
	SourceKey  string `config:"sourceKey" formatter:"json"`
	MessageKey string `config:"messageKey" formatter:"json"`

	built format.Formatter
}

// Formatter returns the formatter this entry describes, built (and checked)
// by Parse. It is immutable and may serve several handlers.
func (f *FormatterSpec) Formatter() format.Formatter { return f.built }

// FilterSpec is an entry of filters: Python's logging.Filter(name), optionally
// bounded by levels (an actorlog extension).
type FilterSpec struct {
	Name string
	Pos
	// Logger is the "name" key: records of this logger and its children
	// pass; "" passes every record.
	Logger string
	// MinLevel and MaxLevel, when not 0, bound the records' levels.
	MinLevel, MaxLevel record.Level
}

// Filter returns the filter this entry describes.
func (f *FilterSpec) Filter() filter.Filter {
	var fs []filter.Filter
	if f.Logger != "" {
		fs = append(fs, filter.Name(f.Logger))
	}
	if f.MinLevel != 0 || f.MaxLevel != 0 {
		fs = append(fs, filter.Level{Min: f.MinLevel, Max: f.MaxLevel})
	}
	switch len(fs) {
	case 0:
		return filter.Name("")
	case 1:
		return fs[0]
	}
	return filter.Func(func(r *record.Record) bool { return filter.All(fs, r) })
}

// HandlerSpec is an entry of handlers.
type HandlerSpec struct {
	Name string
	Pos
	// Class is the handler's class, from the table of known classes.
	Class *Class
	// FormatterRef names the formatter; nil for the default (Python's
	// "%(message)s").
	FormatterRef *Ref
	// FilterRefs names the handler's filters, in order.
	FilterRefs []Ref
	// HandlerOptions are the options the engine takes, as the entry sets
	// them: level, terminator, mailbox and supervision (their zero values
	// are the packages' defaults), and the Formatter and Filters that
	// FormatterRef and FilterRefs name, built by Parse.
	actors.HandlerOptions
	// Options are the class's own parameters, decoded into the options its
	// sink takes and validated by them: a pointer, as *file.RotatingOptions
	// for RotatingFileHandler or *StreamOptions for StreamHandler.
	Options any

	params  *bound
	targets []Ref
}

// Param returns the value of the class parameter key (Python's name, as
// "maxBytes") as its options field holds it, and whether the file set it.
func (h *HandlerSpec) Param(key string) (any, bool) {
	if h.params == nil {
		return nil, false
	}
	return h.params.get(key)
}

// Dest says where the handler writes: a file's name (isFile), a stream
// ("stderr") or an address; "" for nowhere (NullHandler).
func (h *HandlerSpec) Dest() (dest string, isFile bool) {
	if h.Class == nil || h.Options == nil {
		return "", false
	}
	return h.Class.dest(h.Options)
}

// LoggerSpec is an entry of loggers, or the root.
type LoggerSpec struct {
	// Name is the dotted name; "" for the root.
	Name string
	Pos
	// Level, when HasLevel, is set on the logger; otherwise the logger keeps
	// its level (NOTSET for a new logger, WARNING for the root), as Python.
	Level    record.Level
	HasLevel bool
	// Propagate passes records on to the parent's handlers; default true.
	Propagate bool
	// Handlers and Filters name the logger's handlers and filters.
	Handlers []Ref
	Filters  []Ref
}

// ReceiverSpec is an entry of receivers: a listener of `actorlog serve`.
type ReceiverSpec struct {
	Pos
	// Path is the entry's key path, as "receivers[0]".
	Path string
	// Type is the receiver's type: "tcp", "udp", "unix" or "http".
	Type string
	// Listen is the address it listens on, "host:port" (a path for unix).
	Listen string
	// Options are the entry's keys besides type, decoded into the type's
	// options: a *receiver.Options (its Type set), ready for
	// receiver.Listen, or a *receiver.JetStreamOptions for jetstream.
	Options any
}

// MaxSize is the largest config Load and Parse read: 4 MiB, far above any
// real config, low enough that a wrong file (a log, /dev/zero) is refused
// before it costs memory.
const MaxSize = 4 << 20

// Load reads and parses the config file at path. It reads at most MaxSize
// bytes: a larger file is an error (ErrTooLarge).
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, err
	}
	return Parse(data, path)
}

// Parse parses a config from data; filename names it in errors. On any
// problem it returns an Errors holding every problem found, each naming the
// file, the line and the key path. Data larger than MaxSize is refused
// unread (ErrTooLarge).
func Parse(data []byte, filename string) (*Config, error) {
	return parse(data, filename, classes)
}

var topKeys = []string{"version", "formatters", "filters", "handlers", "loggers", "root", "incremental", "disable_existing_loggers", "receivers"}

func parse(data []byte, filename string, table classTable) (*Config, error) {
	d := &decoder{file: filename}
	if len(data) > MaxSize {
		d.add(nil, "", ErrTooLarge, "config file is larger than 4 MiB")
		return nil, d.errs
	}
	doc, ok := d.document(data)
	if !ok {
		return nil, d.errs
	}
	cfg := &Config{
		File:                   filename,
		Formatters:             map[string]*FormatterSpec{},
		Filters:                map[string]*FilterSpec{},
		Handlers:               map[string]*HandlerSpec{},
		Loggers:                map[string]*LoggerSpec{},
		DisableExistingLoggers: true,
	}
	top, ok := d.fields(doc, "", topKeys)
	if !ok {
		return nil, d.errs
	}
	if e, ok := top["version"]; !ok {
		d.add(doc, "version", ErrMissing, "missing (want version: 1)")
	} else if v, ok := d.integer(e.val, "version"); ok {
		if v != 1 {
			d.errorf(e.val, "version", ErrValue, "unsupported version %d (want 1)", v)
		}
		cfg.Version = int(v)
	}
	if e, ok := top["incremental"]; ok && !isNull(e.val) {
		if v, ok := d.boolean(e.val, "incremental"); ok && v {
			d.add(e.val, "incremental", ErrUnsupported, "incremental configuration is not supported: give the whole configuration")
		}
	}
	if e, ok := top["disable_existing_loggers"]; ok && !isNull(e.val) {
		if v, ok := d.boolean(e.val, "disable_existing_loggers"); ok {
			cfg.DisableExistingLoggers = v
		}
	}
	if e, ok := top["formatters"]; ok && !isNull(e.val) {
		d.each(e.val, "formatters", func(en entry, path string) {
			if f := d.formatter(en, path); f != nil {
				cfg.Formatters[f.Name] = f
			}
		})
	}
	if e, ok := top["filters"]; ok && !isNull(e.val) {
		d.each(e.val, "filters", func(en entry, path string) {
			if f := d.filter(en, path); f != nil {
				cfg.Filters[f.Name] = f
			}
		})
	}
	if e, ok := top["handlers"]; ok && !isNull(e.val) {
		d.each(e.val, "handlers", func(en entry, path string) {
			if h := d.handler(en, path, table); h != nil {
				cfg.Handlers[h.Name] = h
			}
		})
	}
	if e, ok := top["loggers"]; ok && !isNull(e.val) {
		d.each(e.val, "loggers", func(en entry, path string) {
			name := en.key
			if name == "" || name == "root" {
				// Python 3.9+: getLogger("") and getLogger("root") are the
				// root logger. The top-level root key, read after, wins.
				if l := d.logger(en.val, path, "", true); l != nil {
					l.Pos = posOf(en.keyNode)
					cfg.Root = l
				}
				return
			}
			if l := d.logger(en.val, path, name, true); l != nil {
				l.Pos = posOf(en.keyNode)
				cfg.Loggers[name] = l
			}
		})
	}
	if e, ok := top["root"]; ok && !isNull(e.val) {
		if l := d.logger(e.val, "root", "", false); l != nil {
			l.Pos = posOf(e.keyNode)
			cfg.Root = l
		}
	}
	if e, ok := top["receivers"]; ok && !isNull(e.val) {
		items, _ := d.list(e.val, "receivers")
		for i, it := range items {
			if r := d.receiver(it, joinIndex("receivers", i)); r != nil {
				cfg.Receivers = append(cfg.Receivers, r)
			}
		}
	}
	d.checkRefs(cfg)
	if len(d.errs) > 0 {
		d.sortErrors()
		return nil, d.errs
	}
	cfg.resolveHandlerOptions()
	return cfg, nil
}

// resolveHandlerOptions sets each handler's Formatter and Filters from the
// entries its references name (every reference resolves by now).
func (c *Config) resolveHandlerOptions() {
	for _, h := range c.Handlers {
		if h.FormatterRef != nil {
			h.Formatter = c.Formatters[h.FormatterRef.Name].Formatter()
		}
		h.Filters = c.filters(h.FilterRefs)
	}
}

// filters returns the filters that refs name, nil for none.
func (c *Config) filters(refs []Ref) []filter.Filter {
	if len(refs) == 0 {
		return nil
	}
	out := make([]filter.Filter, len(refs))
	for i, r := range refs {
		out[i] = c.Filters[r.Name].Filter()
	}
	return out
}

// document parses data into its single YAML document's top node.
func (d *decoder) document(data []byte) (top *yaml.Node, ok bool) {
	defer func() {
		// The YAML parser is not ours; whatever it does, the caller gets an
		// error, never a panic.
		if p := recover(); p != nil {
			d.add(nil, "", ErrSyntax, fmt.Sprintf("YAML parser failed: %v", p))
			top, ok = nil, false
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.add(nil, "", ErrMissing, "empty config (want a mapping with version: 1)")
		} else {
			d.syntaxError(err)
		}
		return nil, false
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			d.syntaxError(err)
		} else {
			d.add(&extra, "", ErrSyntax, "more than one YAML document (want one)")
		}
		return nil, false
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || isNull(doc.Content[0]) {
		d.add(&doc, "", ErrMissing, "empty config (want a mapping with version: 1)")
		return nil, false
	}
	return doc.Content[0], true
}

// each calls fn for every entry of the mapping n of named things.
func (d *decoder) each(n *yaml.Node, path string, fn func(e entry, path string)) {
	es, _ := d.mapping(n, path)
	for _, e := range es {
		fn(e, joinKey(path, e.key))
	}
}

// defaultFormat is Python's default format of each style.
func defaultFormat(s format.Style) string {
	switch s {
	case format.StyleBrace:
		return "{message}"
	case format.StyleDollar:
		return "${message}"
	}
	return "%(message)s"
}

func (d *decoder) defaults(n *yaml.Node, path string) map[string]any {
	es, ok := d.mapping(n, path)
	if !ok {
		return nil
	}
	out := make(map[string]any, len(es))
	for _, e := range es {
		p := joinKey(path, e.key)
		s, ok := d.scalar(e.val, p, "a string, number or boolean")
		if !ok {
			continue
		}
		var v any
		switch s.ShortTag() {
		case "!!str", "!!null":
			v = s.Value
			if s.ShortTag() == "!!null" {
				v = nil
			}
		case "!!int":
			var i int64
			_ = s.Decode(&i)
			v = i
		case "!!float":
			var f float64
			_ = s.Decode(&f)
			v = f
		case "!!bool":
			var b bool
			_ = s.Decode(&b)
			v = b
		default:
			d.errorf(s, p, ErrType, "want a string, number or boolean, got %s", describe(s))
			continue
		}
		out[e.key] = v
	}
	return out
}

var filterKeys = []string{"name", "minLevel", "maxLevel"}

func (d *decoder) filter(e entry, path string) *FilterSpec {
	es, ok := d.mapping(e.val, path)
	if !ok {
		return nil
	}
	f := &FilterSpec{Name: e.key, Pos: posOf(e.keyNode)}
	for _, en := range es {
		p := joinKey(path, en.key)
		switch en.key {
		case "name":
			if !isNull(en.val) {
				f.Logger, _ = d.str(en.val, p)
			}
		case "minLevel":
			f.MinLevel, _ = d.level(en.val, p)
		case "maxLevel":
			f.MaxLevel, _ = d.level(en.val, p)
		case "()":
			d.add(en.keyNode, p, ErrUnsupported, `"()" factories are not supported (filters take name, minLevel and maxLevel)`)
		default:
			d.unknownKey(en, path, filterKeys)
		}
	}
	if f.MaxLevel != 0 && f.MinLevel > f.MaxLevel {
		d.errorf(e.val, path, ErrValue, "minLevel %v is above maxLevel %v", f.MinLevel, f.MaxLevel)
	}
	return f
}

var (
	loggerKeys = []string{"level", "handlers", "propagate", "filters"}
	// The root's propagate is accepted and means nothing (Python ignores
	// it too: the root has no parent).
	rootKeys = []string{"level", "handlers", "filters", "propagate"}
)

func (d *decoder) logger(n *yaml.Node, path, name string, named bool) *LoggerSpec {
	keys := rootKeys
	if named {
		keys = loggerKeys
	}
	l := &LoggerSpec{Name: name, Propagate: true}
	if isNull(n) { // "app.db:" with nothing: a logger left at its defaults
		return l
	}
	fs, ok := d.fields(n, path, keys)
	if !ok {
		return nil
	}
	if e, ok := fs["level"]; ok && !isNull(e.val) {
		l.Level, l.HasLevel = d.level(e.val, joinKey(path, "level"))
	}
	if e, ok := fs["propagate"]; ok && !isNull(e.val) {
		if v, ok := d.boolean(e.val, joinKey(path, "propagate")); ok && name != "" {
			l.Propagate = v
		}
	}
	if e, ok := fs["handlers"]; ok && !isNull(e.val) {
		l.Handlers = d.names(e.val, joinKey(path, "handlers"))
	}
	if e, ok := fs["filters"]; ok && !isNull(e.val) {
		l.Filters = d.names(e.val, joinKey(path, "filters"))
	}
	return l
}
