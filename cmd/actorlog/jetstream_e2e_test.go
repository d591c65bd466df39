package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/actorlog/actorlog/internal/natstest"
)

// TestServeJetStreamCollectorKilled: issue 13, items 2 and 3(b), with real
// processes. Two `serve` collectors share a 3-node cluster's R3 stream;
// `send` logs 50,000 records through a JetStreamHandler; one collector is
// killed with SIGKILL while they flow. Every record is in one of the two
// files; a record in both is a redelivery of what the killed collector had
// written and not acknowledged, counted.
func TestServeJetStreamCollectorKilled(t *testing.T) {
	cl := natstest.Start(t, 3)
	servers := "[" + strings.Join(cl.URLs(), ", ") + "]"
	collector := fmt.Sprintf(`version: 1
formatters:
  seq: {format: "%%(name)s %%(seq)s"}
handlers:
  file: {class: FileHandler, filename: collector.log, formatter: seq}
loggers:
  app: {level: DEBUG, handlers: [file]}
receivers:
  - {type: jetstream, servers: %s, stream: LOGS, createStream: true, replicas: 3, ackWait: 2s, fetch: 4}
`, servers)
	producer := fmt.Sprintf(`version: 1
handlers:
  nats:
    class: JetStreamHandler
    servers: %s
    stream: LOGS
    createStream: true
    replicas: 3
    batchRecords: 256
    mailbox: {overflow: block, blockTimeout: 1m}
loggers:
  app: {level: DEBUG, handlers: [nats]}
`, servers)
	dirA, cfgA := configIn(t, collector)
	dirB, cfgB := configIn(t, collector)
	dirP, cfgP := configIn(t, producer)
	a := startServe(t, dirA, "--config", cfgA)
	b := startServe(t, dirB, "--config", cfgB)
	a.waitLine("ready")
	b.waitLine("ready")

	// Warm up until B has written (it may join the pulls late on a busy
	// machine), so that the kill below lands while it works.
	warm := func() {
		if _, errs, code := runBin(t, dirP, "", "send", "--config", cfgP, "--logger", "app.warm", "--count", "1000"); code != 0 {
			t.Fatalf("warm-up send: %d %s", code, errs)
		}
	}
	sizeB := func() int64 {
		fi, err := os.Stat(filepath.Join(dirB, "collector.log"))
		if err != nil {
			return 0
		}
		return fi.Size()
	}
	deadline := time.Now().Add(60 * time.Second)
	for warm(); sizeB() == 0; warm() {
		if time.Now().After(deadline) {
			t.Fatal("collector B wrote nothing within 60 s")
		}
	}

	const n = 50_000
	type result struct {
		out, errs string
		code      int
	}
	sent := make(chan result, 1)
	go func() {
		out, errs, code := runBin(t, dirP, "", "send", "--config", cfgP, "--logger", "app", "--count", strconv.Itoa(n))
		sent <- result{out, errs, code}
	}()
	// Kill B once it writes records of this send (or when the send ended).
	before := sizeB()
	var r result
	ended := false
	for sizeB() == before && !ended {
		select {
		case r = <-sent:
			ended = true
		case <-time.After(5 * time.Millisecond): // polling a file; the send bounds it
		}
	}
	t0 := time.Now()
	t.Logf("collector B killed while the send ran: %v", !ended)
	b.signal(syscall.SIGKILL)
	b.wait()
	if !ended {
		r = <-sent
	}
	if r.code != 0 || !strings.Contains(r.out, fmt.Sprintf("sent %d, written %d, dropped 0", n, n)) {
		t.Fatalf("send: status %d\n%s%s", r.code, r.out, r.errs)
	}

	// The stream hands what B held to A after ackWait (bounded wait).
	var seqA, seqB map[int]int
	deadline = time.Now().Add(60 * time.Second)
	for {
		seqA, seqB = seqsIn(t, filepath.Join(dirA, "collector.log")), seqsIn(t, filepath.Join(dirB, "collector.log"))
		missing := 0
		for i := 1; i <= n; i++ {
			if seqA[i] == 0 && seqB[i] == 0 {
				missing++
			}
		}
		if missing == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d records in neither file (A %d, B %d)", missing, n, len(seqA), len(seqB))
		}
		time.Sleep(50 * time.Millisecond) // polling files; bounded above
	}
	t.Logf("send ended and every record was in a file %v after the kill", time.Since(t0).Round(time.Millisecond))
	a.signal(syscall.SIGTERM)
	if code := a.wait(); code != 0 {
		t.Errorf("serve A: status %d\n%s", code, a.errText())
	}
	both, twiceA := 0, 0
	for s, k := range seqA {
		if seqB[s] > 0 {
			both++
		}
		if k > 1 {
			twiceA++
		}
	}
	t.Logf("collector A wrote %d records, B (killed) %d; in both files (redelivered after the kill): %d; twice in A: %d",
		len(seqA), len(seqB), both, twiceA)
	if len(seqB) == n {
		t.Errorf("collector B wrote everything: the load was not shared")
	}
}

// seqsIn counts the seq of each line of a collector's file (a torn last
// line, being written, is left out).
func seqsIn(t *testing.T, path string) map[int]int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	out := map[int]int{}
	text := string(b)
	if i := strings.LastIndexByte(text, '\n'); i >= 0 {
		text = text[:i]
	} else {
		return out
	}
	for l := range strings.SplitSeq(text, "\n") {
		if seq, ok := strings.CutPrefix(l, "app "); ok { // not app.warm's
			if s, err := strconv.Atoi(seq); err == nil {
				out[s]++
			}
		}
	}
	return out
}
