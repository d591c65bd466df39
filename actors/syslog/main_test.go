package syslog

import (
	"context"
	"io"
	"net"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
	"github.com/actorlog/actorlog/supervision"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// batchFor encodes records with s, as the handler actor does for an
// Encoder.
func batchFor(t testing.TB, s *Syslog, recs ...record.Record) *actors.Batch {
	t.Helper()
	b := &actors.Batch{}
	for i := range recs {
		var err error
		b.Buf, err = s.AppendRecord(b.Buf, &recs[i])
		if err != nil {
			t.Fatal(err)
		}
		b.Ends = append(b.Ends, len(b.Buf))
		b.Records = append(b.Records, &recs[i])
	}
	return b
}

// mustWrite writes recs through s and fails unless all were written.
func mustWrite(t testing.TB, s *Syslog, recs ...record.Record) {
	t.Helper()
	b := batchFor(t, s, recs...)
	n, err := s.WriteBatch(b)
	if err != nil || n != b.Len() || len(b.Failures()) != 0 {
		t.Fatalf("WriteBatch = %d, %v (failures %v); want %d, nil", n, err, b.Failures(), b.Len())
	}
}

// readConn accepts one connection on ln and sends everything read from it,
// until the peer closes it (or 10 s pass), on the returned channel.
func readConn(ln net.Listener) <-chan []byte {
	got := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer c.Close()
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		b, _ := io.ReadAll(c)
		got <- b
	}()
	return got
}

// runHandler runs s as the handler "syslog" of a new engine, under a Block
// mailbox and a back-off of retryStart (at most 5 times that), and returns
// the engine and a logger named name that logs to it alone at every level.
// The engine is shut down at the end of the test.
func runHandler(t *testing.T, s *Syslog, name string, retryStart time.Duration) (*engine.Engine, *engine.Logger) {
	t.Helper()
	e := engine.New(engine.Options{ErrorOutput: io.Discard})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = e.Shutdown(ctx)
	})
	h, err := e.NewHandler("syslog", s, actors.HandlerOptions{
		Mailbox:     mailbox.Options{Overflow: mailbox.Block, BlockTimeout: time.Minute},
		Supervision: supervision.Options{RetryStart: retryStart, RetryMax: 5 * retryStart},
	})
	if err != nil {
		t.Fatal(err)
	}
	l := e.Logger(name)
	l.AddHandler(h)
	l.SetPropagate(false)
	l.SetLevel(record.LevelDebug)
	return e, l
}

// awaitRestart calls each (which may log) until the handler "syslog" of e
// has been restarted at least once, within 20 s.
func awaitRestart(t *testing.T, e *engine.Engine, each func()) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		each()
		st, _ := e.Stats().ForHandler("syslog")
		if st.Restarts > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the handler never restarted: %+v", st)
		}
		time.Sleep(5 * time.Millisecond) // polling the handler's stats
	}
}

// silentPeer returns the address of a TCP listener on loopback, and a
// function that waits for its one connection: a peer that never reads.
// Both are closed at the end of the test.
func silentPeer(t *testing.T) (Address, func() net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c
		}
	}()
	a, _ := ParseAddress(ln.Addr().String())
	return a, func() net.Conn {
		c := <-accepted
		t.Cleanup(func() { c.Close() })
		return c
	}
}
