package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/record"
)

// A Python user's config: loggers "" and root (Python 3.9+) are the root
// logger, the root's propagate and the file handlers' errors are accepted,
// Filter(name="root") passes root records, terminator "\x00" is a NUL.
func TestPythonConfigsJustWork(t *testing.T) {
	dir := t.TempDir()
	for _, key := range []string{`""`, `root`} {
		cfg := mustParse(t, `version: 1
filters:
  rootonly: {name: root}
handlers:
  out: {class: StreamHandler, stream: ext://sys.stdout, filters: [rootonly], ".": {terminator: "\x00"}}
  f: {class: FileHandler, filename: `+filepath.Join(dir, "f.log")+`, errors: backslashreplace}
loggers:
  `+key+`: {level: INFO, handlers: [out, f], propagate: true}
`)
		if cfg.Root == nil || cfg.Root.Level != record.LevelInfo {
			t.Fatalf("loggers %s: root = %+v", key, cfg.Root)
		}
		var stdout bytes.Buffer
		e, err := Build(cfg, BuildOptions{Sinks: SinkEnv{Stdout: &stdout}})
		if err != nil {
			t.Fatal(err)
		}
		e.Logger("").Log(record.LevelInfo, "root record")
		e.Logger("app").Log(record.LevelInfo, "app record") // propagates, filtered out
		shutdown(t, e)
		if got := stdout.String(); got != "root record\x00" {
			t.Errorf("loggers %s: stdout %q, want the root record ended by a NUL", key, got)
		}
	}
	// The top-level root, read after, wins; its propagate means nothing.
	cfg := mustParse(t, "version: 1\nloggers:\n  root: {level: INFO}\nroot: {level: ERROR, propagate: false}\n")
	if cfg.Root.Level != record.LevelError || !cfg.Root.Propagate {
		t.Errorf("root = %+v", cfg.Root)
	}
	if _, err := Parse([]byte("version: 1\nhandlers:\n  f: {class: FileHandler, filename: x.log, errors: bogus}\n"), "t.yaml"); err == nil ||
		!strings.Contains(err.Error(), "bogus") {
		t.Errorf("errors: bogus: %v", err)
	}
}

func TestJSONFormatterKeysFromConfig(t *testing.T) {
	cfg := mustParse(t, `version: 1
formatters:
  j: {class: json, timeFormat: unixmilli, messageKey: message, levelKey: severity}
handlers:
  out: {class: StreamHandler, stream: stdout, formatter: j}
root: {level: INFO, handlers: [out]}
`)
	var stdout bytes.Buffer
	e, err := Build(cfg, BuildOptions{Sinks: SinkEnv{Stdout: &stdout}})
	if err != nil {
		t.Fatal(err)
	}
	e.Logger("").Log(record.LevelInfo, "hi")
	shutdown(t, e)
	got := stdout.String()
	if !strings.Contains(got, `"severity":"INFO","message":"hi"}`) || !strings.HasPrefix(got, `{"time":1`) {
		t.Errorf("got %s", got)
	}
	if _, err := Parse([]byte("version: 1\nformatters:\n  j: {class: json, timeFormat: iso}\n"), "t.yaml"); err == nil ||
		!strings.Contains(err.Error(), "formatters.j") {
		t.Errorf("timeFormat iso: %v", err)
	}
}

// Check warns about format fields that are not LogRecord attributes, with
// the name meant when it is a typo.
func TestCheckWarnsAboutFormatFields(t *testing.T) {
	cfg := mustParse(t, `version: 1
formatters:
  typo: {format: "%(levelnam)s %(message)s %(attrs)s %(db.host)s"}
  fine: {format: "%(levelname)s %(user)s", defaults: {user: "-"}}
`)
	ws := cfg.Check()
	var msgs []string
	for _, w := range ws {
		if !errors.Is(w, ErrFormatField) {
			t.Errorf("warning %v does not wrap ErrFormatField", w)
		}
		msgs = append(msgs, w.Error())
	}
	got := strings.Join(msgs, "\n")
	if len(ws) != 2 || !strings.Contains(got, `field "levelnam" is not a LogRecord attribute (did you mean "levelname"?)`) ||
		!strings.Contains(got, `formatters.typo.format: field "db.host"`) {
		t.Errorf("warnings:\n%s", got)
	}
}

// Build says what to do about a missing directory.
func TestBuildMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logs")
	cfg := mustParse(t, "version: 1\nhandlers:\n  f: {class: FileHandler, filename: "+filepath.Join(dir, "app.log")+"}\n")
	if _, err := Build(cfg, BuildOptions{}); err == nil || !strings.Contains(err.Error(), "MakeDirs") {
		t.Errorf("Build: %v, want a hint about MakeDirs", err)
	}
	e, err := Build(cfg, BuildOptions{MakeDirs: true})
	if err != nil {
		t.Fatal(err)
	}
	shutdown(t, e)
	if _, err := os.Stat(filepath.Join(dir, "app.log")); err != nil {
		t.Error(err)
	}
}
