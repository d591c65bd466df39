package receiver

import (
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"testing"

	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/record"
)

func dial(t *testing.T, network, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// TestTCPFrames: msgpack frames become records of the logger of their name,
// with their attributes.
func TestTCPFrames(t *testing.T) {
	col := newCollector(t)
	rcv := col.listen(t, Options{Type: TCP})
	c := dial(t, "tcp", rcv.Addr())
	var buf []byte
	for i := range 10 {
		r := testRecord(i)
		r.AddAttrs(slog.Int("i", i), slog.String("user", "zoë"))
		buf = record.AppendFrame(buf, &r, nil)
	}
	if _, err := c.Write(buf); err != nil {
		t.Fatal(err)
	}
	got := col.waitRecords(t, 10)
	for i, m := range got {
		if m["logger"] != "app.db" || m["level"] != "WARNING" || m["user"] != "zoë" || m["i"] != float64(i) {
			t.Errorf("record %d: %v", i, m)
		}
	}
	s := rcv.Stats()
	if s.Frames != 10 || s.Connections != 1 || s.RejectedTotal() != 0 {
		t.Errorf("stats %+v", s)
	}
	if st := col.eng.Stats(); len(st.Receivers) != 1 || st.Receivers[0].Frames != 10 {
		t.Errorf("engine stats receivers %+v", st.Receivers)
	}
}

// TestHandleNotLog: the collector's logger level is not checked, as
// Python's logger.handle; the handler's level is.
func TestHandleNotLog(t *testing.T) {
	col := newCollector(t)
	col.eng.Logger("app").SetLevel(record.LevelCritical)
	rcv := col.listen(t, Options{Type: TCP})
	c := dial(t, "tcp", rcv.Addr())
	r := testRecord(0)
	if _, err := c.Write(record.AppendFrame(nil, &r, nil)); err != nil {
		t.Fatal(err)
	}
	if got := col.waitRecords(t, 1); got[0]["level"] != "WARNING" {
		t.Errorf("got %v", got)
	}
}

// expectClosed reads until the receiver closes c.
func expectClosed(t *testing.T, c net.Conn) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, c)
		done <- err
	}()
	<-done
}

// TestRejections: every kind of bad input is counted by reason; a frame
// too large is refused before it is read; the stream goes on after a frame
// that is only undecodable.
func TestRejections(t *testing.T) {
	col := newCollector(t)
	rcv := col.listen(t, Options{Type: TCP, MaxFrame: 1000})
	good := testRecord(1)
	frame := func(p []byte) []byte {
		return append(binary.BigEndian.AppendUint32(nil, uint32(len(p))), p...)
	}
	c := dial(t, "tcp", rcv.Addr())
	var b []byte
	b = append(b, frame([]byte{0xc1})...)                                              // malformed msgpack
	b = append(b, frame([]byte("}(X\x01\x00\x00\x00xcos\nsystem\n(S'true'\ntRu."))...) // a pickle that calls
	b = append(b, frame([]byte{0x81, 0xa1, 'x', 0xdd, 0xff, 0xff, 0xff})...)           // array bomb
	b = record.AppendFrame(b, &good, nil)
	b = binary.BigEndian.AppendUint32(b, 1<<30) // declares a GiB: refused unread
	if _, err := c.Write(b); err != nil {
		t.Fatal(err)
	}
	expectClosed(t, c)
	col.waitRecords(t, 1)
	s := rcv.Stats()
	want := map[string]uint64{"malformed": 2, "unsupported": 1, "too_large": 1}
	for k, v := range want {
		if s.Rejected[k] != v {
			t.Errorf("rejected[%s] = %d, want %d (%v)", k, s.Rejected[k], v, s.Rejected)
		}
	}
	if s.Frames != 1 {
		t.Errorf("frames %d, want 1", s.Frames)
	}

	// Truncated: the connection ends inside a frame.
	c2 := dial(t, "tcp", rcv.Addr())
	_, _ = c2.Write(frame([]byte{0x80})[:3])
	_ = c2.(*net.TCPConn).CloseWrite()
	expectClosed(t, c2)
	waitFor(t, "truncated counted", func() bool { return rcv.Stats().Rejected["truncated"] == 1 })
}

// TestHMAC: with a key, a good tag passes and a bad one closes the
// connection.
func TestHMAC(t *testing.T) {
	col := newCollector(t)
	rcv := col.listen(t, Options{Type: TCP, Key: "s3cret"})
	r := testRecord(0)
	c := dial(t, "tcp", rcv.Addr())
	b := record.AppendFrame(nil, &r, record.NewFrameKey([]byte("s3cret")))
	b = record.AppendFrame(b, &r, record.NewFrameKey([]byte("wrong")))
	b = record.AppendFrame(b, &r, record.NewFrameKey([]byte("s3cret")))
	if _, err := c.Write(b); err != nil {
		t.Fatal(err)
	}
	expectClosed(t, c)
	col.waitRecords(t, 1)
	if s := rcv.Stats(); s.Rejected["bad_tag"] != 1 || s.Frames != 1 {
		t.Errorf("stats %+v", s)
	}
}

// TestMaxConnections: one connection more than allowed is closed at once
// and counted.
func TestMaxConnections(t *testing.T) {
	col := newCollector(t)
	rcv := col.listen(t, Options{Type: TCP, MaxConnections: 2})
	dial(t, "tcp", rcv.Addr())
	dial(t, "tcp", rcv.Addr())
	waitFor(t, "two open", func() bool { return rcv.Stats().Open == 2 })
	c3 := dial(t, "tcp", rcv.Addr())
	expectClosed(t, c3)
	if s := rcv.Stats(); s.Rejected["max_connections"] != 1 || s.Open != 2 {
		t.Errorf("stats %+v", s)
	}
}

// TestSlowClients: a client idle past IdleTimeout, and one that starts a
// frame and stalls past ReadTimeout, are closed and counted.
func TestSlowClients(t *testing.T) {
	col := newCollector(t)
	rcv := col.listen(t, Options{Type: TCP, IdleTimeout: 50e6, ReadTimeout: 50e6})
	idle := dial(t, "tcp", rcv.Addr())
	expectClosed(t, idle)
	slow := dial(t, "tcp", rcv.Addr())
	_, _ = slow.Write([]byte{0, 0, 0, 10, 0x80})
	expectClosed(t, slow)
	waitFor(t, "counted", func() bool {
		s := rcv.Stats()
		return s.Rejected["idle"] == 1 && s.Rejected["timeout"] == 1
	})
}

// TestUDP: one frame per datagram, length prefix included; a datagram whose
// length disagrees is counted.
func TestUDP(t *testing.T) {
	col := newCollector(t)
	rcv := col.listen(t, Options{Type: UDP})
	c := dial(t, "udp", rcv.Addr())
	r := testRecord(0)
	f := record.AppendFrame(nil, &r, nil)
	_, _ = c.Write(f)
	_, _ = c.Write(f[:len(f)-1])
	_, _ = c.Write(append(f, 0))
	col.waitRecords(t, 1)
	waitFor(t, "counted", func() bool {
		s := rcv.Stats()
		return s.Rejected["truncated"] == 1 && s.Rejected["malformed"] == 1
	})
}

// TestAckedDelivery: after a hello the receiver answers 0 at once, then
// acknowledges cumulatively only what the handlers have written; a sender
// that comes back with the same session and sends again is counted as
// duplicates.
func TestAckedDelivery(t *testing.T) {
	col := newCollector(t)
	rcv := col.listen(t, Options{Type: TCP, AckEvery: 100})
	hello := anet.Hello{Session: [16]byte{1, 2, 3}}
	send := func(base uint64, n int) uint64 {
		c := dial(t, "tcp", rcv.Addr())
		hello.Base = base
		b := anet.AppendHello(nil, hello, nil)
		for i := range n {
			r := testRecord(i)
			b = record.AppendFrame(b, &r, nil)
		}
		if _, err := c.Write(b); err != nil {
			t.Fatal(err)
		}
		ar := anet.NewAckReader(c, nil)
		first, err := ar.Next()
		if err != nil || first != 0 {
			t.Fatalf("first ack %d, %v; want 0", first, err)
		}
		var last uint64
		for last < uint64(n) {
			if last, err = ar.Next(); err != nil {
				t.Fatal(err)
			}
			// Acknowledged means written: no Flush of ours.
			if w := col.out.count(); uint64(w) < last+base-uint64(0) && base == 0 {
				t.Fatalf("ack %d with %d records written", last, w)
			}
		}
		_ = c.Close()
		return last
	}
	if got := send(0, 1000); got != 1000 {
		t.Fatalf("acked %d", got)
	}
	if n := col.out.count(); n != 1000 {
		t.Fatalf("%d written at the last ack", n)
	}
	// The sender lost its acks for the last 300 and sends them again.
	send(700, 300)
	waitFor(t, "duplicates and acks counted", func() bool { s := rcv.Stats(); return s.Duplicates == 300 && s.Acked == 1300 })
	if s := rcv.Stats(); s.AcksSent < 4 {
		t.Errorf("stats %+v", s)
	}
}

// TestDropIsNotAcknowledged: a window with a dropped record is not
// acknowledged; the connection is closed.
func TestDropIsNotAcknowledged(t *testing.T) {
	col := newCollector(t)
	bad, err := col.eng.NewHandler("bad", failing{}, anyOptions())
	if err != nil {
		t.Fatal(err)
	}
	col.eng.Logger("lost").AddHandler(bad)
	rcv := col.listen(t, Options{Type: TCP})
	c := dial(t, "tcp", rcv.Addr())
	r := testRecord(0)
	r.Logger = "lost"
	b := anet.AppendHello(nil, anet.Hello{}, nil)
	b = record.AppendFrame(b, &r, nil)
	if _, err := c.Write(b); err != nil {
		t.Fatal(err)
	}
	ar := anet.NewAckReader(c, nil)
	if n, err := ar.Next(); err != nil || n != 0 {
		t.Fatalf("hello answer %d %v", n, err)
	}
	if n, err := ar.Next(); err == nil {
		t.Fatalf("acknowledged %d after a drop", n)
	}
	if s := rcv.Stats(); s.Rejected["not_written"] != 1 {
		t.Errorf("stats %+v", s)
	}
}

type failing struct{}

func (failing) WriteBatch(*actorsBatch) (int, error) { return 0, errors.New("disk on fire") }
func (failing) Close() error                         { return nil }

// TestTCPRuns: records of several loggers, and more than a run holds, sent
// in one write, arrive in order, each at its logger; the records before a
// frame only half sent arrive without waiting for the rest of it.
func TestTCPRuns(t *testing.T) {
	col := newCollector(t)
	rcv := col.listen(t, Options{Type: TCP})
	c := dial(t, "tcp", rcv.Addr())
	const n = 3*runMax + 7
	var buf []byte
	for i := range n {
		r := testRecord(i)
		if i%50 >= 45 {
			r.Logger = "app.other"
		}
		r.AddAttrs(slog.Int("i", i))
		buf = record.AppendFrame(buf, &r, nil)
	}
	next := testRecord(0)
	half := record.AppendFrame(nil, &next, nil)
	half = half[:len(half)/2]
	if _, err := c.Write(append(buf, half...)); err != nil {
		t.Fatal(err)
	}
	got := col.waitRecords(t, n)
	if len(got) != n {
		t.Fatalf("%d records, want %d", len(got), n)
	}
	for i, m := range got {
		want := "app.db"
		if i%50 >= 45 {
			want = "app.other"
		}
		if m["i"] != float64(i) || m["logger"] != want {
			t.Fatalf("record %d: %v", i, m)
		}
	}
}
