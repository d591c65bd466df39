//go:build unix

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// pipeConfig has one handler, pipe, writing to the file fifo.log.
const pipeConfig = `version: 1
handlers:
  pipe: {class: FileHandler, filename: fifo.log}
root: {level: INFO, handlers: [pipe]}
`

// mkfifo makes a FIFO in dir and returns its path.
func mkfifo(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// openReader opens the read end of a FIFO without waiting for a writer; the
// test never reads from it.
func openReader(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// A FileHandler whose file is a FIFO with no reader blocks in open(2) (as
// Python's does); serve must still stop on SIGTERM, saying what was still
// starting. (If opening a FIFO fails at once instead, serve fails naming
// the handler: either way it exits non-zero, promptly.)
func TestServeStopsOnSIGTERMWhileStartupBlocks(t *testing.T) {
	dir, cfg := configIn(t, pipeConfig)
	mkfifo(t, dir, "fifo.log")
	s := startServe(t, dir, "--config", cfg)
	s.waitLine("starting handlers")
	s.signal(syscall.SIGTERM)
	code, ok := s.waitWithin(exitTimeout)
	if !ok {
		t.Fatalf("serve still running %v after SIGTERM while opening a FIFO; stderr:\n%s", exitTimeout, s.errText())
	}
	if code == 0 || !strings.Contains(s.errText(), "pipe") {
		t.Errorf("exit status %d; stderr:\n%s", code, s.errText())
	}
}

// A --config that is a FIFO with no writer blocks serve in open(2) while
// reading its config; SIGTERM must still stop it. (A config reader that
// refuses such a file at once makes serve fail naming it: either way serve
// exits non-zero, promptly.)
func TestServeStopsOnSIGTERMWhileReadingAFIFOConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := mkfifo(t, dir, "config.yaml")
	s := startServe(t, dir, "--config", cfg)
	s.waitLine("actorlog serve: ")
	s.signal(syscall.SIGTERM)
	code, ok := s.waitWithin(exitTimeout)
	if !ok {
		t.Fatalf("serve still running %v after SIGTERM while reading a FIFO config; stderr:\n%s", exitTimeout, s.errText())
	}
	if code == 0 || !strings.Contains(s.errText(), cfg) {
		t.Errorf("exit status %d; stderr:\n%s", code, s.errText())
	}
}

// A FIFO whose reader went away leaves a reopen blocked in open(2); SIGTERM
// must still stop serve, within its --timeout, or at once on a second
// SIGTERM.
func TestServeStopsOnSIGTERMWhileReopenBlocks(t *testing.T) {
	for _, c := range []struct {
		timeout string
		sigterm int
	}{{"1s", 1}, {"10m", 2}} {
		t.Run(fmt.Sprintf("timeout=%s,SIGTERMx%d", c.timeout, c.sigterm), func(t *testing.T) {
			dir, cfg := configIn(t, pipeConfig)
			r := openReader(t, mkfifo(t, dir, "fifo.log"))
			defer r.Close()
			s := startServe(t, dir, "--config", cfg, "--timeout", c.timeout)
			s.waitLine("ready")
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			s.signal(syscall.SIGHUP)
			s.waitLine("reopening files")
			s.signal(syscall.SIGTERM)
			start := time.Now()
			if c.sigterm == 2 {
				s.waitLine("stopping on terminated")
				s.signal(syscall.SIGTERM)
			}
			code, ok := s.waitWithin(exitTimeout)
			if !ok {
				t.Fatalf("serve still running %v after SIGTERM during a blocked reopen; stderr:\n%s", exitTimeout, s.errText())
			}
			if code != exitOK && code != exitFail {
				t.Errorf("exit status %d; stderr:\n%s", code, s.errText())
			}
			t.Logf("exited %v after the first SIGTERM, status %d", time.Since(start).Round(time.Millisecond), code)
		})
	}
}

// With a sink stuck (a FIFO whose reader never reads), send gives its
// summary within --timeout, counts what was not written, and does not
// blame the level.
func TestSendSummaryWithinTimeoutWhenSinkIsStuck(t *testing.T) {
	dir, cfg := configIn(t, pipeConfig)
	r := openReader(t, mkfifo(t, dir, "fifo.log"))
	defer r.Close()
	const n = 200 // 200 KiB: more than a pipe holds
	start := time.Now()
	out, errOut, code := runBin(t, dir, "", "send", "--config", cfg, "--timeout", "1s", "--count", "200", strings.Repeat("x", 1024))
	took := time.Since(start)
	if took > exitTimeout {
		t.Errorf("send took %v with --timeout 1s", took)
	}
	sum := parseSummary(t, out)
	if code != exitFail || sum.sent != n || sum.written+sum.dropped+sum.unfinished != n || sum.written == n {
		t.Errorf("status %d, summary %+v, stdout %q, stderr %q", code, sum, out, errOut)
	}
	if strings.Contains(errOut, "level") {
		t.Errorf("level hint with a stuck sink: %q", errOut)
	}
	t.Logf("took %v: %s", took.Round(time.Millisecond), strings.TrimSpace(out))
}
