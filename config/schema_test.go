package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/internal/optcheck"
	"github.com/actorlog/actorlog/record"
)

var errTestInvalid = errors.New("kinds: invalid options")

// clock is a text type, as file.TimeOfDay: "HH:MM".
type clock struct{ h, m int }

func (c *clock) UnmarshalText(b []byte) error {
	if _, err := fmt.Sscanf(string(b), "%d:%d", &c.h, &c.m); err != nil {
		return fmt.Errorf("bad clock %q", b)
	}
	return nil
}

func (c clock) String() string { return fmt.Sprintf("%02d:%02d", c.h, c.m) }

type kindsBase struct {
	Name string `config:"name"`
	Size int64  `config:"size"`
}

// kindsOptions has a field of every kind the binder decodes, an embedded
// struct, and a Go-only field.
type kindsOptions struct {
	kindsBase
	Count  int           `config:"count"`
	On     bool          `config:"on"`
	Ratio  float64       `config:"ratio"`
	Wait   time.Duration `config:"wait"`
	Perm   os.FileMode   `config:"perm"`
	Level  record.Level  `config:"level2"`
	At     *clock        `config:"at"`
	Names  []string      `config:"names"`
	GoOnly func()
}

func (o kindsOptions) Validate() error {
	p := optcheck.New(errTestInvalid)
	if o.Name == "" {
		p.Addf("Name", "must not be empty")
	}
	if o.Size > 1000 {
		p.Addf("kindsBase.Size", "must be at most 1000 (got %d)", o.Size)
	}
	if o.Count > 10 {
		p.Addf("Count", "must be at most 10 (got %d)", o.Count)
	}
	if o.Ratio > 1 {
		p.Addf("GoOnly", "ratio above 1 needs GoOnly")
	}
	return p.Err()
}

func kindsTable() classTable {
	return table(classRow[kindsOptions]{Name: "KindsHandler", New: func(*kindsOptions, *SinkEnv) (actors.Sink, error) { return actors.Null{}, nil }})
}

func TestBindEveryKind(t *testing.T) {
	cfg, err := parse([]byte(`version: 1
handlers:
  k:
    class: KindsHandler
    name: n
    size: 1000
    count: 3
    on: true
    ratio: 0.5
    wait: 1.5
    perm: "0640"
    level2: INFO
    at: "03:30"
    names: [a, b]
`), "k.yaml", kindsTable())
	if err != nil {
		t.Fatal(err)
	}
	h := cfg.Handlers["k"]
	got := *h.Options.(*kindsOptions)
	want := kindsOptions{kindsBase: kindsBase{Name: "n", Size: 1000}, Count: 3, On: true, Ratio: 0.5,
		Wait: 1500 * time.Millisecond, Perm: 0o640, Level: record.LevelInfo, At: &clock{3, 30}, Names: []string{"a", "b"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if v, ok := h.Param("size"); !ok || v != int64(1000) {
		t.Errorf("Param(size) = %v, %v", v, ok)
	}
	if _, ok := h.Param("ratio"); !ok {
		t.Error("Param(ratio) not set")
	}
	if v, ok := h.Param("missing"); ok || v != nil {
		t.Errorf("Param(missing) = %v, %v", v, ok)
	}
	var tree strings.Builder
	if err := cfg.WriteTree(&tree); err != nil {
		t.Fatal(err)
	}
	wantTree := "  k: KindsHandler level=NOTSET at=03:30 count=3 level2=INFO name=n names=[a b] on=true perm=0640 ratio=0.5 size=1000 wait=1.5s\n"
	if !strings.Contains(tree.String(), wantTree) {
		t.Errorf("tree\n%s\nwant the line\n%s", tree.String(), wantTree)
	}
}

// Decoding errors keep their messages; once every value decodes, the
// options' own Validate judges them, each problem at the key of its field
// (or at the handler when the key was not written, or names no key).
func TestBindErrors(t *testing.T) {
	for _, c := range []struct{ name, yaml, want string }{
		{"types", "{class: KindsHandler, name: n, count: ten, on: yes please, ratio: .nan, wait: soon, perm: 999, level2: loud, at: noon, names: a}",
			`k.yaml:3:44: handlers.k.count: want an integer, got "ten"
k.yaml:3:53: handlers.k.on: want true or false, got "yes please"
k.yaml:3:72: handlers.k.ratio: want a finite number, got .nan
k.yaml:3:84: handlers.k.wait: want a duration ("1s", "500ms") or a number of seconds, got "soon"
k.yaml:3:96: handlers.k.perm: want an octal permission such as 0640, got 999
k.yaml:3:109: handlers.k.level2: unknown level "loud" (want DEBUG, INFO, WARNING, ERROR, CRITICAL, NOTSET, a registered name or a number)
k.yaml:3:119: handlers.k.at: bad clock "noon"
k.yaml:3:132: handlers.k.names: want a list, got "a"`},
		{"validate", "{class: KindsHandler, size: 1001, count: 11, ratio: 2}",
			`k.yaml:3:6: handlers.k.name: missing (must not be empty)
k.yaml:3:6: handlers.k: GoOnly: ratio above 1 needs GoOnly
k.yaml:3:34: handlers.k.size: must be at most 1000 (got 1001)
k.yaml:3:47: handlers.k.count: must be at most 10 (got 11)`},
		{"negative", "{class: KindsHandler, name: n, size: -1}",
			`k.yaml:3:43: handlers.k.size: want an integer of 0 or more, got -1`},
		{"overflow", "{class: KindsHandler, name: n, count: 99999999999999999999}",
			`k.yaml:3:44: handlers.k.count: want an integer, got 99999999999999999999`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := parse([]byte("version: 1\nhandlers:\n  k: "+c.yaml+"\n"), "k.yaml", kindsTable())
			if err == nil || err.Error() != c.want {
				t.Fatalf("got\n%v\nwant\n%s", err, c.want)
			}
			if c.name == "validate" && (!errors.Is(err, ErrValue) || !errors.Is(err, errTestInvalid)) {
				t.Errorf("errors.Is fails for %v", err)
			}
		})
	}
}

// A field of a type the binder cannot decode is a mistake in the table,
// refused when the row is made.
func TestSchemaRefusesUnknownKinds(t *testing.T) {
	defer func() {
		if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "no decoding") {
			t.Errorf("recovered %v", p)
		}
	}()
	schemaOf(reflect.TypeFor[struct {
		C chan int `config:"c"`
	}]())
}

// The keys of each class, of the handler blocks, of the formatters and of
// the receivers, as the sink packages' tags bind them: a renamed tag would
// silently rename a key of every config, so the schema is pinned here.
func TestSchemaKeys(t *testing.T) {
	const natsStream = "servers subjectPrefix stream createStream replicas maxAge maxBytes duplicateWindow connectTimeout " +
		"token credentials tlsCA tlsCert tlsKey tlsServerName"
	file := "filename mode encoding errors delay perm fsync"
	want := map[string]string{
		"StreamHandler":            "stream",
		"NullHandler":              "",
		"FileHandler":              file,
		"WatchedFileHandler":       file,
		"RotatingFileHandler":      file + " maxBytes backupCount compress maxAge",
		"TimedRotatingFileHandler": "filename encoding errors delay perm fsync when interval utc atTime backupCount",
		"SMTPHandler":              "mailhost fromaddr toaddrs subject credentials secure tls cafile timeout capacity interval localname",
		"SysLogHandler": "address facility socktype timeout ident noAppendNul format framing tls caFile certFile keyFile " +
			"serverName maxMessageSize hostname appName msgid sdID utc",
		"MemoryHandler":     "capacity flushLevel flushOnClose target",
		"QueueHandler":      "respect_handler_level handlers queue listener",
		"NTEventLogHandler": "appname dllname logtype",
		"SocketHandler":     "host port timeout writeTimeout key ack ackTimeout ackWindow maxFrame tls cafile certfile keyfile serverName insecureSkipVerify",
		"DatagramHandler":   "host port key maxSize writeTimeout",
		"HTTPHandler":       "host url method secure credentials allowInsecureAuth cafile certfile keyfile serverName insecureSkipVerify batch timeout",
		"JetStreamHandler":  natsStream + " key batchRecords window ackTimeout compression",
	}
	for _, c := range classes {
		if got := strings.Join(c.Keys(), " "); got != want[c.Name] {
			t.Errorf("%s: keys %q, want %q", c.Name, got, want[c.Name])
		}
	}
	if len(classes) != len(want) {
		t.Errorf("%d classes, want %d", len(classes), len(want))
	}
	for _, c := range []struct {
		name string
		got  []string
		want string
	}{
		{"mailbox", mailboxSchema.keys(), "capacity overflow blockTimeout maxBatch"},
		{"supervision", supervisionSchema.keys(), "retryStart retryFactor retryMax resetAfter"},
		{"python formatter", formatterClassNamed("python").keys(), "format datefmt style validate defaults utc"},
		{"json formatter", formatterClassNamed("json").keys(), "utc addSource timeFormat timeKey levelKey loggerKey sourceKey messageKey"},
		{"tcp receiver", receiverTypes[0].schema.keys(), "listen maxFrame key maxConnections readTimeout idleTimeout ackEvery newLoggers protocol framing namePrefix"},
		{"jetstream receiver", receiverTypes[5].schema.keys(), natsStream + " consumer key fetch ackWait maxAckPending maxFrame newLoggers"},
	} {
		if got := strings.Join(c.got, " "); got != c.want {
			t.Errorf("%s: keys %q, want %q", c.name, got, c.want)
		}
	}
}
