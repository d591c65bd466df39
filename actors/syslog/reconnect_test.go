package syslog

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/record"
)

func rec(msg string) record.Record {
	return record.Record{Level: record.LevelError, Message: msg}
}

// Issue item 3 (checklist 100, done better): a TCP stream whose peer went
// away returns its unwritten records with actors.Retry; after the restart
// (Reset) the next WriteBatch connects again and sends them.
func TestTCPReconnectsAndResendsTheRest(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	a, _ := ParseAddress(ln.Addr().String())
	s, err := New(Options{Address: a, Socktype: "stream", Framing: FramingOctetCounting})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	first, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	first.Close() // the peer goes away
	var unwritten []record.Record
	for i := 0; i < 1000 && unwritten == nil; i++ {
		recs := []record.Record{rec("a" + strconv.Itoa(i)), rec("b" + strconv.Itoa(i))}
		n, err := s.WriteBatch(batchFor(t, s, recs...))
		if err != nil {
			if !actors.IsRetry(err) {
				t.Fatalf("error %v is not a Retry", err)
			}
			unwritten = recs[n:]
		}
	}
	if unwritten == nil {
		t.Fatal("writing to a closed peer never failed")
	}
	got := readConn(ln)
	if err := s.Reset(); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, s, unwritten...)
	s.Close()
	var want []byte
	for _, r := range unwritten {
		want = appendFrame(want, []byte("<11>"+r.Message), FramingOctetCounting)
	}
	if b := <-got; !bytes.Equal(b, want) {
		t.Fatalf("after reconnecting got %q, want %q", b, want)
	}
}

// Issue item 3: a Unix socket that goes away (journald restarting) is
// survived through the handler's back-off, for a datagram and a stream
// socket: the records logged while it was gone arrive once it is back.
func TestUnixSocketGoingAwayIsSurvived(t *testing.T) {
	for _, network := range []string{"unixgram", "unix"} {
		t.Run(network, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "log")
			srv := newUnixServer(t, network, path)
			s, err := New(Options{Address: Address{Path: path}})
			if err != nil {
				t.Fatal(err)
			}
			e, l := runHandler(t, s, "u", 5*time.Millisecond)
			l.Log(record.LevelError, "before")
			srv.expect(t, "<11>before\x00")
			srv.close()
			if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			l.Log(record.LevelError, "while gone")
			// The handler fails and backs off until the socket is back.
			awaitRestart(t, e, func() {})
			srv = newUnixServer(t, network, path)
			defer srv.close()
			srv.expect(t, "<11>while gone\x00")
			l.Log(record.LevelError, "after")
			srv.expect(t, "<11>after\x00")
		})
	}
}

// unixServer reads a Unix datagram or stream socket.
type unixServer struct {
	pc   net.PacketConn
	ln   net.Listener
	data chan []byte
	done chan struct{}
	conn chan net.Conn // the stream server's connection, once accepted
}

func newUnixServer(t *testing.T, network, path string) *unixServer {
	t.Helper()
	u := &unixServer{data: make(chan []byte, 100), done: make(chan struct{}), conn: make(chan net.Conn, 1)}
	var err error
	if network == "unixgram" {
		u.pc, err = net.ListenPacket(network, path)
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			defer close(u.done)
			buf := make([]byte, 65536)
			for {
				n, _, err := u.pc.ReadFrom(buf)
				if err != nil {
					return
				}
				u.data <- bytes.Clone(buf[:n])
			}
		}()
		return u
	}
	u.ln, err = net.Listen(network, path)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(u.done)
		c, err := u.ln.Accept()
		if err != nil {
			return
		}
		u.conn <- c
		buf := make([]byte, 65536)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			u.data <- bytes.Clone(buf[:n])
		}
	}()
	return u
}

func (u *unixServer) close() {
	if u.pc != nil {
		u.pc.Close()
	} else {
		u.ln.Close()
		select {
		case c := <-u.conn:
			c.Close()
		default:
		}
	}
	<-u.done
}

// expect waits (bounded) for the bytes of want, in one or more reads.
func (u *unixServer) expect(t *testing.T, want string) {
	t.Helper()
	var got []byte
	timeout := time.After(10 * time.Second)
	for len(got) < len(want) {
		select {
		case b := <-u.data:
			got = append(got, b...)
		case <-timeout:
			t.Fatalf("got %q, waiting for %q", got, want)
		}
	}
	if string(got) != want && !strings.HasPrefix(string(got), want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// Issue item 3 (Deadliner, Interrupter): a drain whose deadline passes
// while a write blocks on a peer that never reads returns at its deadline;
// what it cut off is counted as dropped (shutdown).
func TestDrainDeadlineCutsABlockedWrite(t *testing.T) {
	a, accept := silentPeer(t)
	s, err := New(Options{Address: a, Socktype: "stream", Framing: FramingOctetCounting})
	if err != nil {
		t.Fatal(err)
	}
	accept() // the peer never reads
	e, l := runHandler(t, s, "d", time.Second)
	big := strings.Repeat("x", 256<<10)
	for range 128 { // 32 MiB: more than the socket buffers hold
		l.Log(record.LevelError, big)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_ = e.Shutdown(ctx)
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Shutdown took %v past a 300ms deadline", d)
	}
	st, _ := e.Stats().ForHandler("syslog")
	if st.Dropped["shutdown"] == 0 || st.Written+st.DroppedTotal() != st.Accepted {
		t.Fatalf("stats after a cut drain: %+v", st)
	}
}

// Checklist 101 (3.14's timeout): Timeout bounds a write to a peer that
// stops reading; the records not written are returned for a retry.
func TestTimeoutBoundsAWrite(t *testing.T) {
	a, accept := silentPeer(t)
	s, err := New(Options{Address: a, Socktype: "stream", Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	accept() // the peer never reads
	big := strings.Repeat("x", 1<<20)
	for i := 0; i < 256; i++ { // at most 256 MiB: far more than the socket buffers hold
		n, err := s.WriteBatch(batchFor(t, s, rec(big), rec(big)))
		if err != nil {
			if !actors.IsRetry(err) || n > 2 {
				t.Fatalf("WriteBatch = %d, %v; want a Retry", n, err)
			}
			return
		}
	}
	t.Fatal("writes to a peer that never reads never timed out")
}
