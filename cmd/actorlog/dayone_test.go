package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// defaultConfigOnOwnPorts writes serve's embedded config to dir with its
// receivers on ports of the test's own: 127.0.0.1:9020 and 9021 belong to
// the README's collector, which the examples package runs meanwhile.
func defaultConfigOnOwnPorts(t *testing.T, dir string) string {
	t.Helper()
	def, _, code := runBin(t, dir, "", "serve", "--print-default-config")
	if code != exitOK {
		t.Fatalf("print-default-config: status %d", code)
	}
	cfg := filepath.Join(dir, "serve.yaml")
	writeFile(t, cfg, strings.NewReplacer(`"127.0.0.1:9020"`, `"127.0.0.1:0"`, `"127.0.0.1:9021"`, `"127.0.0.1:0"`).Replace(def))
	return cfg
}

// send with no config ships to the collector, whose embedded console shows
// the records' attributes; --level takes a name in any case.
func TestSendDefaultConsoleShowsAttrs(t *testing.T) {
	dir := t.TempDir()
	s := startServe(t, dir, "--config", defaultConfigOnOwnPorts(t, dir))
	addr := strings.TrimPrefix(s.waitLine("  receiving on tcp "), "  receiving on tcp ")
	s.waitLine("ready")
	levels := []string{"warning", "Warning", "WARN", "30"}
	for _, level := range levels {
		out, errOut, code := runBin(t, dir, "", "send", "--to", addr, "--logger", "app.db", "--level", level, "--attr", "env=dev", "connected")
		if code != exitOK || !strings.HasPrefix(out, "sent 1, written 1") {
			t.Fatalf("--level %s: status %d, stdout %q, stderr %q", level, code, out, errOut)
		}
	}
	s.signal(syscall.SIGTERM)
	if code := s.wait(); code != 0 {
		t.Fatalf("serve exit status %d; stderr:\n%s", code, s.errText())
	}
	lines := regexp.MustCompile(`(?m) WARNING +app\.db: connected env=dev$`).FindAllString(s.errText(), -1)
	if len(lines) != len(levels) {
		t.Errorf("serve's console has %d records with env=dev, want %d:\n%s", len(lines), len(levels), s.errText())
	}
}

// serve says its PID first, and its embedded console shows attributes.
func TestServePrintsPIDAndAttrs(t *testing.T) {
	dir := t.TempDir()
	s := startServe(t, dir, "--config", defaultConfigOnOwnPorts(t, dir))
	l := s.waitLine("actorlog serve: ")
	s.waitLine("ready")
	want := fmt.Sprintf(", pid %d", s.cmd.Process.Pid)
	if !strings.HasSuffix(l, want) {
		t.Errorf("first line %q, want it to end with %q", l, want)
	}
	s.signal(syscall.SIGTERM)
	if code := s.wait(); code != 0 {
		t.Fatalf("exit status %d; stderr:\n%s", code, s.errText())
	}
	if !strings.Contains(s.errText(), fmt.Sprintf("actorlog.serve: started pid=%d", s.cmd.Process.Pid)) {
		t.Errorf("stderr lacks the started record's pid attribute:\n%s", s.errText())
	}
}

// A format naming the caller gets it for send's records, with no option.
func TestSendCallerFields(t *testing.T) {
	dir, cfg := configIn(t, `version: 1
formatters:
  c: {format: "%(filename)s:%(lineno)d %(funcName)s %(message)s"}
handlers:
  f: {class: FileHandler, filename: out.log, formatter: c}
root: {level: INFO, handlers: [f]}
`)
	out, errOut, code := runBin(t, dir, "", "send", "--config", cfg, "hello")
	if code != exitOK {
		t.Fatalf("status %d, stdout %q, stderr %q", code, out, errOut)
	}
	got := readFile(t, dir+"/out.log")
	if strings.Contains(got, "(unknown") || !regexp.MustCompile(`^send\.go:\d+ \S+ hello\n$`).MatchString(got) {
		t.Errorf("out.log = %q", got)
	}
}

// send creates the directories of its files, as serve does.
func TestSendMakesDirectories(t *testing.T) {
	dir, cfg := configIn(t, `version: 1
handlers:
  f: {class: FileHandler, filename: logs/deep/out.log}
root: {level: INFO, handlers: [f]}
`)
	out, errOut, code := runBin(t, dir, "", "send", "--config", cfg, "hello")
	if code != exitOK || readFile(t, dir+"/logs/deep/out.log") != "hello\n" {
		t.Errorf("status %d, stdout %q, stderr %q", code, out, errOut)
	}
}
