package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/actors"
)

// badCases are configs with errors; want is the whole error text, one line
// per error, in the order of the file.
// knownClasses is how messages list the handler classes (TestSchemaKeys
// pins the classes themselves).
var knownClasses = strings.Join(Classes(), ", ")

var badCases = []struct {
	name string
	yaml string
	want string
	is   []error
}{
	{"empty", "", "t.yaml: empty config (want a mapping with version: 1)", []error{ErrMissing}},
	{"not a mapping", "- 1\n", "t.yaml:1:1: want a mapping, got a list", []error{ErrType}},
	{"syntax", "version: 1\nhandlers:\n  a: {class: StreamHandler\n", "", []error{ErrSyntax}},
	{"two documents", "version: 1\n---\nversion: 1\n", "", []error{ErrSyntax}},
	{"no version", "handlers: {}\n", "t.yaml:1:1: version: missing (want version: 1)", []error{ErrMissing}},
	{"version 2", "version: 2\n", "t.yaml:1:10: version: unsupported version 2 (want 1)", []error{ErrValue}},
	{"incremental", "version: 1\nincremental: true\n", "t.yaml:2:14: incremental: incremental configuration is not supported: give the whole configuration", []error{ErrUnsupported}},
	{"unknown top key", "version: 1\nhandler: {}\n", `t.yaml:2:1: handler: unknown key (did you mean "handlers"?)`, []error{ErrUnknownKey}},
	{"wrong type", "version: 1\nhandlers:\n  file: {class: RotatingFileHandler, filename: a.log, maxBytes: ten}\n",
		`t.yaml:3:65: handlers.file.maxBytes: want an integer, got "ten"`, []error{ErrType}},
	{"negative size", "version: 1\nhandlers:\n  file: {class: RotatingFileHandler, filename: a.log, backupCount: -1}\n",
		`t.yaml:3:68: handlers.file.backupCount: want an integer of 0 or more, got -1`, []error{ErrValue}},
	{"unknown class", "version: 1\nhandlers:\n  f: {class: RotatingFileHandlr, filename: a.log}\n",
		`t.yaml:3:14: handlers.f.class: unknown handler class "RotatingFileHandlr" (did you mean "RotatingFileHandler"?) (known: ` + knownClasses + `)`, []error{ErrUnknownClass}},
	{"missing class", "version: 1\nhandlers:\n  f: {filename: a.log}\n",
		`t.yaml:3:6: handlers.f.class: missing (want one of ` + knownClasses + `)`, []error{ErrMissing}},
	{"unknown parameter", "version: 1\nhandlers:\n  f: {class: FileHandler, filename: a.log, maxbytes: 10}\n",
		`t.yaml:3:44: handlers.f.maxbytes: unknown key (want one of class, level, formatter, filters, mailbox, supervision, terminator, ., filename, mode, encoding, errors, delay, perm, fsync)`, []error{ErrUnknownKey}},
	{"parameter of another class", "version: 1\nhandlers:\n  f: {class: StreamHandler, filename: a.log}\n",
		`t.yaml:3:29: handlers.f.filename: unknown key (want one of class, level, formatter, filters, mailbox, supervision, terminator, ., stream)`, []error{ErrUnknownKey}},
	{"mode of a timed handler", "version: 1\nhandlers:\n  t: {class: TimedRotatingFileHandler, filename: t.log, mode: a}\n",
		`t.yaml:3:57: handlers.t.mode: unknown key (want one of class, level, formatter, filters, mailbox, supervision, terminator, ., filename, encoding, errors, delay, perm, fsync, when, interval, utc, atTime, backupCount)`, []error{ErrUnknownKey}},
	{"typo in a parameter", "version: 1\nhandlers:\n  f: {class: RotatingFileHandler, filename: a.log, backupCont: 3}\n",
		`t.yaml:3:52: handlers.f.backupCont: unknown key (did you mean "backupCount"?)`, []error{ErrUnknownKey}},
	{"undefined references", `version: 1
formatters: {plain: {format: "%(message)s"}}
filters: {f: {name: a}}
handlers:
  h: {class: NullHandler, formatter: plane, filters: [f, g]}
loggers:
  a: {handlers: [h, hh], filters: [x]}
root: {handlers: [nope]}
`, `t.yaml:5:38: handlers.h.formatter: formatter "plane" is not defined (did you mean "plain"?)
t.yaml:5:58: handlers.h.filters[1]: filter "g" is not defined (defined: f)
t.yaml:7:21: loggers.a.handlers[1]: handler "hh" is not defined (defined: h)
t.yaml:7:36: loggers.a.filters[0]: filter "x" is not defined (defined: f)
t.yaml:8:19: root.handlers[0]: handler "nope" is not defined (defined: h)`, []error{ErrUndefined}},
	{"bad level", "version: 1\nroot: {level: info}\nloggers:\n  a: {level: LOUD}\n",
		`t.yaml:2:15: root.level: unknown level "info" (did you mean "INFO"? names are case-sensitive, as in Python)
t.yaml:4:14: loggers.a.level: unknown level "LOUD" (want DEBUG, INFO, WARNING, ERROR, CRITICAL, NOTSET, a registered name or a number)`, []error{ErrLevel}},
	{"bad duration", "version: 1\nhandlers:\n  s: {class: StreamHandler, supervision: {retryStart: soon, retryMax: -1s}}\n",
		`t.yaml:3:55: handlers.s.supervision.retryStart: want a duration ("1s", "500ms") or a number of seconds, got "soon"
t.yaml:3:71: handlers.s.supervision.retryMax: want a duration of 0 or more, got -1s`, []error{ErrValue}},
	{"bad overflow", "version: 1\nhandlers:\n  s: {class: StreamHandler, mailbox: {overflow: drop}}\n",
		`t.yaml:3:49: handlers.s.mailbox.overflow: unknown overflow policy "drop" (want block, drop_newest or drop_oldest)`, []error{ErrValue}},
	{"bad stream", "version: 1\nhandlers:\n  s: {class: StreamHandler, stream: ext://sys.stdin}\n",
		`t.yaml:3:37: handlers.s.stream: unknown stream "ext://sys.stdin" (want stdout or stderr; ext://sys.stdout and ext://sys.stderr also work)`, []error{ErrValue}},
	{"bad timed parameters", "version: 1\nhandlers:\n  t: {class: TimedRotatingFileHandler, filename: t.log, when: X, interval: 0, atTime: \"25:00\"}\n",
		`t.yaml:3:63: handlers.t.when: want S, M, H, D, MIDNIGHT or W0 to W6 (0 is Monday), got "X"
t.yaml:3:76: handlers.t.interval: must be 1 or more
t.yaml:3:87: handlers.t.atTime: "25:00" is not HH:MM or HH:MM:SS`, []error{ErrValue}},
	{"bad file parameters", "version: 1\nhandlers:\n  f: {class: FileHandler, filename: \"\", mode: r, encoding: latin-1, perm: 999}\n",
		`t.yaml:3:37: handlers.f.filename: must not be empty
t.yaml:3:47: handlers.f.mode: want "a" or "w", got "r"
t.yaml:3:60: handlers.f.encoding: "latin-1" is not supported: files are written in UTF-8
t.yaml:3:75: handlers.f.perm: want an octal permission such as 0640, got 999`, []error{ErrValue}},
	{"duplicate key", "version: 1\nhandlers:\n  a: {class: NullHandler}\n  a: {class: NullHandler}\n",
		`t.yaml:4:3: handlers.a: duplicate key (first at line 3)`, []error{ErrValue}},
	{"factory", "version: 1\nformatters:\n  f: {(): my.Formatter}\n",
		`t.yaml:3:7: formatters.f."()": "()" factories are not supported (use class: json, class: logfmt or Python's format keys)`, []error{ErrUnsupported}},
	{"bad format", "version: 1\nformatters:\n  f: {format: \"%(message\"}\n",
		`t.yaml:3:15: formatters.f.format: invalid format "%(message" for '%' style: incomplete format key at offset 0`, []error{ErrValue}},
	{"unknown formatter class", "version: 1\nformatters:\n  f: {class: jsn}\n",
		`t.yaml:3:14: formatters.f.class: unknown formatter class "jsn" (did you mean "json"?)`, []error{ErrUnknownClass}},
	{"bad receivers", "version: 1\nreceivers:\n  - {type: smtp, listen: 9020}\n  - {listen: \"127.0.0.1:9021\", maxFrame: big}\n",
		`t.yaml:3:12: receivers[0].type: unknown receiver type "smtp" (want tcp or udp or unix or http or jetstream)
t.yaml:3:26: receivers[0].listen: want "host:port", got "9020"
t.yaml:4:5: receivers[1].type: missing (want tcp or udp or unix or http or jetstream)
t.yaml:4:42: receivers[1].maxFrame: want an integer, got "big"`, []error{ErrValue, ErrMissing, ErrType}},
	{"list where a mapping belongs", "version: 1\nhandlers: [a, b]\nloggers:\n  a: {handlers: h}\n",
		`t.yaml:2:11: handlers: want a mapping, got a list
t.yaml:4:17: loggers.a.handlers: want a list, got "h"`, []error{ErrType}},
	{"all at once", `version: 1
handlers:
  file:
    class: logging.handlers.RotatingFileHandler
    filename: logs/app.log
    maxBytes: ten
    level: LOUD
    formatter: missing
    mailbox: {capacity: -1, overflow: sometimes, blockTimeout: later}
root: {level: INFO, handlers: [file, console]}
`, `t.yaml:6:15: handlers.file.maxBytes: want an integer, got "ten"
t.yaml:7:12: handlers.file.level: unknown level "LOUD" (want DEBUG, INFO, WARNING, ERROR, CRITICAL, NOTSET, a registered name or a number)
t.yaml:8:16: handlers.file.formatter: formatter "missing" is not defined (no formatters are defined)
t.yaml:9:25: handlers.file.mailbox.capacity: want an integer of 0 or more, got -1
t.yaml:9:39: handlers.file.mailbox.overflow: unknown overflow policy "sometimes" (want block, drop_newest or drop_oldest)
t.yaml:9:64: handlers.file.mailbox.blockTimeout: want a duration ("1s", "500ms") or a number of seconds, got "later"
t.yaml:10:38: root.handlers[1]: handler "console" is not defined (defined: file)`, []error{ErrType, ErrLevel, ErrUndefined, ErrValue}},
}

func TestParseErrors(t *testing.T) {
	for _, c := range badCases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Parse([]byte(c.yaml), "t.yaml")
			if err == nil {
				t.Fatalf("no error; config %+v", cfg)
			}
			if cfg != nil {
				t.Errorf("config returned with an error")
			}
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %T is not a non-empty Errors", err)
			}
			if c.want != "" && err.Error() != c.want {
				t.Errorf("got\n%s\nwant\n%s", err, c.want)
			}
			for _, e := range es {
				if !strings.HasPrefix(e.Error(), "t.yaml:") && e.Error() != "t.yaml: empty config (want a mapping with version: 1)" {
					t.Errorf("error without a line: %s", e)
				}
			}
			for _, s := range c.is {
				if !errors.Is(err, s) {
					t.Errorf("errors.Is(err, %v) is false", s)
				}
			}
		})
	}
}

// The YAML parser's own errors carry their line.
func TestParseSyntaxErrorLine(t *testing.T) {
	_, err := Parse([]byte("version: 1\nhandlers:\n  a: {class: StreamHandler\n"), "s.yaml")
	// The parser places this error on the line before the flow mapping that
	// never closes (its line numbers for parse errors are 0-based); the
	// message says the line it gives.
	if err == nil || err.Error() != "s.yaml:2: did not find expected ',' or '}'" || !errors.Is(err, ErrSyntax) {
		t.Fatalf("got %v", err)
	}
}

// Options of two classes that name other handlers, as MemoryHandler
// (target) and QueueHandler (handlers) will.
type (
	targetOptions struct {
		Target string `config:"target,handler"`
	}
	fanoutOptions struct {
		Handlers []string `config:"handlers,handler"`
	}
)

// withTargets is the class table plus two classes that name other handlers.
func withTargets() classTable {
	t := append(classTable(nil), classes...)
	return append(t, table(
		classRow[targetOptions]{Name: "TargetHandler", Python: []string{"test.TargetHandler"}, New: func(o *targetOptions, env *SinkEnv) (actors.Sink, error) {
			if env.Handler(o.Target) == nil {
				return nil, fmt.Errorf("target %q not built before", o.Target)
			}
			return actors.Null{}, nil
		}},
		classRow[fanoutOptions]{Name: "FanoutHandler", New: func(o *fanoutOptions, env *SinkEnv) (actors.Sink, error) { return actors.Null{}, nil }},
	)...)
}

func TestParseTargetCycles(t *testing.T) {
	const y = `version: 1
handlers:
  a: {class: TargetHandler, target: b}
  b: {class: TargetHandler, target: c}
  c: {class: FanoutHandler, handlers: [d, a]}
  d: {class: NullHandler}
  self: {class: TargetHandler, target: self}
  e: {class: TargetHandler, target: nowhere}
`
	_, err := parse([]byte(y), "t.yaml", withTargets())
	want := `t.yaml:5:43: handlers.c.handlers[1]: cycle of targets: a -> b -> c -> a
t.yaml:7:40: handlers.self.target: cycle of targets: self -> self
t.yaml:8:37: handlers.e.target: handler "nowhere" is not defined (defined: a, b, c, d, e, self)`
	if err == nil || err.Error() != want {
		t.Fatalf("got\n%v\nwant\n%s", err, want)
	}
	if !errors.Is(err, ErrCycle) || !errors.Is(err, ErrUndefined) {
		t.Error("errors.Is fails")
	}
}

func TestHandlerOrderPutsTargetsFirst(t *testing.T) {
	const y = `version: 1
handlers:
  a: {class: TargetHandler, target: z}
  m: {class: FanoutHandler, handlers: [y, a]}
  y: {class: NullHandler}
  z: {class: NullHandler}
`
	cfg, err := parse([]byte(y), "t.yaml", withTargets())
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cfg.HandlerOrder(), " "); got != "z a y m" {
		t.Errorf("order %s, want z a y m", got)
	}
}

func TestSuggest(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"maxbytes", "maxBytes"}, {"backupCont", "backupCount"}, {"handler", "handlers"},
		{"g", ""}, {"lvl", ""}, {"levl", "level"}, {"completelydifferent", ""},
	} {
		if got := suggest(c.in, []string{"maxBytes", "backupCount", "handlers", "level", "f"}); got != c.want {
			t.Errorf("suggest(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// A chain of merge keys each merging the previous map twice would make
// 2^40 walks; the decoder stops at its node budget with an error.
func TestParseMergeExplosionIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\nx-0: &m0 {class: NullHandler}\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "x-%d: &m%d {<<: [*m%d, *m%d]}\n", i, i, i-1, i-1)
	}
	b.WriteString("handlers:\n  h: *m40\n")
	_, err := Parse([]byte(b.String()), "t.yaml")
	if err == nil || !strings.Contains(err.Error(), "document too large") {
		t.Fatalf("got %v", err)
	}
}
