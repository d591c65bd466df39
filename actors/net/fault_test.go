package net_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	stdnet "net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/actors"
	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/internal/testcerts"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
	"github.com/actorlog/actorlog/supervision"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// freePort returns a loopback port nothing listens on (for now).
func freePort(t *testing.T) int {
	ln := listen(t, "tcp", "127.0.0.1:0")
	p := port(t, ln.Addr().String())
	ln.Close()
	return p
}

func recv[T any](t *testing.T, what string, c <-chan T) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// Receiver down at start: the records wait in the mailbox through the
// back-off and all arrive once it is up (issue 10 item 8; checklist 71, 77,
// 79 with the mailbox instead of Python's silent drop).
func TestSocketReceiverDownAtStart(t *testing.T) {
	p := freePort(t)
	fake := clock.NewFake(t0)
	delays := fake.Scheduled(16)
	s := newSocket(t, anet.SocketOptions{Host: "127.0.0.1", Port: p})
	if st := s.NetStats(); st.Connects+st.ConnectFailures != 0 {
		t.Fatalf("construction touched the network: %+v", st)
	}
	r := newRig(t, s, actors.HandlerOptions{Clock: fake})
	for i := range 5 {
		r.log.Log(record.LevelInfo, "m"+strconv.Itoa(i))
	}
	if d := recv(t, "the first back-off", delays); d != time.Second {
		t.Fatalf("first back-off %v, want Python's 1s", d)
	}
	rc := serve(t, listen(t, "tcp", "127.0.0.1:"+strconv.Itoa(p)), nil)
	fake.Advance(time.Second)
	rc.waitRecords(5)
	r.flush()
	st := r.stats()
	if st.Written != 5 || st.DroppedTotal() != 0 || st.Restarts != 1 {
		t.Fatalf("handler stats %+v", st)
	}
	if ns := s.NetStats(); ns.ConnectFailures != 1 || ns.Connects != 1 {
		t.Fatalf("net stats %+v", ns)
	}
}

// killAndRestart runs the load of issue 10 item 8: n records through a
// Block mailbox while the receiver is killed (its connections reset) and
// started again on the same port; it returns every message received by
// both incarnations.
func killAndRestart(t *testing.T, ack bool, n int) (got []string, s *anet.Socket, r *rig) {
	ln := listen(t, "tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	rc := serve(t, ln, nil)
	s = newSocket(t, anet.SocketOptions{Host: "127.0.0.1", Port: port(t, addr), Ack: ack, AckWindow: 256 << 10})
	r = newRig(t, s, actors.HandlerOptions{
		Mailbox:     mailbox.Options{Overflow: mailbox.Block, BlockTimeout: time.Minute, Capacity: 1024},
		Supervision: supervision.Options{RetryStart: 5 * time.Millisecond, RetryMax: 20 * time.Millisecond},
	})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range n {
			r.log.Log(record.LevelInfo, "m"+strconv.Itoa(i))
		}
	}()
	rc.waitRecords(n / 4)
	rc.kill()
	got = append(got, rc.messages()...)
	rc2 := serve(t, listen(t, "tcp", addr), nil)
	<-done
	if err := r.shutdown(20 * time.Second); err != nil {
		t.Fatal(err)
	}
	if ack {
		rc2.waitRecords(1)
	} else {
		// The handler closed its connection after writing everything: let
		// the new receiver read it to the end before killing it, or what
		// still sat in its socket would be lost after a clean close, where
		// no loss is counted.
		rc2.waitDrained(int(s.NetStats().Connects) - 1)
	}
	rc2.kill()
	return append(got, rc2.messages()...), s, r
}

// With ack every record arrives after a receiver is killed under load; the
// duplicates are resends, counted.
func TestSocketKillRestartAck(t *testing.T) {
	const n = 20000
	got, s, r := killAndRestart(t, true, n)
	seen := map[string]bool{}
	for _, m := range got {
		seen[m] = true
	}
	for i := range n {
		if !seen["m"+strconv.Itoa(i)] {
			t.Fatalf("record %d lost (%d of %d arrived)", i, len(seen), n)
		}
	}
	st := s.NetStats()
	dupes := uint64(len(got) - n)
	if st.Unacknowledged != 0 || st.Reconnects == 0 || st.Resends < dupes || st.Acknowledged != n {
		t.Fatalf("net stats %+v, %d duplicates", st, dupes)
	}
	if hs := r.stats(); hs.Written != n {
		t.Fatalf("handler stats %+v", hs)
	}
	t.Logf("%d duplicates, %d resends, %d reconnects", dupes, st.Resends, st.Reconnects)
}

// Without ack the loss is within the counted bound (reliability N2).
func TestSocketKillRestartNoAck(t *testing.T) {
	const n = 20000
	got, s, r := killAndRestart(t, false, n)
	seen := map[string]bool{}
	for _, m := range got {
		seen[m] = true
	}
	if len(seen) != len(got) {
		t.Fatalf("duplicates without ack: %d of %d", len(got)-len(seen), len(got))
	}
	lost := uint64(n - len(seen))
	st := s.NetStats()
	if lost > st.PossiblyLost {
		t.Fatalf("%d lost, %d counted as possibly lost", lost, st.PossiblyLost)
	}
	if hs := r.stats(); hs.Written != n {
		t.Fatalf("handler stats %+v", hs)
	}
	t.Logf("%d lost, bound %d, %d reconnects", lost, st.PossiblyLost, st.Reconnects)
}

// acceptOne accepts one connection on ln, never to read it: a peer that
// stopped reading, or a half-open connection once the buffers are full.
func acceptOne(ln stdnet.Listener) <-chan stdnet.Conn {
	held := make(chan stdnet.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			held <- c
		}
	}()
	return held
}

// A peer that stops reading (a half-open connection once the buffers are
// full) fails the write at the write deadline, as a Retry.
func TestSocketHalfOpen(t *testing.T) {
	ln := listen(t, "tcp", "127.0.0.1:0")
	held := acceptOne(ln)
	defer ln.Close()
	s := newSocket(t, anet.SocketOptions{Host: "127.0.0.1", Port: port(t, ln.Addr().String()), WriteTimeout: 200 * time.Millisecond})
	defer s.Close()
	b := &actors.Batch{}
	msg := strings.Repeat("x", 512<<10)
	for range 128 {
		var err error
		rec := record.Record{Message: msg}
		b.Buf, err = s.AppendRecord(b.Buf, &rec)
		if err != nil {
			t.Fatal(err)
		}
		b.Ends = append(b.Ends, len(b.Buf))
	}
	start := time.Now()
	n, err := s.WriteBatch(b)
	if !actors.IsRetry(err) || !errors.Is(err, os.ErrDeadlineExceeded) || n >= b.Len() {
		t.Fatalf("WriteBatch = %d, %v", n, err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("the write deadline took %v", el)
	}
	c := recv(t, "the accepted connection", held)
	c.Close()
	if st := s.NetStats(); st.PossiblyLost < uint64(n) {
		t.Fatalf("%d frames written to a dead peer, %d counted", n, st.PossiblyLost)
	}
}

// A flapping receiver (accepts, then resets) never causes a reconnect
// storm: the restarts follow the back-off, 1 s doubling to 30 s, and each
// makes one connection (reliability N7; checklist 79).
func TestSocketFlapping(t *testing.T) {
	ln := listen(t, "tcp", "127.0.0.1:0")
	var mu sync.Mutex
	accepts := 0
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			accepts++
			mu.Unlock()
			c.(*stdnet.TCPConn).SetLinger(0)
			c.Close()
		}
	}()
	defer ln.Close()
	sup := clock.NewFake(t0)
	delays := sup.Scheduled(64)
	s := newSocket(t, anet.SocketOptions{Host: "127.0.0.1", Port: port(t, ln.Addr().String())})
	r := newRig(t, s, actors.HandlerOptions{Supervision: supervision.Options{Clock: sup}})
	var got []time.Duration
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30}
	i := 0
	for ; len(got) < len(want) && i < 10000; i++ {
		r.log.Log(record.LevelInfo, "m"+strconv.Itoa(i))
		select {
		case d := <-delays:
			got = append(got, d)
			sup.Advance(d)
		case <-time.After(5 * time.Millisecond):
		}
	}
	r.shutdown(100 * time.Millisecond) // the handler waits out a back-off on a clock that stands still
	for i := range want {
		want[i] *= time.Second
	}
	if len(got) != len(want) || !slices.Equal(got, want) {
		t.Fatalf("back-off delays %v, want %v", got, want)
	}
	mu.Lock()
	defer mu.Unlock()
	if st := s.NetStats(); accepts > len(got)+1 || st.Connects > uint64(len(got)+1) {
		t.Fatalf("%d connections for %d restarts: %+v", accepts, len(got), st)
	}
}

// Shutdown while the handler waits out its back-off returns at once, counts
// the records it could not send, and leaves no goroutine.
func TestSocketShutdownDuringBackoff(t *testing.T) {
	sup := clock.NewFake(t0)
	delays := sup.Scheduled(4)
	s := newSocket(t, anet.SocketOptions{Host: "127.0.0.1", Port: freePort(t), Ack: true})
	r := newRig(t, s, actors.HandlerOptions{Supervision: supervision.Options{Clock: sup}})
	for i := range 5 {
		r.log.Log(record.LevelInfo, "m"+strconv.Itoa(i))
	}
	recv(t, "the back-off", delays)
	start := time.Now()
	r.shutdown(500 * time.Millisecond)
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("Shutdown took %v", el)
	}
	st := r.stats()
	if st.Written != 0 || st.DroppedTotal() != 5 || st.InFlight != 0 {
		t.Fatalf("stats %+v", st)
	}
	goleak.VerifyNone(t)
}

// TLS: a verified server works; a server the CA does not vouch for fails
// the connect and nothing is sent in plain text; a server that wants a
// client certificate gets one when configured (reliability N9, X4).
func TestSocketTLS(t *testing.T) {
	dir := t.TempDir()
	certs := testcerts.Make(t, dir)
	otherDir := filepath.Join(dir, "other")
	if err := os.Mkdir(otherDir, 0o700); err != nil {
		t.Fatal(err)
	}
	otherFile := testcerts.Make(t, otherDir).CA // an authority that vouches for nobody here
	caFile, certFile, keyFile := certs.CA, certs.ClientCert, certs.ClientKey
	srvPair, pool := certs.ServerPair(t), certs.Pool(t)

	start := func(clientAuth tls.ClientAuthType) (*receiver, int) {
		conf := &tls.Config{Certificates: []tls.Certificate{srvPair}, ClientAuth: clientAuth, ClientCAs: pool}
		ln, err := tls.Listen("tcp", "127.0.0.1:0", conf)
		if err != nil {
			t.Fatal(err)
		}
		return serve(t, ln, nil), port(t, ln.Addr().String())
	}
	write := func(s *anet.Socket) error {
		b := &actors.Batch{}
		rec := record.Record{Message: "secret"}
		b.Buf, _ = s.AppendRecord(nil, &rec)
		b.Ends = []int{len(b.Buf)}
		_, err := s.WriteBatch(b)
		if err == nil {
			err = s.Close()
		}
		s.Close()
		return err
	}

	rc, p := start(tls.NoClientCert)
	s := newSocket(t, anet.SocketOptions{Host: "127.0.0.1", Port: p, TLS: true, Ack: true, TLSOptions: anet.TLSOptions{CAFile: caFile}})
	if err := write(s); err != nil {
		t.Fatal(err)
	}
	rc.waitRecords(1)

	rc, p = start(tls.NoClientCert)
	s = newSocket(t, anet.SocketOptions{Host: "127.0.0.1", Port: p, TLS: true, TLSOptions: anet.TLSOptions{CAFile: otherFile}})
	err := write(s)
	var uerr x509.UnknownAuthorityError
	if !actors.IsRetry(err) || !errors.As(err, &uerr) {
		t.Fatalf("wrong CA: %v", err)
	}
	if st := s.NetStats(); st.ConnectFailures != 1 || st.Connects != 0 {
		t.Fatalf("wrong CA: %+v", st)
	}

	rc2, p := start(tls.RequireAndVerifyClientCert)
	s = newSocket(t, anet.SocketOptions{Host: "127.0.0.1", Port: p, TLS: true, Ack: true, AckTimeout: 2 * time.Second, TLSOptions: anet.TLSOptions{CAFile: caFile}})
	// TLS 1.3 completes the client's handshake before the server checks
	// its certificate: the write or the wait for its ack fails.
	if err := write(s); err == nil {
		t.Fatal("no client certificate: no error")
	}
	if st := s.NetStats(); st.Acknowledged != 0 {
		t.Fatalf("no client certificate: %+v", st)
	}
	s = newSocket(t, anet.SocketOptions{Host: "127.0.0.1", Port: p, TLS: true, Ack: true, TLSOptions: anet.TLSOptions{CAFile: caFile, CertFile: certFile, KeyFile: keyFile}})
	if err := write(s); err != nil {
		t.Fatal(err)
	}
	rc2.waitRecords(1)
	if got := rc.messages(); len(got) != 0 {
		t.Fatalf("the refused connection delivered %q", got)
	}
}

// No ack within AckTimeout (on the handler's clock): the tick drops the
// connection, the next tick reconnects and resends from the first frame not
// acknowledged, and the receiver can tell the duplicate by its session.
func TestSocketAckTimeout(t *testing.T) {
	ln := listen(t, "tcp", "127.0.0.1:0")
	rc := serveWith(t, ln, nil, true)
	fake := clock.NewFake(t0)
	s := newSocket(t, anet.SocketOptions{Host: "127.0.0.1", Port: port(t, ln.Addr().String()), Ack: true, AckTimeout: 10 * time.Second, Clock: fake})
	if s.TickInterval() != 0 {
		t.Fatal("ticks with nothing outstanding")
	}
	b := &actors.Batch{}
	rec := record.Record{Message: "once"}
	b.Buf, _ = s.AppendRecord(nil, &rec)
	b.Ends = []int{len(b.Buf)}
	if n, err := s.WriteBatch(b); n != 1 || err != nil {
		t.Fatalf("WriteBatch = %d, %v", n, err)
	}
	if d := s.TickInterval(); d != 2500*time.Millisecond {
		t.Fatalf("TickInterval %v", d)
	}
	rc.waitRecords(1)
	fake.Advance(9 * time.Second)
	if err := s.Tick(fake.Now()); err != nil {
		t.Fatalf("tick before the timeout: %v", err)
	}
	fake.Advance(time.Second)
	if err := s.Tick(fake.Now()); !errors.Is(err, anet.ErrAckTimeout) {
		t.Fatalf("tick at the timeout: %v", err)
	}
	if err := s.Tick(fake.Now()); err != nil {
		t.Fatalf("reconnecting tick: %v", err)
	}
	rc.waitRecords(2)
	st := s.NetStats()
	if st.AckTimeouts != 1 || st.Resends != 1 || st.Reconnects != 1 || st.Unacknowledged != 1 {
		t.Fatalf("stats %+v", st)
	}
	rc.mu.Lock()
	hellos, dupes := rc.hellos, rc.dupes
	rc.mu.Unlock()
	if len(hellos) != 2 || hellos[1].Base != 0 || hellos[1].Session != hellos[0].Session || dupes != 1 {
		t.Fatalf("hellos %+v, %d duplicates", hellos, dupes)
	}
	rc.kill() // Close cannot get its ack: it gives up at once
	if err := s.Close(); err == nil || s.NetStats().Unacknowledged != 1 {
		t.Fatalf("Close = %v, %+v", err, s.NetStats())
	}
}
