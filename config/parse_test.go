package config

import (
	"os"
	"reflect"

	"testing"
	"time"

	"github.com/actorlog/actorlog/actors/file"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// The config of DESIGN.md, without the SocketHandler that does not exist yet.
const designConfig = `version: 1
formatters:
  plain: {format: "%(asctime)s %(levelname)s %(name)s: %(message)s"}
  json:  {class: json}
filters:
  dbonly: {name: app.db}
handlers:
  console: {class: StreamHandler, stream: stderr, formatter: plain, level: INFO}
  file:
    class: RotatingFileHandler          # logging.handlers.RotatingFileHandler also accepted
    filename: logs/app.log
    maxBytes: 10485760
    backupCount: 5
    formatter: json
    mailbox: {capacity: 65536, overflow: block}
    supervision: {retryStart: 1s, retryFactor: 2, retryMax: 30}
loggers:
  app.db: {level: DEBUG, handlers: [file], propagate: false, filters: [dbonly]}
root: {level: INFO, handlers: [console]}
receivers:                              # what actorlog serve listens on
  - {type: tcp, listen: "127.0.0.1:9020"}
  - {type: udp, listen: "127.0.0.1:9021"}
`

func TestParseDesignConfig(t *testing.T) {
	cfg, err := Parse([]byte(designConfig), "design.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Version != 1 || !cfg.DisableExistingLoggers {
		t.Errorf("version %d, disable_existing_loggers %v", cfg.Version, cfg.DisableExistingLoggers)
	}
	if _, ok := cfg.Formatters["json"].Formatter().(*format.JSON); !ok {
		t.Errorf("json formatter is %T", cfg.Formatters["json"].Formatter())
	}
	if _, ok := cfg.Formatters["plain"].Formatter().(*format.Python); !ok {
		t.Errorf("plain formatter is %T", cfg.Formatters["plain"].Formatter())
	}
	if f := cfg.Filters["dbonly"]; f.Logger != "app.db" || f.Line != 6 {
		t.Errorf("filter dbonly = %+v", f)
	}
	c := cfg.Handlers["console"]
	if c.Class.Name != "StreamHandler" || c.Level != record.LevelInfo || c.Options.(*StreamOptions).Stream != "stderr" || c.FormatterRef.Name != "plain" {
		t.Errorf("console = %+v", c)
	}
	f := cfg.Handlers["file"]
	if o := f.Options.(*file.RotatingOptions); f.Class.Name != "RotatingFileHandler" || o.MaxBytes != 10485760 || o.BackupCount != 5 || o.Filename != "logs/app.log" {
		t.Errorf("file = %+v, options %+v", f, o)
	}
	if f.Mailbox != (mailbox.Options{Capacity: 65536, Overflow: mailbox.Block}) {
		t.Errorf("file mailbox = %+v", f.Mailbox)
	}
	if s := f.Supervision; s.RetryStart != time.Second || s.RetryFactor != 2 || s.RetryMax != 30*time.Second {
		t.Errorf("file supervision = %+v", s)
	}
	db := cfg.Loggers["app.db"]
	if !db.HasLevel || db.Level != record.LevelDebug || db.Propagate || len(db.Handlers) != 1 || db.Handlers[0].Name != "file" || db.Filters[0].Name != "dbonly" {
		t.Errorf("app.db = %+v", db)
	}
	if r := cfg.Root; r == nil || r.Level != record.LevelInfo || r.Handlers[0].Name != "console" {
		t.Errorf("root = %+v", r)
	}
	if len(cfg.Receivers) != 2 || cfg.Receivers[0].Type != "tcp" || cfg.Receivers[1].Listen != "127.0.0.1:9021" {
		t.Errorf("receivers = %+v", cfg.Receivers)
	}
}

func TestParseValues(t *testing.T) {
	cfg, err := Parse([]byte(`
version: 1
x-common: &common {level: 25, filters: [f]}
filters:
  f: {minLevel: INFO, maxLevel: ERROR}
handlers:
  out:
    <<: *common
    class: logging.StreamHandler
    stream: ext://sys.stdout
    terminator: ""
    mailbox: {blockTimeout: 0.25, overflow: Drop-Oldest, maxBatch: 16}
  err: {class: StreamHandler, ".": {terminator: "\r\n"}}
  null: {class: logging.NullHandler}
  timed:
    class: logging.handlers.TimedRotatingFileHandler
    filename: t.log
    when: midnight
    interval: 2
    utc: true
    atTime: "03:30"
    perm: 0640
    encoding: UTF-8
    delay: true
    supervision: {retryStart: 250ms, retryMax: 1.5, resetAfter: 1m}
  watched: {class: WatchedFileHandler, filename: 2024, mode: w, fsync: true}
loggers:
  a: ~
  a.b: {propagate: false}
root: {handlers: [out, err]}
disable_existing_loggers: false
incremental: false
`), "values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DisableExistingLoggers {
		t.Error("disable_existing_loggers: false was not read")
	}
	out := cfg.Handlers["out"]
	if out.Level != 25 || out.FilterRefs[0].Name != "f" || out.Options.(*StreamOptions).Stream != "stdout" || !out.NoTerminator {
		t.Errorf("out = %+v", out)
	}
	if out.Mailbox != (mailbox.Options{BlockTimeout: 250 * time.Millisecond, Overflow: mailbox.DropOldest, MaxBatch: 16}) {
		t.Errorf("out mailbox = %+v", out.Mailbox)
	}
	if e := cfg.Handlers["err"]; e.Terminator != "\r\n" || param(e, "stream") != nil || e.Options.(*StreamOptions).Stream != "" {
		t.Errorf("err = %+v", e)
	}
	tm := cfg.Handlers["timed"]
	want := map[string]any{"filename": "t.log", "when": "midnight", "interval": 2, "utc": true,
		"atTime": &file.TimeOfDay{Hour: 3, Minute: 30}, "perm": os.FileMode(0o640), "encoding": "UTF-8", "delay": true}
	for k, v := range want {
		if got := param(tm, k); !reflect.DeepEqual(got, v) {
			t.Errorf("timed %s = %#v, want %#v", k, got, v)
		}
	}
	if o := tm.Options.(*file.TimedOptions); o.Filename != "t.log" || o.Interval != 2 || *o.AtTime != (file.TimeOfDay{Hour: 3, Minute: 30}) {
		t.Errorf("timed options = %+v", o)
	}
	if s := tm.Supervision; s.RetryStart != 250*time.Millisecond || s.RetryMax != 1500*time.Millisecond || s.ResetAfter != time.Minute {
		t.Errorf("timed supervision = %+v", s)
	}
	if w := cfg.Handlers["watched"].Options.(*file.Options); *w != (file.Options{Filename: "2024", Mode: "w", Fsync: true}) {
		t.Errorf("watched = %+v", w)
	}
	if a := cfg.Loggers["a"]; a == nil || a.HasLevel || !a.Propagate {
		t.Errorf("a = %+v", a)
	}
	if ab := cfg.Loggers["a.b"]; ab.Propagate {
		t.Errorf("a.b = %+v", ab)
	}
	if f := cfg.Filters["f"]; f.MinLevel != record.LevelInfo || f.MaxLevel != record.LevelError {
		t.Errorf("f = %+v", f)
	}
}

// param returns the value of h's parameter key, nil when the file did not
// set it.
func param(h *HandlerSpec, key string) any {
	v, _ := h.Param(key)
	return v
}
