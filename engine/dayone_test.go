package engine

import (
	"bufio"
	"context"
	"fmt"
	stdlog "log"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/internal/testio"
	"github.com/actorlog/actorlog/record"
)

// TestCallerWhenAFormatterNeedsIt: a handler whose format names the caller
// makes Logger.Log capture it, without Options.AddSource; one that does not
// leaves it out.
func TestCallerWhenAFormatterNeedsIt(t *testing.T) {
	e := newEngine(t, Options{})
	caller, cbuf := addStream(t, e, "caller", actors.HandlerOptions{
		Formatter: format.MustPython("%(filename)s:%(funcName)s %(message)s", format.PythonOptions{}),
	})
	js, jbuf := addStream(t, e, "json", actors.HandlerOptions{Formatter: format.NewJSON(format.JSONOptions{AddSource: true})})
	plain, _ := addStream(t, e, "plain", actors.HandlerOptions{})

	a := e.Logger("a")
	a.SetLevel(record.LevelInfo)
	a.AddHandler(plain)
	if a.state.Load().needCaller {
		t.Error("a logger whose handlers do not write the caller captures it")
	}
	e.Logger("").AddHandler(caller)
	if !a.state.Load().needCaller {
		t.Error("adding a caller formatter to the root did not reach its child")
	}
	a.Log(record.LevelInfo, "one")
	e.Logger("").RemoveHandler(caller)
	e.Logger("").AddHandler(js)
	a.Log(record.LevelInfo, "two")
	flush(t, e)
	if got, want := cbuf.String(), "dayone_test.go:TestCallerWhenAFormatterNeedsIt one\n"; got != want {
		t.Errorf("caller format wrote %q, want %q", got, want)
	}
	if got := jbuf.String(); !strings.Contains(got, `"source":{"function":"github.com/actorlog/actorlog/engine.TestCallerWhenAFormatterNeedsIt"`) {
		t.Errorf("json addSource wrote %s", got)
	}
}

// TestFlushLevelAndSynchronous: a record at or above FlushLevel is written
// when the call returns; Synchronous does so for every record.
func TestFlushLevelAndSynchronous(t *testing.T) {
	for _, tc := range []struct {
		o     Options
		level record.Level
	}{
		{Options{FlushLevel: record.LevelError}, record.LevelError},
		{Options{FlushLevel: record.LevelError}, record.LevelCritical},
		{Options{Synchronous: true}, record.LevelDebug},
	} {
		e := newEngine(t, tc.o)
		h, buf := addStream(t, e, "s", actors.HandlerOptions{})
		l := e.Logger("x")
		l.SetLevel(record.LevelDebug)
		l.AddHandler(h)
		for i := range 100 {
			l.Log(tc.level, fmt.Sprint(i))
			if n := strings.Count(buf.String(), "\n"); n != i+1 {
				t.Fatalf("%+v at %v: %d lines written when the call returned, want %d", tc.o, tc.level, n, i+1)
			}
		}
	}
}

// TestContextAttrs: Options.ContextAttrs turns what a context carries into
// attributes, as a tracing hook does with a span's IDs.
func TestContextAttrs(t *testing.T) {
	type spanKey struct{}
	e := newEngine(t, Options{ContextAttrs: func(ctx context.Context) []slog.Attr {
		if id, ok := ctx.Value(spanKey{}).(string); ok {
			return []slog.Attr{slog.String("trace_id", "t-"+id), slog.String("span_id", id)}
		}
		return nil
	}})
	h, buf := addStream(t, e, "s", actors.HandlerOptions{Formatter: format.NewLogfmt(format.LogfmtOptions{})})
	e.Logger("").AddHandler(h)
	log := slog.New(e.SlogHandler("svc")).WithGroup("req")
	ctx := context.WithValue(context.Background(), spanKey{}, "42")
	log.WarnContext(ctx, "slow", "ms", 900)
	log.Warn("no span")
	flush(t, e)
	want := "level=WARNING logger=svc msg=slow req.ms=900 req.trace_id=t-42 req.span_id=42\nlevel=WARNING logger=svc msg=\"no span\"\n"
	got := buf.String()
	// drop the time= field
	var lines []string
	for line := range strings.Lines(got) {
		_, rest, _ := strings.Cut(line, " ")
		lines = append(lines, rest)
	}
	if strings.Join(lines, "") != want {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, ""), want)
	}
}

// TestLastResortKeepsOrder: the last resort's line comes after the records
// handed to handlers before it, when both write to one stream.
func TestLastResortKeepsOrder(t *testing.T) {
	out := &testio.SyncBuffer{}
	e := newEngine(t, Options{LastResort: out})
	h, _ := addStreamTo(t, e, "s", out, actors.HandlerOptions{})
	a := e.Logger("a")
	a.SetLevel(record.LevelInfo)
	a.AddHandler(h)
	for i := range 2000 {
		a.Log(record.LevelInfo, fmt.Sprint(i))
	}
	e.Logger("b").Log(record.LevelWarning, "last resort")
	flush(t, e)
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2001 || lines[2000] != "last resort" {
		t.Errorf("%d lines, the last %q; want 2001, the last \"last resort\"", len(lines), lines[len(lines)-1])
	}
}

const exitChildEnv = "ACTORLOG_TEST_EXIT_CHILD"

// TestExitLosesNothing runs a child that logs 200,000 records and leaves
// with Engine.Exit, as a log.Fatal path would, and counts what it wrote.
func TestExitLosesNothing(t *testing.T) {
	if path := os.Getenv(exitChildEnv); path != "" {
		exitChild(path)
		return
	}
	if testing.Short() {
		t.Skip("runs a child process")
	}
	path := filepath.Join(t.TempDir(), "out.log")
	cmd := exec.Command(os.Args[0], "-test.run=^TestExitLosesNothing$")
	cmd.Env = append(os.Environ(), exitChildEnv+"="+path)
	out, err := cmd.CombinedOutput()
	if err == nil || cmd.ProcessState.ExitCode() != 3 {
		t.Fatalf("child: %v (want exit status 3)\n%s", err, out)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
	}
	if n != exitRecords {
		t.Errorf("child wrote %d records, want %d", n, exitRecords)
	}
}

const exitRecords = 200_000

func exitChild(path string) {
	f, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	e := New(Options{})
	h, err := e.NewHandler("file", actors.NewStream(f), actors.HandlerOptions{})
	if err != nil {
		panic(err)
	}
	l := e.Logger("")
	l.SetLevel(record.LevelInfo)
	l.AddHandler(h)
	for i := range exitRecords {
		l.Log(record.LevelInfo, "record", slog.Int("i", i))
	}
	e.Exit(3)
}

// The standard log package through Engine.Writer: the caller is the one of
// log.Printf, not the log package.
func TestWriterCaller(t *testing.T) {
	e := newEngine(t, Options{})
	h, buf := addStream(t, e, "c", actors.HandlerOptions{
		Formatter: format.MustPython("%(funcName)s %(message)s", format.PythonOptions{}),
	})
	e.Logger("std").AddHandler(h)
	l := stdlog.New(e.Writer("std", record.LevelWarning), "", 0)
	l.Printf("hello %d", 1)
	l.Println("two")
	flush(t, e)
	if got, want := buf.String(), "TestWriterCaller hello 1\nTestWriterCaller two\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
