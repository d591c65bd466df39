//go:build unix

package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCollectorKilledUnderLoad: the collector is killed with SIGKILL while
// send ships records with ack, and started again on the same port: every
// record arrives (the file holds each seq at least once), and every
// duplicate written is among the resends send counted. (A collector that
// was killed forgets the sessions it saw: its successor cannot tell a
// resent frame, so here only the sender counts; a receiver counts the
// duplicates of senders that reconnect to the same process.)
func TestCollectorKilledUnderLoad(t *testing.T) {
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	cfg := filepath.Join(dir, "serve.yaml")
	writeFile(t, cfg, fmt.Sprintf(`version: 1
formatters:
  plain: {format: "%%(message)s %%(seq)s"}
handlers:
  file: {class: FileHandler, filename: logs/all.log, formatter: plain}
root: {level: INFO, handlers: [file]}
receivers:
  - {type: tcp, listen: %q}
`, addr))
	logPath := filepath.Join(dir, "logs", "all.log")

	first := startServe(t, dir, "--config", cfg)
	first.waitLine("ready")

	const n = 300000
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	sender := exec.CommandContext(ctx, bin, "send", "--to", addr, "--count", strconv.Itoa(n), "--timeout", "60s")
	out, errb := newSyncBuffer(), newSyncBuffer()
	sender.Stdout, sender.Stderr = out, errb
	if err := sender.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill the collector once records are arriving.
	waitUntil(t, "records written", func() bool {
		st, err := os.Stat(logPath)
		return err == nil && st.Size() > 100000
	})
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.wait()
	second := startServe(t, dir, "--config", cfg)
	second.waitLine("ready")

	err = sender.Wait()
	if err != nil {
		t.Fatalf("send: %v\nstdout %s\nstderr %s", err, out.String(), errb.String())
	}
	m := regexp.MustCompile(`acknowledged (\d+) by`).FindStringSubmatch(out.String())
	if m == nil || m[1] != strconv.Itoa(n) {
		t.Fatalf("send output %q", out.String())
	}
	resent := 0
	if m := regexp.MustCompile(`resent (\d+)`).FindStringSubmatch(out.String()); m != nil {
		resent, _ = strconv.Atoi(m[1])
	}
	second.signal(syscall.SIGTERM)
	if code := second.wait(); code != 0 {
		t.Fatalf("second serve: status %d\n%s", code, second.errText())
	}
	seen := make([]int, n+1)
	lines := strings.Split(strings.TrimSuffix(readFile(t, logPath), "\n"), "\n")
	for _, l := range lines {
		if !strings.HasPrefix(l, "test record ") {
			continue // serve's own records
		}
		i, err := strconv.Atoi(strings.TrimPrefix(l, "test record "))
		if err != nil || i < 1 || i > n {
			t.Fatalf("line %q", l)
		}
		seen[i]++
	}
	dups := 0
	for i := 1; i <= n; i++ {
		if seen[i] == 0 {
			t.Fatalf("record %d lost", i)
		}
		dups += seen[i] - 1
	}
	t.Logf("%d records, %d lines, %d duplicates, %d resent", n, len(lines), dups, resent)
	if dups > resent {
		t.Errorf("%d duplicates written, but send counted only %d resends", dups, resent)
	}
}

// waitUntil polls cond, bounded in time: "did it happen", not a clock.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testTimeout / 2)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
