package syslog

import (
	"io"
	"net"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/record"
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
