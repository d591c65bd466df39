package config

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/record"
)

func mustParse(t *testing.T, y string) *Config {
	t.Helper()
	cfg, err := Parse([]byte(y), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func shutdown(t *testing.T, e interface{ Shutdown(context.Context) error }) {
	t.Helper()
	if err := e.Shutdown(context.Background()); err != nil {
		t.Error(err)
	}
}

func TestBuildRoutesRecords(t *testing.T) {
	dir := t.TempDir()
	cfg := mustParse(t, `version: 1
formatters:
  plain: {format: "%(levelname)s %(name)s %(message)s"}
filters:
  dbonly: {name: app.db}
handlers:
  out: {class: StreamHandler, stream: stdout, formatter: plain}
  err: {class: StreamHandler, formatter: plain, level: ERROR}
  db: {class: FileHandler, filename: `+filepath.Join(dir, "sub", "db.log")+`, formatter: plain, filters: [dbonly]}
  discard: {class: NullHandler}
loggers:
  app: {level: DEBUG, handlers: [db]}
  app.quiet: {level: ERROR, propagate: false, handlers: [discard]}
root: {level: INFO, handlers: [out, err]}
`)
	var stdout, stderr bytes.Buffer
	e, err := Build(cfg, BuildOptions{Sinks: SinkEnv{Stdout: &stdout, Stderr: &stderr}, MakeDirs: true})
	if err != nil {
		t.Fatal(err)
	}
	e.Logger("app.db").Log(record.LevelDebug, "query")
	e.Logger("app.web").Log(record.LevelInfo, "request")
	e.Logger("app.quiet").Log(record.LevelWarning, "hidden")
	e.Logger("app.quiet").Log(record.LevelError, "quiet error")
	e.Logger("other").Log(record.LevelError, "boom")
	e.Logger("other").Log(record.LevelDebug, "too low")
	shutdown(t, e)

	if got, want := stdout.String(), "DEBUG app.db query\nINFO app.web request\nERROR other boom\n"; got != want {
		t.Errorf("stdout:\n%s\nwant\n%s", got, want)
	}
	if got, want := stderr.String(), "ERROR other boom\n"; got != want {
		t.Errorf("stderr:\n%s\nwant\n%s", got, want)
	}
	b, err := os.ReadFile(filepath.Join(dir, "sub", "db.log"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), "DEBUG app.db query\n"; got != want {
		t.Errorf("db.log:\n%s\nwant\n%s", got, want)
	}
	st := e.Stats()
	if s, _ := st.ForHandler("discard"); s.Written != 1 {
		t.Errorf("null handler stats %+v", s)
	}
}

func TestBuildFailsAndCleansUp(t *testing.T) {
	dir := t.TempDir()
	cfg := mustParse(t, `version: 1
handlers:
  a: {class: FileHandler, filename: `+filepath.Join(dir, "a.log")+`}
  b: {class: RotatingFileHandler, filename: `+filepath.Join(dir, "missing", "b.log")+`, maxBytes: 10}
  c: {class: StreamHandler}
root: {handlers: [a, b, c]}
`)
	e, err := Build(cfg, BuildOptions{})
	if err == nil {
		shutdown(t, e)
		t.Fatal("no error for a file in a missing directory")
	}
	var ce *Error
	if !errors.As(err, &ce) || !errors.Is(err, ErrBuild) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("error %v (%T)", err, err)
	}
	if ce.Line != 4 || ce.Path != "handlers.b" || !strings.Contains(err.Error(), "t.yaml:4:3: handlers.b: RotatingFileHandler: ") {
		t.Errorf("error %q", err)
	}
	// Handler a was built and its file opened; the engine was shut down
	// (goleak in TestMain checks that no actor is left running).
}

func TestBuildTerminatorAndLevels(t *testing.T) {
	cfg := mustParse(t, `version: 1
handlers:
  out: {class: StreamHandler, stream: ext://sys.stdout, ".": {terminator: " | "}}
root: {level: 5, handlers: [out]}
`)
	var stdout bytes.Buffer
	e, err := Build(cfg, BuildOptions{Sinks: SinkEnv{Stdout: &stdout}})
	if err != nil {
		t.Fatal(err)
	}
	e.Logger("").Log(5, "five")
	e.Logger("x").Log(record.LevelDebug, "ten")
	shutdown(t, e)
	if got := stdout.String(); got != "five | ten | " {
		t.Errorf("got %q", got)
	}
}
