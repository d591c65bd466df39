package net_test

import (
	"encoding/binary"
	"errors"
	stdnet "net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/record"
)

// readDatagram reads one datagram and decodes its frame: the length prefix
// must give the rest of the datagram exactly.
func readDatagram(t *testing.T, c stdnet.PacketConn) record.Record {
	t.Helper()
	buf := make([]byte, 1<<17)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, _, err := c.ReadFrom(buf)
	if err != nil {
		t.Fatal(err)
	}
	if n < 4 || int(binary.BigEndian.Uint32(buf)) != n-4 {
		t.Fatalf("datagram of %d bytes declares %d", n, binary.BigEndian.Uint32(buf))
	}
	r, err := record.DecodeMsgpack(buf[4:n])
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// One frame per datagram, length prefix included, over UDP and a Unix
// datagram socket (checklist 83, 84).
func TestDatagram(t *testing.T) {
	udp, err := stdnet.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	path := filepath.Join(t.TempDir(), "dgram.sock")
	unixgram, err := stdnet.ListenPacket("unixgram", path)
	if err != nil {
		t.Fatal(err)
	}
	defer unixgram.Close()
	for _, c := range []struct {
		o  anet.DatagramOptions
		pc stdnet.PacketConn
	}{
		{anet.DatagramOptions{Host: "127.0.0.1", Port: port(t, udp.LocalAddr().String())}, udp},
		{anet.DatagramOptions{Host: path}, unixgram},
	} {
		d, err := anet.NewDatagram(c.o)
		if err != nil {
			t.Fatal(err)
		}
		r := newRig(t, d, actors.HandlerOptions{})
		r.log.Log(record.LevelError, "spam")
		r.log.Log(record.LevelError, "eggs")
		r.flush()
		for _, want := range []string{"spam", "eggs"} {
			if got := readDatagram(t, c.pc); got.Message != want || got.Logger != "app" {
				t.Fatalf("%s: got %+v, want %q", c.o.Host, got, want)
			}
		}
	}
}

// A record too large for a datagram is dropped whole and counted
// (too_large); the records around it go on.
func TestDatagramTooLarge(t *testing.T) {
	udp, err := stdnet.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	d, err := anet.NewDatagram(anet.DatagramOptions{Host: "127.0.0.1", Port: port(t, udp.LocalAddr().String())})
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, d, actors.HandlerOptions{})
	r.log.Log(record.LevelError, "before")
	r.log.Log(record.LevelError, strings.Repeat("x", 70000))
	r.log.Log(record.LevelError, "after")
	r.flush()
	for _, want := range []string{"before", "after"} {
		if got := readDatagram(t, udp); got.Message != want {
			t.Fatalf("got %.20q, want %q", got.Message, want)
		}
	}
	if st := r.stats(); st.Written != 2 || st.Dropped["too_large"] != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// A port nobody listens on: the ICMP refusals are counted, the handler
// never restarts or spins, and it delivers once a listener appears
// (reliability N10).
func TestDatagramRefused(t *testing.T) {
	p := freePort(t)
	d, err := anet.NewDatagram(anet.DatagramOptions{Host: "127.0.0.1", Port: p})
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, d, actors.HandlerOptions{})
	for i := range 50 {
		r.log.Log(record.LevelError, "lost"+strconv.Itoa(i))
		r.flush()
	}
	st := r.stats()
	ns := d.NetStats()
	if ns.Refused == 0 || st.Restarts != 0 || ns.Connects != 1 {
		t.Fatalf("stats %+v %+v", st, ns)
	}
	if st.Written+st.Dropped["refused"] != 50 {
		t.Fatalf("stats %+v", st)
	}
	udp, err := stdnet.ListenPacket("udp", "127.0.0.1:"+strconv.Itoa(p))
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	r.log.Log(record.LevelError, "found")
	r.flush()
	if got := readDatagram(t, udp); got.Message != "found" {
		t.Fatalf("got %q", got.Message)
	}
}

// No socket at a Unix path: a Retry, so the back-off times the next try.
func TestDatagramMissingUnixSocket(t *testing.T) {
	d, err := anet.NewDatagram(anet.DatagramOptions{Host: filepath.Join(t.TempDir(), "none")})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	b := &actors.Batch{}
	rec := record.Record{Message: "m"}
	b.Buf, _ = d.AppendRecord(nil, &rec)
	b.Ends = []int{len(b.Buf)}
	if n, err := d.WriteBatch(b); n != 0 || !actors.IsRetry(err) {
		t.Fatalf("WriteBatch = %d, %v", n, err)
	}
	if _, err := anet.NewDatagram(anet.DatagramOptions{Host: "h", Port: 1, MaxSize: 70000}); !errors.Is(err, anet.ErrInvalidOptions) {
		t.Fatalf("MaxSize 70000: %v", err)
	}
}
