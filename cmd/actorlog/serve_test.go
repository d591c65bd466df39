package main

import (
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// exitTimeout bounds how long serve may take to exit after SIGTERM in the
// tests below; a serve that has not exited by then is killed and the test
// fails.
const exitTimeout = 15 * time.Second

// A burst of SIGHUPs must neither fill the signal channel ahead of SIGTERM
// nor queue one reopen per HUP: serve coalesces the reopens and always sees
// SIGTERM.
func TestServeStopsOnSIGTERMAfterSIGHUPBurst(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "serve.yaml")
	var hs, names []string
	for i := 0; i < 32; i++ { // enough handlers that a reopen takes longer than a HUP's gap
		n := "h" + strconv.Itoa(i)
		hs = append(hs, "  "+n+": {class: FileHandler, filename: logs/"+n+".log}")
		names = append(names, n)
	}
	writeFile(t, cfg, "version: 1\nhandlers:\n"+strings.Join(hs, "\n")+"\nroot: {level: INFO, handlers: ["+strings.Join(names, ", ")+"]}\n")
	const trials, hups = 10, 300
	hung := 0
	for trial := 0; trial < trials; trial++ {
		s := startServe(t, dir, "--config", cfg)
		s.waitLine("ready")
		for i := 0; i < hups; i++ {
			s.signal(syscall.SIGHUP)
			time.Sleep(50 * time.Microsecond) // the pace of the burst, not a wait for serve
		}
		s.signal(syscall.SIGTERM)
		code, ok := s.waitWithin(exitTimeout)
		switch {
		case !ok:
			hung++
		case code != 0:
			t.Errorf("trial %d: exit status %d; stderr:\n%s", trial, code, s.errText())
		}
	}
	if hung > 0 {
		t.Errorf("%d of %d trials still running %v after SIGTERM (%d SIGHUPs before it)", hung, trials, exitTimeout, hups)
	}
}

// serve must not truncate a mode: w file when it then fails to bind
// --stats-addr: listeners are bound before any handler opens its file.
func TestServeBusyStatsAddrLeavesFilesAlone(t *testing.T) {
	dir := t.TempDir()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cfg := filepath.Join(dir, "serve.yaml")
	writeFile(t, cfg, `version: 1
handlers:
  f: {class: FileHandler, filename: keep.log, mode: w}
root: {level: INFO, handlers: [f]}
`)
	logPath := filepath.Join(dir, "keep.log")
	writeFile(t, logPath, "yesterday's records\n")
	out, errOut, code := runBin(t, dir, "", "serve", "--config", cfg, "--stats-addr", busy.Addr().String())
	if code != exitFail || !strings.Contains(errOut, "stats") {
		t.Errorf("status %d, stdout %q, stderr %q", code, out, errOut)
	}
	if got := readFile(t, logPath); got != "yesterday's records\n" {
		t.Errorf("keep.log holds %q after serve failed to bind", got)
	}
}
