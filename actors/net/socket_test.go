package net_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/internal/testio"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

type rig struct {
	t    *testing.T
	eng  *engine.Engine
	h    *engine.Handler
	sink actors.Sink
	log  *engine.Logger
	errs *testio.SyncBuffer
}

// newRig starts an engine with one handler around sink on the root logger.
func newRig(t *testing.T, sink actors.Sink, o actors.HandlerOptions) *rig {
	t.Helper()
	errs := &testio.SyncBuffer{}
	eng := engine.New(engine.Options{ErrorOutput: errs, NoLastResort: true})
	h, err := eng.NewHandler("net", sink, o)
	if err != nil {
		t.Fatal(err)
	}
	lg := eng.Logger("app")
	lg.SetLevel(record.LevelDebug)
	lg.AddHandler(h)
	r := &rig{t: t, eng: eng, h: h, sink: sink, log: lg, errs: errs}
	t.Cleanup(func() { r.shutdown(5 * time.Second) })
	return r
}

func (r *rig) shutdown(d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return r.eng.Shutdown(ctx)
}

func (r *rig) flush() {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.eng.Flush(ctx); err != nil {
		r.t.Fatalf("flush: %v\n%s", err, r.errs)
	}
}

func (r *rig) stats() engine.HandlerStats { s, _ := r.eng.Stats().ForHandler("net"); return s }

func newSocket(t testing.TB, o anet.SocketOptions) *anet.Socket {
	t.Helper()
	s, err := anet.NewSocket(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func port(t testing.TB, addr string) int {
	_, p, _ := strings.Cut(addr, ":")
	n, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Records arrive over TCP with name, level, message and attributes, in
// order (checklist 72, 73, 75, 76).
func TestSocketTCP(t *testing.T) {
	ln := listen(t, "tcp", "127.0.0.1:0")
	rc := serve(t, ln, nil)
	s := newSocket(t, anet.SocketOptions{Host: "127.0.0.1", Port: port(t, ln.Addr().String())})
	r := newRig(t, s, actors.HandlerOptions{})
	r.log.Log(record.LevelError, "spam", slog.String("user", "ann"), slog.Int("n", 3))
	r.log.Log(record.LevelDebug, "eggs")
	r.flush()
	rc.waitRecords(2)
	if got := rc.messages(); fmt.Sprint(got) != "[spam eggs]" {
		t.Fatalf("messages %q", got)
	}
	rec := rc.recs[0]
	if rec.Logger != "app" || rec.Level != record.LevelError {
		t.Errorf("record %+v", rec)
	}
	var attrs []string
	rec.Attrs(func(a slog.Attr) bool { attrs = append(attrs, a.String()); return true })
	if fmt.Sprint(attrs) != "[n=3 user=ann]" {
		t.Errorf("attrs %v", attrs)
	}
	if st := s.NetStats(); st.Connects != 1 || st.Reconnects != 0 {
		t.Errorf("stats %+v", st)
	}
	if m := s.SinkStats(); m["connects"] != 1 || m["resends"] != 0 || len(m) != 9 {
		t.Errorf("SinkStats %v", m)
	}
	if len(rc.hellos) != 0 {
		t.Error("a hello without ack: the stream must be Python's")
	}
}

// Port 0 (Python's None) is a Unix stream socket at Host (checklist 76).
func TestSocketUnix(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.sock")
	rc := serve(t, listen(t, "unix", path), nil)
	s := newSocket(t, anet.SocketOptions{Host: path})
	if n, a := s.Addr(); n != "unix" || a != path {
		t.Fatalf("Addr %s %s", n, a)
	}
	r := newRig(t, s, actors.HandlerOptions{})
	r.log.Log(record.LevelError, "spam")
	r.log.Log(record.LevelError, "eggs")
	r.flush()
	rc.waitRecords(2)
	if got := rc.messages(); fmt.Sprint(got) != "[spam eggs]" {
		t.Fatalf("messages %q", got)
	}
}

// With ack every frame is acknowledged by the time Shutdown returns, the
// hello came first, and nothing was resent.
func TestSocketAck(t *testing.T) {
	ln := listen(t, "tcp", "127.0.0.1:0")
	rc := serve(t, ln, nil)
	s := newSocket(t, anet.SocketOptions{Host: "127.0.0.1", Port: port(t, ln.Addr().String()), Ack: true, AckWindow: 4096})
	r := newRig(t, s, actors.HandlerOptions{Mailbox: mailbox.Options{Overflow: mailbox.Block, BlockTimeout: time.Minute}})
	const n = 2000
	for i := range n {
		r.log.Log(record.LevelInfo, "m"+strconv.Itoa(i))
	}
	if err := r.shutdown(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	rc.waitRecords(n)
	st := s.NetStats()
	if st.Acknowledged != n || st.Unacknowledged != 0 || st.Resends != 0 || st.Connects != 1 {
		t.Fatalf("stats %+v", st)
	}
	if len(rc.hellos) != 1 || rc.hellos[0].Base != 0 || rc.dupes != 0 {
		t.Fatalf("hellos %+v dupes %d", rc.hellos, rc.dupes)
	}
	for i, m := range rc.messages() {
		if m != "m"+strconv.Itoa(i) {
			t.Fatalf("record %d is %q", i, m)
		}
	}
}

// A shared key tags every frame; the receiver with the key reads them.
func TestSocketKey(t *testing.T) {
	ln := listen(t, "tcp", "127.0.0.1:0")
	rc := serve(t, ln, record.NewFrameKey([]byte("s3cret")))
	s := newSocket(t, anet.SocketOptions{Host: "127.0.0.1", Port: port(t, ln.Addr().String()), Key: "s3cret", Ack: true})
	r := newRig(t, s, actors.HandlerOptions{})
	r.log.Log(record.LevelInfo, "signed")
	if err := r.shutdown(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	rc.waitRecords(1)
	if st := s.NetStats(); st.Acknowledged != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestSocketOptions(t *testing.T) {
	for _, c := range []struct {
		o    anet.SocketOptions
		want string
	}{
		{anet.SocketOptions{}, "Host"},
		{anet.SocketOptions{Host: "h", Port: 70000}, "Port"},
		{anet.SocketOptions{Host: "h", Port: 1, Timeout: -1}, "Timeout"},
		{anet.SocketOptions{Host: "h", Port: 1, AckWindow: 1 << 40}, "AckWindow"},
		{anet.SocketOptions{Host: "h", Port: 1, TLSOptions: anet.TLSOptions{CAFile: "x"}}, "TLS"},
		{anet.SocketOptions{Host: "h", Port: 1, TLS: true, TLSOptions: anet.TLSOptions{CertFile: "x"}}, "CertFile"},
	} {
		_, err := anet.NewSocket(c.o)
		if !errors.Is(err, anet.ErrInvalidOptions) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v", c.o, err)
		}
	}
}
