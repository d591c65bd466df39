package syslog

import (
	"bytes"
	"errors"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/actorlog/actorlog/record"
)

// badMessages are records a caller may log that must not break framing.
func badMessages() []string {
	return []string{
		"line one\nline two",
		"a\x00b",
		"bad \xff\xfe utf-8",
		"x\n<11>forged: evil",
		"trailing newline\n",
		"cr\r\nlf",
		strings.Repeat("é", 40000), // 80,000 bytes: more than a UDP datagram holds
	}
}

var wellFormed = regexp.MustCompile(`^<\d{1,3}>`)

// Issue item 5, over UDP: every record is one well-formed datagram (a PRI,
// valid UTF-8), a huge one cut at MaxMessageSize on a rune boundary, and
// nothing else arrives.
func TestBadInputUDPDatagramsAreWellFormed(t *testing.T) {
	for _, format := range []string{FormatPython, FormatRFC5424} {
		t.Run(format, func(t *testing.T) {
			srv, err := net.ListenPacket("udp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			a, _ := ParseAddress(srv.LocalAddr().String())
			s, err := New(Options{Address: a, Format: format, MaxMessageSize: 2048})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			msgs := badMessages()
			var recs []record.Record
			for _, m := range msgs {
				recs = append(recs, record.Record{Time: time.Now(), Level: record.LevelError, Message: m})
			}
			mustWrite(t, s, recs...)
			buf := make([]byte, 65536)
			for i := range msgs {
				_ = srv.SetReadDeadline(time.Now().Add(5 * time.Second))
				n, _, err := srv.ReadFrom(buf)
				if err != nil {
					t.Fatalf("datagram %d: %v", i, err)
				}
				d := buf[:n]
				if !wellFormed.Match(d) || !utf8.Valid(d) || n > 2048 {
					t.Errorf("datagram %d (%d bytes) is not a well-formed message: %q", i, n, d[:min(n, 80)])
				}
			}
			_ = srv.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
			if n, _, err := srv.ReadFrom(buf); err == nil {
				t.Fatalf("an extra datagram arrived: %q", buf[:n])
			}
		})
	}
}

// Without MaxMessageSize, a datagram too large for UDP is dropped alone
// and counted (too_large); the next record goes on. No spinning: one
// attempt per record.
func TestUDPTooLargeIsCountedAlone(t *testing.T) {
	srv, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	a, _ := ParseAddress(srv.LocalAddr().String())
	s, err := New(Options{Address: a})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b := batchFor(t, s,
		record.Record{Level: record.LevelError, Message: strings.Repeat("x", 70000)},
		record.Record{Level: record.LevelError, Message: "after"})
	n, err := s.WriteBatch(b)
	if err != nil || n != 2 {
		t.Fatalf("WriteBatch = %d, %v", n, err)
	}
	f := b.Failures()
	if len(f) != 1 || f[0].Index != 0 || f[0].Reason != ReasonTooLarge {
		t.Fatalf("failures %+v, want record 0 too_large", f)
	}
	buf := make([]byte, 65536)
	_ = srv.SetReadDeadline(time.Now().Add(5 * time.Second))
	m, _, err := srv.ReadFrom(buf)
	if err != nil || !bytes.Equal(buf[:m], []byte("<11>after\x00")) {
		t.Fatalf("got %q, %v", buf[:m], err)
	}
}

// Issue item 5 against rsyslog: the bad records arrive as exactly as many
// messages, none forged, over UDP and over TCP with each framing that
// delimits messages.
func TestRsyslogBadInputNeverForgesAMessage(t *testing.T) {
	r := startRsyslog(t)
	inet := func(port int) Address { return Address{Host: "127.0.0.1", Port: port} }
	cases := []struct {
		name string
		o    Options
	}{
		{"udp_python", Options{Address: inet(r.udp), MaxMessageSize: 4096}},
		{"udp_rfc5424", Options{Address: inet(r.udp), Format: FormatRFC5424, MaxMessageSize: 4096}},
		{"tcp_octet", Options{Address: inet(r.tcp), Socktype: "stream", Framing: FramingOctetCounting, MaxMessageSize: 4096}},
		{"tcp_lf", Options{Address: inet(r.tcp), Socktype: "stream", Framing: FramingLF, MaxMessageSize: 4096}},
		{"tcp_rfc5424_lf", Options{Address: inet(r.tcp), Socktype: "stream", Format: FormatRFC5424, Framing: FramingLF, MaxMessageSize: 4096}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tag := "bad-" + strings.ReplaceAll(tc.name, "_", "-")
			tc.o.Ident, tc.o.AppName = tag+": ", tag
			s, err := New(tc.o)
			if err != nil {
				t.Fatal(err)
			}
			var recs []record.Record
			for _, m := range badMessages() {
				recs = append(recs, record.Record{Time: time.Now(), Level: record.LevelError, Message: m})
			}
			mustWrite(t, s, recs...)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			got := r.await(t, tag, len(recs))
			for i, l := range got {
				if l.severity != "err" {
					t.Errorf("message %d: %+v", i, l)
				}
			}
			if r.has("forged", " evil") || r.has("forged", "evil") {
				t.Fatal("a record forged a message of its own")
			}
		})
	}
}

func TestTruncateKeepsRunesWhole(t *testing.T) {
	s, err := New(Options{Address: Address{Host: "127.0.0.1", Port: 9}, MaxMessageSize: 64})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out, _ := s.AppendRecord(nil, &record.Record{Level: record.LevelError, Message: strings.Repeat("é", 100)})
	if len(out) > 64 || out[len(out)-1] != 0 || !utf8.Valid(out[:len(out)-1]) {
		t.Fatalf("%d bytes: %q", len(out), out)
	}
	if _, err := New(Options{MaxMessageSize: 10}); !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("MaxMessageSize 10: %v", err)
	}
}
