package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/actorlog/actorlog/config"
)

// testTimeout only keeps a broken test from hanging; nothing waits for it.
const testTimeout = 2 * time.Minute

// runBin runs the binary to completion in dir and returns its outputs and
// exit status.
func runBin(t *testing.T, dir, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatalf("run %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// configIn makes a test directory holding the config yaml, as
// config.yaml; it returns both paths.
func configIn(t *testing.T, yaml string) (dir, cfg string) {
	t.Helper()
	dir = t.TempDir()
	cfg = filepath.Join(dir, "config.yaml")
	writeFile(t, cfg, yaml)
	return dir, cfg
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestUsageAndHelp(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, code := runBin(t, dir, ""); code != exitUsage || !strings.Contains(errOut, "Usage:\n  actorlog serve") {
		t.Errorf("no arguments: status %d, stderr %q", code, errOut)
	}
	if _, errOut, code := runBin(t, dir, "", "frobnicate"); code != exitUsage || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: status %d, stderr %q", code, errOut)
	}
	for _, c := range []string{"serve", "send", "check"} {
		out, _, code := runBin(t, dir, "", c, "--help")
		if code != exitOK || !strings.HasPrefix(out, "Usage: actorlog "+c) || !strings.Contains(out, "-config FILE") {
			t.Errorf("%s --help: status %d, stdout %q", c, code, out)
		}
	}
	if _, errOut, code := runBin(t, dir, "", "send", "--bogus"); code != exitUsage || !strings.Contains(errOut, "flag provided but not defined: -bogus") {
		t.Errorf("bad flag: status %d, stderr %q", code, errOut)
	}
}

func TestSendCountIntoFile(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "send.yaml")
	logPath := filepath.Join(dir, "out.log")
	writeFile(t, cfg, `version: 1
formatters:
  seq: {format: "%(seq)d %(name)s %(levelname)s %(message)s"}
handlers:
  file: {class: FileHandler, filename: out.log, formatter: seq}
root: {level: DEBUG, handlers: [file]}
`)
	const n = 100000
	out, errOut, code := runBin(t, dir, "", "send", "--config", cfg, "--logger", "load.test", "--level", "debug", "--count", strconv.Itoa(n), "hello")
	if code != 0 || out != "sent 100000, written 100000, dropped 0\n" {
		t.Fatalf("status %d, stdout %q, stderr %q", code, out, errOut)
	}
	seen := make([]bool, n+1)
	lines := 0
	sc := bufio.NewScanner(strings.NewReader(readFile(t, logPath)))
	for sc.Scan() {
		lines++
		seqStr, rest, _ := strings.Cut(sc.Text(), " ")
		seq, err := strconv.Atoi(seqStr)
		if err != nil || seq < 1 || seq > n || rest != "load.test DEBUG hello" {
			t.Fatalf("line %d: %q", lines, sc.Text())
		}
		if seen[seq] {
			t.Fatalf("seq %d twice", seq)
		}
		seen[seq] = true
	}
	if lines != n {
		t.Fatalf("%d lines, want %d", lines, n)
	}
}

func TestSendStdinWithAttrs(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "json.yaml")
	writeFile(t, cfg, `version: 1
formatters:
  json: {class: json}
handlers:
  out: {class: StreamHandler, stream: stdout, formatter: json}
root: {level: INFO, handlers: [out]}
`)
	out, errOut, code := runBin(t, dir, "first line\nsecond line\n", "send", "--config", cfg, "--logger", "app", "--level", "WARNING", "--attr", "k=v", "--attr", "n=1")
	if code != 0 {
		t.Fatalf("status %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 || lines[2] != "sent 2, written 2, dropped 0" {
		t.Fatalf("stdout %q", out)
	}
	for i, msg := range []string{"first line", "second line"} {
		var rec map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &rec); err != nil {
			t.Fatalf("line %q: %v", lines[i], err)
		}
		if rec["msg"] != msg || rec["level"] != "WARNING" || rec["logger"] != "app" || rec["k"] != "v" || rec["n"] != "1" {
			t.Errorf("record %v", rec)
		}
	}
}

// TestSendToServe: serve in one process, send with no --config in another:
// every record delivered, acknowledged, and written once.
func TestSendToServe(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "serve.yaml")
	writeFile(t, cfg, `version: 1
formatters:
  plain: {format: "%(name)s %(message)s %(seq)s"}
handlers:
  file: {class: FileHandler, filename: logs/all.log, formatter: plain}
root: {level: INFO, handlers: [file]}
receivers:
  - {type: tcp, listen: "127.0.0.1:0"}
`)
	s := startServe(t, dir, "--config", cfg)
	addr := strings.TrimPrefix(s.waitLine("  receiving on tcp "), "  receiving on tcp ")
	s.waitLine("ready")
	const n = 100000
	out, errOut, code := runBin(t, dir, "", "send", "--to", addr, "--logger", "load", "--count", strconv.Itoa(n), "--timeout", "30s")
	if want := fmt.Sprintf("sent %d, written %d, dropped 0\nacknowledged %d by %s\n", n, n, n, addr); code != 0 || out != want {
		t.Fatalf("status %d, stdout %q (want %q), stderr %q", code, out, want, errOut)
	}
	s.signal(syscall.SIGTERM)
	if code := s.wait(); code != 0 {
		t.Fatalf("serve exit status %d; stderr:\n%s", code, s.errText())
	}
	got := strings.Count(readFile(t, filepath.Join(dir, "logs", "all.log")), "load test record ")
	if got != n {
		t.Errorf("%d records written by the collector, want %d", got, n)
	}
}

// TestSendWithNothingListening: send says so at once, counts every record
// as dropped and exits 1.
func TestSendWithNothingListening(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	start := time.Now()
	out, errOut, code := runBin(t, t.TempDir(), "", "send", "--to", addr, "--count", "10", "--timeout", "1s")
	if code != exitFail || !strings.HasPrefix(out, "sent 10, written 0, dropped 10\nacknowledged 0 by ") ||
		!strings.Contains(errOut, "nothing is listening on "+addr) {
		t.Fatalf("status %d, stdout %q, stderr %q", code, out, errOut)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestSendFailsWhenRecordsAreLost(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bad.yaml")
	// delay: true defers the open to the first batch, which then fails:
	// out.log is a directory.
	if err := os.Mkdir(filepath.Join(dir, "out.log"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, cfg, `version: 1
handlers:
  file: {class: FileHandler, filename: out.log, delay: true}
root: {handlers: [file]}
`)
	out, errOut, code := runBin(t, dir, "", "send", "--config", cfg, "--level", "ERROR", "--count", "3")
	if code != exitFail || !strings.HasPrefix(out, "sent 3, written 0, dropped ") {
		t.Fatalf("status %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	writeFile(t, good, `version: 1
handlers:
  console: {class: logging.StreamHandler, level: INFO}
loggers:
  app.db: {level: DEBUG, handlers: [console], propagate: false}
root: {handlers: [console]}
`)
	out, errOut, code := runBin(t, dir, "", "check", "--config", good)
	want := good + `: OK
handlers:
  console: StreamHandler level=INFO
loggers:
  root effective=WARNING -> [console]
    app.db level=DEBUG effective=DEBUG propagate=false -> [console]
`
	if code != 0 || out != want {
		t.Errorf("status %d, stderr %q, stdout\n%s\nwant\n%s", code, errOut, out, want)
	}

	bad := filepath.Join(dir, "bad.yaml")
	writeFile(t, bad, `version: 1
handlers:
  file:
    class: RotatingFileHandler
    filename: app.log
    maxBytes: ten
    mailbox: {overflow: sometimes}
  net: {class: SocketHandlr}
root: {level: info, handlers: [file, console]}
`)
	out, errOut, code = runBin(t, dir, "", "check", "--config", bad)
	want = bad + `:6:15: handlers.file.maxBytes: want an integer, got "ten"
` + bad + `:7:25: handlers.file.mailbox.overflow: unknown overflow policy "sometimes" (want block, drop_newest or drop_oldest)
` + bad + `:8:16: handlers.net.class: unknown handler class "SocketHandlr" (did you mean "SocketHandler"?) (known: ` + strings.Join(config.Classes(), ", ") + `)
` + bad + `:9:15: root.level: unknown level "info" (did you mean "INFO"? names are case-sensitive, as in Python)
` + bad + `:9:38: root.handlers[1]: handler "console" is not defined (defined: file, net)
` + bad + `: 5 errors
`
	if code != exitFail || out != "" || errOut != want {
		t.Errorf("status %d, stdout %q, stderr\n%s\nwant\n%s", code, out, errOut, want)
	}
	if _, errOut, code := runBin(t, dir, "", "check"); code != exitUsage || !strings.Contains(errOut, "--config FILE is required") {
		t.Errorf("check without a file: status %d, stderr %q", code, errOut)
	}
	if _, errOut, code := runBin(t, dir, "", "check", "--config", filepath.Join(dir, "missing.yaml")); code != exitFail || !strings.Contains(errOut, "no such file") {
		t.Errorf("check of a missing file: status %d, stderr %q", code, errOut)
	}
}

func TestPrintDefaultConfigChecks(t *testing.T) {
	dir := t.TempDir()
	out, _, code := runBin(t, dir, "", "serve", "--print-default-config")
	if code != 0 || out != string(defaultConfig) {
		t.Fatalf("status %d, stdout %q", code, out)
	}
	path := filepath.Join(dir, "default.yaml")
	writeFile(t, path, out)
	out, errOut, code := runBin(t, dir, "", "check", "--config", path)
	if code != 0 || !strings.Contains(out, "file: RotatingFileHandler") || !strings.Contains(out, "tcp 127.0.0.1:9020\n  udp 127.0.0.1:9021\n") {
		t.Fatalf("status %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// server is a running `actorlog serve`, its stdout read line by line.
type server struct {
	t     *testing.T
	cmd   *exec.Cmd
	lines chan string
	done  chan error
	err   *syncBuffer
}

func startServe(t *testing.T, dir string, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	s := &server{t: t, lines: make(chan string, 100), done: make(chan error, 1), err: newSyncBuffer()}
	s.cmd = exec.CommandContext(ctx, bin, append([]string{"serve"}, args...)...)
	s.cmd.Dir = dir
	s.cmd.Stderr = s.err
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		close(s.lines)
		s.done <- s.cmd.Wait()
	}()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			_ = s.cmd.Process.Kill()
			for range s.lines {
			}
			<-s.done
		}
	})
	return s
}

// lineTimeout bounds the wait for one line of serve's stdout; a line that
// does not come by then fails the test instead of hanging it.
const lineTimeout = 30 * time.Second

// waitLine returns the first line of stdout with prefix, failing when
// stdout ends first or the line does not come within lineTimeout.
func (s *server) waitLine(prefix string) string {
	s.t.Helper()
	timer := time.NewTimer(lineTimeout)
	defer timer.Stop()
	for {
		select {
		case l, ok := <-s.lines:
			if !ok {
				s.t.Fatalf("serve ended before printing %q; stderr:\n%s", prefix, s.errText())
			}
			if strings.HasPrefix(l, prefix) {
				return l
			}
		case <-timer.C:
			s.t.Fatalf("no line %q within %v; stderr:\n%s", prefix, lineTimeout, s.errText())
		}
	}
}

// signal sends sig to serve; a serve that has already exited is not an
// error (the caller then checks its status).
func (s *server) signal(sig os.Signal) {
	s.t.Helper()
	if err := s.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		s.t.Fatal(err)
	}
}

// wait drains stdout and returns the exit status.
func (s *server) wait() int {
	s.t.Helper()
	code, ok := s.waitWithin(testTimeout)
	if !ok {
		s.t.Fatalf("serve still running after %v", testTimeout)
	}
	return code
}

// waitWithin drains stdout and returns the exit status, or ok false when
// serve has not exited within d (it is then killed).
func (s *server) waitWithin(d time.Duration) (code int, ok bool) {
	s.t.Helper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	var err error
	lines := s.lines
	for exited := false; !exited; {
		select {
		case _, open := <-lines:
			if !open {
				lines = nil
			}
		case err = <-s.done:
			exited = true
		case <-timer.C:
			_ = s.cmd.Process.Kill()
			for range s.lines {
			}
			<-s.done
			return -1, false
		}
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), true
	}
	if err != nil {
		s.t.Fatal(err)
	}
	return 0, true
}

// errText returns what serve wrote to stderr so far.
func (s *server) errText() string { return s.err.String() }

// syncBuffer is a bytes.Buffer that a test may read while a process
// writes to it.
type syncBuffer struct {
	syncWriter
	b bytes.Buffer
}

func newSyncBuffer() *syncBuffer {
	b := &syncBuffer{}
	b.w = &b.b
	return b
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestServeReopensOnSIGHUPAndStopsOnSIGTERM(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "serve.yaml")
	writeFile(t, cfg, `version: 1
formatters:
  plain: {format: "%(name)s %(message)s"}
handlers:
  file: {class: FileHandler, filename: logs/serve.log, formatter: plain}
root: {level: INFO, handlers: [file]}
receivers:
  - {type: tcp, listen: "127.0.0.1:0"}
`)
	s := startServe(t, dir, "--config", cfg)
	if l := s.waitLine("  receiving on tcp "); !strings.HasPrefix(l, "  receiving on tcp 127.0.0.1:") || strings.HasSuffix(l, ":0") {
		t.Errorf("receivers line %q", l)
	}
	s.waitLine("ready")
	logPath := filepath.Join(dir, "logs", "serve.log")
	if err := os.Rename(logPath, logPath+".1"); err != nil {
		t.Fatal(err)
	}
	s.signal(syscall.SIGHUP)
	s.waitLine("reopened files")
	s.signal(syscall.SIGTERM)
	s.waitLine("stopping on terminated")
	if code := s.wait(); code != 0 {
		t.Fatalf("exit status %d; stderr:\n%s", code, s.errText())
	}
	if got := readFile(t, logPath+".1"); got != "actorlog.serve started\n" {
		t.Errorf("renamed file holds %q", got)
	}
	if got := readFile(t, logPath); got != "actorlog.serve reopened files\nactorlog.serve stopping\n" {
		t.Errorf("reopened file holds %q", got)
	}
}

var (
	metricLine = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? [0-9]+$`)
	metaLine   = regexp.MustCompile(`^# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge))$`)
)

func TestServeStatsOverHTTP(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "serve.yaml")
	writeFile(t, cfg, `version: 1
handlers:
  f: {class: FileHandler, filename: serve.log}
  quiet: {class: NullHandler, level: ERROR}
root: {level: INFO, handlers: [f, quiet]}
`)
	s := startServe(t, dir, "--config", cfg, "--stats-addr", "127.0.0.1:0")
	l := s.waitLine("  stats: ")
	addr := strings.TrimSuffix(strings.TrimPrefix(strings.Fields(l)[1], "http://"), "/metrics")
	s.waitLine("ready")
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	get := func(path string) string {
		resp, err := client.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", path, resp.Status, err)
		}
		return string(b)
	}
	metrics := get("/metrics")
	families := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(metrics, "\n"), "\n") {
		switch {
		case metaLine.MatchString(line):
			if f := strings.Fields(line); f[1] == "TYPE" {
				families[f[2]] = true
			}
		case metricLine.MatchString(line):
		default:
			t.Errorf("not Prometheus text format: %q", line)
		}
	}
	for _, f := range []string{"actorlog_handler_received_total", "actorlog_handler_written_total", "actorlog_handler_dropped_total", "actorlog_handler_queue_depth", "actorlog_handler_queue_high_water", "actorlog_handler_restarts_total", "actorlog_handler_errors_total"} {
		if !families[f] {
			t.Errorf("no family %s", f)
		}
	}
	if !strings.Contains(metrics, `actorlog_handler_dropped_total{handler="f",reason="full"} 0`) {
		t.Errorf("no dropped sample for f:\n%s", metrics)
	}
	var doc struct {
		Handlers []struct {
			Name    string            `json:"name"`
			Dropped map[string]uint64 `json:"dropped"`
		} `json:"handlers"`
	}
	if err := json.Unmarshal([]byte(get("/stats")), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Handlers) != 2 || doc.Handlers[0].Name != "f" || doc.Handlers[1].Name != "quiet" || len(doc.Handlers[0].Dropped) != 6 {
		t.Errorf("stats %+v", doc)
	}
	client.CloseIdleConnections()
	s.signal(syscall.SIGINT)
	if code := s.wait(); code != 0 {
		t.Fatalf("exit status %d; stderr:\n%s", code, s.errText())
	}
}
