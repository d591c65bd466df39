package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// summary is send's last line of stdout, parsed.
type summary struct{ sent, written, dropped, unfinished int }

var summaryLine = regexp.MustCompile(`^sent (\d+), written (\d+)(?: \([^)]*\))?, dropped (\d+)(?: \([^)]*\))?(?:, unfinished (\d+)(?: \([^)]*\))?)?$`)

// parseSummary finds the summary line in send's stdout.
func parseSummary(t *testing.T, out string) summary {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	m := summaryLine.FindStringSubmatch(lines[len(lines)-1])
	if m == nil {
		t.Fatalf("no summary line in stdout %q", out)
	}
	n := func(s string) int { i, _ := strconv.Atoi(s); return i }
	return summary{n(m[1]), n(m[2]), n(m[3]), n(m[4])}
}

func TestSendCountZeroSendsNothing(t *testing.T) {
	dir, cfg := configIn(t, `version: 1
handlers:
  f: {class: FileHandler, filename: out.log}
root: {level: INFO, handlers: [f]}
`)
	out, errOut, code := runBin(t, dir, "", "send", "--config", cfg, "--count", "0", "hello")
	if code != exitOK || out != "sent 0, written 0, dropped 0\n" || !strings.Contains(errOut, "--count 0") {
		t.Errorf("status %d, stdout %q, stderr %q", code, out, errOut)
	}
	if got := readFile(t, filepath.Join(dir, "out.log")); got != "" {
		t.Errorf("out.log holds %q", got)
	}
}

// written counts records, not writes summed over handlers: with two
// handlers it is given per handler.
func TestSendWrittenPerHandler(t *testing.T) {
	dir, cfg := configIn(t, `version: 1
handlers:
  a: {class: FileHandler, filename: a.log}
  b: {class: FileHandler, filename: b.log}
  warnings: {class: FileHandler, filename: w.log, level: WARNING}
root: {level: INFO, handlers: [a, b, warnings]}
`)
	out, errOut, code := runBin(t, dir, "", "send", "--config", cfg, "--count", "6")
	if code != exitOK || out != "sent 6, written 6 (a 6, b 6), dropped 0\n" {
		t.Errorf("status %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// The level hint is given only when the level really kept the records
// from every handler.
func TestSendLevelHint(t *testing.T) {
	dir, cfg := configIn(t, `version: 1
handlers:
  f: {class: FileHandler, filename: out.log, level: ERROR}
root: {level: INFO, handlers: [f]}
`)
	out, errOut, code := runBin(t, dir, "", "send", "--config", cfg, "--level", "WARNING", "hello")
	if code != exitOK || out != "sent 1, written 0, dropped 0\n" || !strings.Contains(errOut, "WARNING is below the level") {
		t.Errorf("WARNING: status %d, stdout %q, stderr %q", code, out, errOut)
	}
	out, errOut, code = runBin(t, dir, "", "send", "--config", cfg, "--level", "ERROR", "hello")
	if code != exitOK || out != "sent 1, written 1, dropped 0\n" || errOut != "" {
		t.Errorf("ERROR: status %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// On SIGTERM or SIGINT send stops reading, drains what it queued, prints
// its summary (written matching what the handler wrote) and exits 1.
func TestSendStopsOnSignalWithSummary(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			cfg := filepath.Join(dir, "send.yaml")
			writeFile(t, cfg, `version: 1
formatters:
  bare: {format: "record %(message)s"}
handlers:
  out: {class: StreamHandler, stream: stdout, formatter: bare}
root: {level: INFO, handlers: [out]}
`)
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "send", "--config", cfg)
			cmd.Dir = dir
			errb := newSyncBuffer()
			cmd.Stderr = errb
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// The feeder writes until send stops reading and the pipe is
			// closed under it; stdin stays open, so only the signal ends send.
			fed := make(chan struct{})
			go func() {
				defer close(fed)
				w := bufio.NewWriter(stdin)
				for i := 1; ; i++ {
					if _, err := fmt.Fprintf(w, "line %d\n", i); err != nil {
						return
					}
					if i%1000 == 0 && w.Flush() != nil {
						return
					}
				}
			}()
			sc := bufio.NewScanner(stdout)
			records, signalled := 0, false
			var last string
			for sc.Scan() {
				last = sc.Text()
				if strings.HasPrefix(last, "record ") {
					records++
					if !signalled {
						signalled = true
						if err := cmd.Process.Signal(sig); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
			err = cmd.Wait()
			_ = stdin.Close()
			<-fed
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitFail {
				t.Fatalf("exit %v, want status %d; last line %q; stderr:\n%s", err, exitFail, last, errb.String())
			}
			sum := parseSummary(t, last)
			if sum.written != records || sum.sent != sum.written+sum.dropped+sum.unfinished || sum.sent == 0 {
				t.Errorf("summary %+v, %d records on stdout; stderr:\n%s", sum, records, errb.String())
			}
			t.Logf("%s: %q, %d records on stdout", sig, last, records)
		})
	}
}
