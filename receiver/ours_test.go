package receiver

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/record"
)

// ship logs n records with an attribute i through sink in an engine of its
// own, and drains it.
func ship(t *testing.T, sink actors.Sink, n int) {
	t.Helper()
	eng := engine.New(engine.Options{ErrorOutput: io.Discard})
	h, err := eng.NewHandler("out", sink, actors.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l := eng.Logger("ours.app")
	l.SetLevel(record.LevelInfo)
	l.AddHandler(h)
	for i := range n {
		l.Log(record.LevelWarning, "record "+strconv.Itoa(i)+" ☃", slog.Int("i", i), slog.String("user", "zoë"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := eng.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

func checkOurs(t *testing.T, got []map[string]any, n int) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("%d records, want %d", len(got), n)
	}
	for i, m := range got {
		if m["logger"] != "ours.app" || m["level"] != "WARNING" || m["msg"] != "record "+strconv.Itoa(i)+" ☃" ||
			m["user"] != "zoë" || m["i"] != float64(i) {
			t.Errorf("record %d: %v", i, m)
		}
	}
}

// TestOurHandlers: our Socket (with and without ack, TCP and Unix),
// Datagram and HTTP (form and JSON batch) handlers to our receivers.
func TestOurHandlers(t *testing.T) {
	const n = 50
	port := func(r *Receiver) int {
		p, _ := strconv.Atoi(r.Addr()[len("127.0.0.1:"):])
		return p
	}
	t.Run("socket", func(t *testing.T) {
		for _, ack := range []bool{false, true} {
			col := newCollector(t)
			rcv := col.listen(t, Options{Type: TCP, Key: "k"})
			s, err := anet.NewSocket(anet.SocketOptions{Host: "127.0.0.1", Port: port(rcv), Ack: ack, Key: "k"})
			if err != nil {
				t.Fatal(err)
			}
			ship(t, s, n)
			checkOurs(t, col.waitRecords(t, n), n)
			if ack {
				if ns := s.NetStats(); ns.Acknowledged != n {
					t.Errorf("acknowledged %d", ns.Acknowledged)
				}
			}
		}
	})
	t.Run("unix", func(t *testing.T) {
		col := newCollector(t)
		rcv := col.listen(t, Options{Type: Unix, Listen: filepath.Join(t.TempDir(), "s")})
		s, err := anet.NewSocket(anet.SocketOptions{Host: rcv.Addr(), Ack: true})
		if err != nil {
			t.Fatal(err)
		}
		ship(t, s, n)
		checkOurs(t, col.waitRecords(t, n), n)
	})
	t.Run("datagram", func(t *testing.T) {
		col := newCollector(t)
		rcv := col.listen(t, Options{Type: UDP})
		s, err := anet.NewDatagram(anet.DatagramOptions{Host: "127.0.0.1", Port: port(rcv)})
		if err != nil {
			t.Fatal(err)
		}
		ship(t, s, n)
		checkOurs(t, col.waitRecords(t, n), n)
	})
	t.Run("http", func(t *testing.T) {
		for _, batch := range []bool{false, true} {
			col := newCollector(t)
			rcv := col.listen(t, Options{Type: HTTP})
			s, err := anet.NewHTTP(anet.HTTPOptions{Host: rcv.Addr(), URL: "/log", Method: "POST", Batch: batch})
			if err != nil {
				t.Fatal(err)
			}
			ship(t, s, n)
			got := col.waitRecords(t, n)
			if len(got) != n {
				t.Fatalf("batch %v: %d records", batch, len(got))
			}
			for i, m := range got {
				if m["logger"] != "ours.app" || m["level"] != "WARNING" || m["user"] != "zoë" {
					t.Errorf("batch %v: record %d: %v", batch, i, m)
				}
			}
		}
	})
}
