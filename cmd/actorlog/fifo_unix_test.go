//go:build unix

package main

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/actorlog/actorlog/internal/testfs"
)

// pipeConfig has one handler, pipe, writing to the file fifo.log.
const pipeConfig = `version: 1
handlers:
  pipe: {class: FileHandler, filename: fifo.log}
root: {level: INFO, handlers: [pipe]}
`

// serve must stop on SIGTERM while a step of its start blocks in open(2):
// reading a --config that is a FIFO with no writer, or opening a
// FileHandler's file that is a FIFO with no reader (as Python's does). It
// exits non-zero, naming what was starting. (If such an open fails at once
// instead, serve fails naming the file or the handler: either way it exits
// non-zero, promptly.)
func TestServeStopsOnSIGTERMWhileStartBlocks(t *testing.T) {
	for _, c := range []struct {
		step     string
		setup    func(t *testing.T) (dir, cfg, named string)
		waitLine string
	}{
		{"reading the config", func(t *testing.T) (string, string, string) {
			dir := t.TempDir()
			cfg := testfs.FIFO(t, dir, "config.yaml")
			return dir, cfg, cfg
		}, "actorlog serve: "},
		{"opening a handler", func(t *testing.T) (string, string, string) {
			dir, cfg := configIn(t, pipeConfig)
			testfs.FIFO(t, dir, "fifo.log")
			return dir, cfg, "pipe"
		}, "starting handlers"},
	} {
		t.Run(c.step, func(t *testing.T) {
			dir, cfg, named := c.setup(t)
			s := startServe(t, dir, "--config", cfg)
			s.waitLine(c.waitLine)
			s.signal(syscall.SIGTERM)
			code, ok := s.waitWithin(exitTimeout)
			if !ok {
				t.Fatalf("serve still running %v after SIGTERM while %s; stderr:\n%s", exitTimeout, c.step, s.errText())
			}
			if code == 0 || !strings.Contains(s.errText(), named) {
				t.Errorf("exit status %d, want non-zero and %q on stderr:\n%s", code, named, s.errText())
			}
		})
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
			r := testfs.OpenFIFOReader(t, testfs.FIFO(t, dir, "fifo.log"))
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
	r := testfs.OpenFIFOReader(t, testfs.FIFO(t, dir, "fifo.log"))
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
