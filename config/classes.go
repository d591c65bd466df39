package config

import (
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/eventlog"
	"github.com/actorlog/actorlog/actors/file"
	"github.com/actorlog/actorlog/actors/jetstream"
	"github.com/actorlog/actorlog/actors/mail"
	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/actors/syslog"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/format"
)

// Class is a handler class: the short name and Python's dotted names that
// select it in a config's class key, the options its parameters bind to,
// and how its sink is made.
type Class struct {
	// Name is the short name, as "RotatingFileHandler".
	Name string
	// Python lists the dotted names Python's dictConfig uses for it, as
	// "logging.handlers.RotatingFileHandler".
	Python []string

	schema     *schema
	newOptions func() any
	newSink    func(o any, env *SinkEnv) (actors.Sink, error)
	dest       func(o any) (string, bool)
	check      func(o any) error
	notZero    []string
}

// classRow is one row of the class table: a class, its options type O (the
// sink's own options, whose fields tagged `config:"key"` are the class's
// parameters, validated by O's Validate), and its constructor. Adding a
// handler class is adding a row.
type classRow[O any] struct {
	Name   string
	Python []string
	// New makes the sink from the decoded, validated options.
	New func(o *O, env *SinkEnv) (actors.Sink, error)
	// Dest says where the sink writes, for serve's banner and check's
	// warnings: a file's name (isFile) or a stream or address; nil for
	// nowhere.
	Dest func(o *O) (dest string, isFile bool)
	// NotZero lists integer keys a config may not set to 0, where 0 means
	// the default in Go but Python would take it as written (a timed
	// rotation interval of 0).
	NotZero []string
	// Omit lists keys of O's tags that Python's class does not take, so
	// that the config refuses them as Python would (an unknown key).
	Omit []string
	// Check says why the sink cannot work on this system (the Windows
	// event log elsewhere), for Config.Check's warnings; nil when it can.
	Check func(o *O) error
}

// row is what the table holds of a classRow, whatever its O.
type row interface{ class() *Class }

func (r classRow[O]) class() *Class {
	c := &Class{
		Name: r.Name, Python: r.Python,
		schema:     schemaOf(reflect.TypeFor[O]()).without(r.Omit),
		newOptions: func() any { return new(O) },
		newSink:    func(o any, env *SinkEnv) (actors.Sink, error) { return r.New(o.(*O), env) },
		dest:       func(any) (string, bool) { return "", false },
		notZero:    r.NotZero,
	}
	if r.Dest != nil {
		c.dest = func(o any) (string, bool) { return r.Dest(o.(*O)) }
	}
	if r.Check != nil {
		c.check = func(o any) error { return r.Check(o.(*O)) }
	}
	return c
}

// SinkEnv is what building a sink may need from outside the config.
type SinkEnv struct {
	// Stdout and Stderr are the streams of StreamHandler's stream: stdout and
	// stream: stderr; nil means os.Stdout and os.Stderr.
	Stdout, Stderr io.Writer

	// built holds the handlers made so far, for classes with targets.
	built map[string]*engine.Handler
	// formatter is the formatter of the handler being made.
	formatter format.Formatter
}

// Formatter returns the formatter the handler being made names (nil for
// the default), for a sink that encodes its records itself (an
// actors.Encoder, which the handler's own formatter does not reach).
func (e *SinkEnv) Formatter() format.Formatter { return e.formatter }

// Handler returns the handler called name that Build made before this one:
// a target named by a field tagged `config:"key,handler"` (Build makes
// targets first). It is nil for a name not yet built.
func (e *SinkEnv) Handler(name string) *engine.Handler { return e.built[name] }

// classTable is a list of handler classes; classes below is the one the
// package uses.
type classTable []*Class

func table(rows ...row) classTable {
	t := make(classTable, len(rows))
	for i, r := range rows {
		t[i] = r.class()
	}
	return t
}

// classes is every handler class that exists, one row each. Later handler
// classes (SocketHandler, DatagramHandler, SysLogHandler, SMTPHandler,
// HTTPHandler...) each add a row here; a class naming other handlers
// (MemoryHandler's target, QueueHandler's handlers) tags the field
// `config:"key,handler"`.
var classes = table(
	classRow[StreamOptions]{
		Name: "StreamHandler", Python: []string{"logging.StreamHandler"},
		New:  func(o *StreamOptions, env *SinkEnv) (actors.Sink, error) { return actors.NewStream(o.writer(env)), nil },
		Dest: func(o *StreamOptions) (string, bool) { return o.Stream.name(), false },
	},
	classRow[struct{}]{
		Name: "NullHandler", Python: []string{"logging.NullHandler"},
		New: func(*struct{}, *SinkEnv) (actors.Sink, error) { return actors.Null{}, nil },
	},
	classRow[file.Options]{
		Name: "FileHandler", Python: []string{"logging.FileHandler"},
		New:  func(o *file.Options, _ *SinkEnv) (actors.Sink, error) { return file.New(*o) },
		Dest: func(o *file.Options) (string, bool) { return o.Filename, true },
	},
	classRow[file.Options]{
		Name: "WatchedFileHandler", Python: []string{"logging.handlers.WatchedFileHandler"},
		New:  func(o *file.Options, _ *SinkEnv) (actors.Sink, error) { return file.NewWatched(*o) },
		Dest: func(o *file.Options) (string, bool) { return o.Filename, true },
	},
	classRow[file.RotatingOptions]{
		Name: "RotatingFileHandler", Python: []string{"logging.handlers.RotatingFileHandler"},
		New:  func(o *file.RotatingOptions, _ *SinkEnv) (actors.Sink, error) { return file.NewRotating(*o) },
		Dest: func(o *file.RotatingOptions) (string, bool) { return o.Filename, true },
	},
	classRow[file.TimedOptions]{
		Name: "TimedRotatingFileHandler", Python: []string{"logging.handlers.TimedRotatingFileHandler"},
		New:     func(o *file.TimedOptions, _ *SinkEnv) (actors.Sink, error) { return file.NewTimedRotating(*o) },
		Dest:    func(o *file.TimedOptions) (string, bool) { return o.Filename, true },
		NotZero: []string{"interval"},
		Omit:    []string{"mode"}, // Python's TimedRotatingFileHandler always appends
	},
	// SMTPHandler (actors/mail): Python's keys, and actorlog's tls, cafile,
	// localname and the digest's capacity and interval.
	classRow[mail.Options]{
		Name: "SMTPHandler", Python: []string{"logging.handlers.SMTPHandler"},
		New:  func(o *mail.Options, _ *SinkEnv) (actors.Sink, error) { return mail.New(*o) },
		Dest: func(o *mail.Options) (string, bool) { return "smtp " + o.Address(), false },
	},
	// SysLogHandler (actors/syslog): Python's keys, and RFC 5424, framing,
	// TLS and size options of actorlog's own.
	classRow[syslog.Options]{
		Name: "SysLogHandler", Python: []string{"logging.handlers.SysLogHandler"},
		New: func(o *syslog.Options, env *SinkEnv) (actors.Sink, error) {
			o.Formatter = env.Formatter()
			return syslog.New(*o)
		},
		Dest: func(o *syslog.Options) (string, bool) { return "syslog " + o.Address.String(), false },
	},
	// MemoryHandler, QueueHandler (actors) and NTEventLogHandler
	// (actors/eventlog): Python's keys.
	classRow[MemoryHandlerOptions]{
		Name: "MemoryHandler", Python: []string{"logging.handlers.MemoryHandler"},
		New: func(o *MemoryHandlerOptions, _ *SinkEnv) (actors.Sink, error) {
			return nonNil(actors.NewMemory(o.MemoryOptions))
		},
		NotZero: []string{"flushLevel"}, // 0 is ERROR in Go, every record in Python: capacity 0 does that
	},
	classRow[QueueHandlerOptions]{
		Name: "QueueHandler", Python: []string{"logging.handlers.QueueHandler"},
		New: func(o *QueueHandlerOptions, _ *SinkEnv) (actors.Sink, error) {
			return nonNil(actors.NewQueue(o.QueueOptions))
		},
	},
	classRow[eventlog.Options]{
		Name: "NTEventLogHandler", Python: []string{"logging.handlers.NTEventLogHandler"},
		New:   func(o *eventlog.Options, _ *SinkEnv) (actors.Sink, error) { return nonNil(eventlog.New(*o)) },
		Dest:  func(o *eventlog.Options) (string, bool) { return "event log " + o.AppName, false },
		Check: func(*eventlog.Options) error { return eventlog.Supported() },
	},
	// Network handlers (actors/net): port: null (or no port) is a Unix socket at host, as Python's None.
	classRow[anet.SocketOptions]{
		Name: "SocketHandler", Python: []string{"logging.handlers.SocketHandler"},
		New:  func(o *anet.SocketOptions, _ *SinkEnv) (actors.Sink, error) { return anet.NewSocket(*o) },
		Dest: func(o *anet.SocketOptions) (string, bool) { return o.Dest(), false },
	},
	classRow[anet.DatagramOptions]{
		Name: "DatagramHandler", Python: []string{"logging.handlers.DatagramHandler"},
		New:  func(o *anet.DatagramOptions, _ *SinkEnv) (actors.Sink, error) { return anet.NewDatagram(*o) },
		Dest: func(o *anet.DatagramOptions) (string, bool) { return o.Dest(), false },
	},
	classRow[anet.HTTPOptions]{
		Name: "HTTPHandler", Python: []string{"logging.handlers.HTTPHandler"},
		New:  func(o *anet.HTTPOptions, _ *SinkEnv) (actors.Sink, error) { return anet.NewHTTP(*o) },
		Dest: func(o *anet.HTTPOptions) (string, bool) { return o.Dest(), false },
	},
	classRow[jetstream.Options]{
		Name: "JetStreamHandler", Python: []string{"actorlog.JetStreamHandler"},
		New: func(o *jetstream.Options, _ *SinkEnv) (actors.Sink, error) { return jetstream.New(*o) },
		Dest: func(o *jetstream.Options) (string, bool) {
			return o.Fill().Stream + " at " + strings.Join(o.Fill().Servers, ","), false
		},
	},
)

// nonNil returns a constructor's sink as an actors.Sink, nil on an error
// (never a typed nil in the interface).
func nonNil[S actors.Sink](s S, err error) (actors.Sink, error) {
	if err != nil {
		return nil, err
	}
	return s, nil
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

// Keys returns the class's own parameters, under Python's names, in the
// order of its options struct.
func (c *Class) Keys() []string { return c.schema.keys() }

// StreamOptions are StreamHandler's parameters.
type StreamOptions struct {
	// Stream is "stdout" or "stderr" (Python's default); the config also
	// takes ext://sys.stdout and ext://sys.stderr.
	Stream StreamName `config:"stream"`
}

// StreamName names a standard stream: "stdout", "stderr", or "" for
// stderr.
type StreamName string

// UnmarshalText reads stdout or stderr, also as Python's ext://sys.stdout
// and ext://sys.stderr.
func (s *StreamName) UnmarshalText(b []byte) error {
	switch v := strings.TrimPrefix(strings.TrimPrefix(string(b), "ext://"), "sys."); v {
	case "stdout", "stderr":
		*s = StreamName(v)
		return nil
	}
	return fmt.Errorf("unknown stream %s (want stdout or stderr; ext://sys.stdout and ext://sys.stderr also work)", quote(string(b)))
}

func (s StreamName) name() string {
	if s == "" {
		return "stderr"
	}
	return string(s)
}

func (o *StreamOptions) writer(env *SinkEnv) io.Writer {
	if o.Stream == "stdout" {
		if env.Stdout != nil {
			return env.Stdout
		}
		return os.Stdout
	}
	if env.Stderr != nil {
		return env.Stderr
	}
	return os.Stderr
}
