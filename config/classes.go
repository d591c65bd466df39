package config

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/file"
	"github.com/actorlog/actorlog/engine"
)

// Class is a handler class: the short name and Python's dotted names that
// select it in a config's class key, the parameters it takes, and how its
// sink is made.
type Class struct {
	// Name is the short name, as "RotatingFileHandler".
	Name string
	// Python lists the dotted names Python's dictConfig uses for it, as
	// "logging.handlers.RotatingFileHandler".
	Python []string

	params  []param
	newSink func(h *HandlerSpec, env *SinkEnv) (actors.Sink, error)
}

// SinkEnv is what building a sink may need from outside the config.
type SinkEnv struct {
	// Stdout and Stderr are the streams of StreamHandler's stream: stdout and
	// stream: stderr; nil means os.Stdout and os.Stderr.
	Stdout, Stderr io.Writer

	// built holds the handlers made so far, for classes with targets.
	built map[string]*engine.Handler
}

// kind is the type of a class parameter.
type kind int

const (
	kindString    kind = iota // string
	kindInt                   // int, 0 or more (sizes in bytes, counts)
	kindBool                  // bool
	kindDuration              // time.Duration: "1s" or seconds
	kindLevel                 // record.Level
	kindStream                // "stdout" or "stderr"; also ext://sys.stdout
	kindTimeOfDay             // file.TimeOfDay: "HH:MM[:SS]"
	kindFileMode              // os.FileMode: an octal integer or string
	kindHandler               // the id of another handler (a target)
	kindHandlers              // a list of handler ids
)

// param is one parameter of a handler class.
type param struct {
	key      string
	kind     kind
	required bool
	// check, when set, validates the decoded value; it returns a message.
	check func(v any) string
}

// classTable is the list of handler classes; classes below is the one the
// package uses. A new handler class adds one row.
type classTable []*Class

// Parameters shared by the file handlers, under Python's names; perm and
// fsync are actorlog's own.
var fileParams = []param{
	{key: "filename", kind: kindString, required: true, check: nonEmpty},
	{key: "mode", kind: kindString, check: oneOf("a", "w")},
	{key: "encoding", kind: kindString, check: utf8Only},
	{key: "delay", kind: kindBool},
	{key: "perm", kind: kindFileMode},
	{key: "fsync", kind: kindBool},
}

// classes is every handler class that exists, one row each.
var classes = classTable{
	{
		Name: "StreamHandler", Python: []string{"logging.StreamHandler"},
		params:  []param{{key: "stream", kind: kindStream}},
		newSink: newStreamSink,
	},
	{
		Name: "NullHandler", Python: []string{"logging.NullHandler"},
		newSink: func(*HandlerSpec, *SinkEnv) (actors.Sink, error) { return actors.Null{}, nil },
	},
	{
		Name: "FileHandler", Python: []string{"logging.FileHandler"},
		params:  fileParams,
		newSink: func(h *HandlerSpec, _ *SinkEnv) (actors.Sink, error) { return file.New(fileOptions(h)) },
	},
	{
		Name: "WatchedFileHandler", Python: []string{"logging.handlers.WatchedFileHandler"},
		params:  fileParams,
		newSink: func(h *HandlerSpec, _ *SinkEnv) (actors.Sink, error) { return file.NewWatched(fileOptions(h)) },
	},
	{
		Name: "RotatingFileHandler", Python: []string{"logging.handlers.RotatingFileHandler"},
		params: append(append([]param(nil), fileParams...),
			param{key: "maxBytes", kind: kindInt},
			param{key: "backupCount", kind: kindInt},
			param{key: "compress", kind: kindBool},
			param{key: "maxAge", kind: kindDuration},
		),
		newSink: func(h *HandlerSpec, _ *SinkEnv) (actors.Sink, error) {
			p := h.Params
			return file.NewRotating(file.RotatingOptions{
				Options:     fileOptions(h),
				MaxBytes:    int64(getInt(p, "maxBytes")),
				BackupCount: getInt(p, "backupCount"),
				Compress:    getBool(p, "compress"),
				MaxAge:      getDuration(p, "maxAge"),
			})
		},
	},
	{
		Name: "TimedRotatingFileHandler", Python: []string{"logging.handlers.TimedRotatingFileHandler"},
		params: []param{
			{key: "filename", kind: kindString, required: true, check: nonEmpty},
			{key: "when", kind: kindString, check: validWhen},
			{key: "interval", kind: kindInt, check: positive},
			{key: "backupCount", kind: kindInt},
			{key: "encoding", kind: kindString, check: utf8Only},
			{key: "delay", kind: kindBool},
			{key: "utc", kind: kindBool},
			{key: "atTime", kind: kindTimeOfDay},
			{key: "perm", kind: kindFileMode},
			{key: "fsync", kind: kindBool},
		},
		newSink: func(h *HandlerSpec, _ *SinkEnv) (actors.Sink, error) {
			p := h.Params
			o := file.TimedOptions{
				Options:     fileOptions(h),
				When:        getString(p, "when"),
				Interval:    getInt(p, "interval"),
				UTC:         getBool(p, "utc"),
				BackupCount: getInt(p, "backupCount"),
			}
			if t, ok := p["atTime"].(file.TimeOfDay); ok {
				o.AtTime = &t
			}
			return file.NewTimedRotating(o)
		},
	},
	// Later handler classes (SocketHandler, DatagramHandler, SysLogHandler,
	// SMTPHandler, HTTPHandler, MemoryHandler with its target of
	// kindHandler, QueueHandler with kindHandlers...) each add a row here.
}

// lookup finds a class by short or dotted name.
func (t classTable) lookup(name string) *Class {
	for _, c := range t {
		if c.Name == name || contains(c.Python, name) {
			return c
		}
	}
	return nil
}

// names lists the short names, sorted.
func (t classTable) names() []string {
	out := make([]string, len(t))
	for i, c := range t {
		out[i] = c.Name
	}
	sort.Strings(out)
	return out
}

// allNames lists short and dotted names, for suggestions.
func (t classTable) allNames() []string {
	var out []string
	for _, c := range t {
		out = append(out, c.Name)
		out = append(out, c.Python...)
	}
	return out
}

// Classes returns the short names of the handler classes a config may use.
func Classes() []string { return classes.names() }

func (c *Class) param(key string) *param {
	for i := range c.params {
		if c.params[i].key == key {
			return &c.params[i]
		}
	}
	return nil
}

func (c *Class) paramKeys() []string {
	out := make([]string, len(c.params))
	for i, p := range c.params {
		out[i] = p.key
	}
	return out
}

// Checks of parameter values.

func nonEmpty(v any) string {
	if v.(string) == "" {
		return "must not be empty"
	}
	return ""
}

func positive(v any) string {
	if v.(int) < 1 {
		return "must be 1 or more"
	}
	return ""
}

func oneOf(allowed ...string) func(any) string {
	return func(v any) string {
		if !contains(allowed, v.(string)) {
			qs := make([]string, len(allowed))
			for i, a := range allowed {
				qs[i] = strconv.Quote(a)
			}
			return fmt.Sprintf("want %s, got %q", strings.Join(qs, " or "), v)
		}
		return ""
	}
}

func utf8Only(v any) string {
	switch strings.ToLower(strings.ReplaceAll(v.(string), "-", "")) {
	case "utf8", "":
		return ""
	}
	return fmt.Sprintf("encoding %q is not supported: files are written in UTF-8", v)
}

func validWhen(v any) string {
	w := strings.ToUpper(v.(string))
	switch w {
	case "S", "M", "H", "D", "MIDNIGHT":
		return ""
	}
	if len(w) == 2 && w[0] == 'W' && w[1] >= '0' && w[1] <= '6' {
		return ""
	}
	return fmt.Sprintf("unknown when %q (want S, M, H, D, MIDNIGHT or W0 to W6)", v)
}

// Typed reads of decoded parameters; a missing key is the zero value.

func getString(p map[string]any, k string) string { s, _ := p[k].(string); return s }
func getInt(p map[string]any, k string) int       { i, _ := p[k].(int); return i }
func getBool(p map[string]any, k string) bool     { b, _ := p[k].(bool); return b }
func getDuration(p map[string]any, k string) time.Duration {
	d, _ := p[k].(time.Duration)
	return d
}

func fileOptions(h *HandlerSpec) file.Options {
	p := h.Params
	o := file.Options{
		Filename: getString(p, "filename"),
		Mode:     getString(p, "mode"),
		Delay:    getBool(p, "delay"),
	}
	if m, ok := p["perm"].(os.FileMode); ok {
		o.Perm = m
	}
	o.Fsync = getBool(p, "fsync")
	return o
}

func newStreamSink(h *HandlerSpec, env *SinkEnv) (actors.Sink, error) {
	var w io.Writer
	switch getString(h.Params, "stream") {
	case "stdout":
		w = env.Stdout
		if w == nil {
			w = os.Stdout
		}
	default: // stderr, Python's default
		w = env.Stderr
		if w == nil {
			w = os.Stderr
		}
	}
	return actors.NewStream(w), nil
}
