package syslog

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/internal/optcheck"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// Checklist 90, 91: encodePriority and the name tables.
func TestEncodePriorityAsPython(t *testing.T) {
	cases := []struct {
		fac, pri string
		want     int
	}{
		{"user", "info", 14}, {"1", "6", 14}, {"local0", "emerg", 128}, {"kern", "debug", 7},
		{"local7", "warning", 188}, {"daemon", "info", 30}, {"authpriv", "err", 83},
		{"solaris-cron", "crit", 122}, {"ntp", "notice", 101}, {"security", "alert", 105},
		{"console", "panic", 112}, {"ext://logging.handlers.SysLogHandler.LOG_LOCAL3", "error", 155},
	}
	for _, c := range cases {
		f, err := ParseFacility(c.fac)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ParsePriority(c.pri)
		if err != nil {
			t.Fatal(err)
		}
		if got := EncodePriority(f, p); got != c.want {
			t.Errorf("encodePriority(%s, %s) = %d, want %d", c.fac, c.pri, got, c.want)
		}
	}
	for _, bad := range []string{"nope", "24", "-1", "LOCAL0"} {
		if _, err := ParseFacility(bad); err == nil {
			t.Errorf("facility %q accepted", bad)
		}
	}
	for _, bad := range []string{"nope", "8", "INFO"} {
		if _, err := ParsePriority(bad); err == nil {
			t.Errorf("priority %q accepted", bad)
		}
	}
	// Checklist 89: custom levels map to warning.
	for l, want := range map[record.Level]int{10: 7, 20: 6, 30: 4, 40: 3, 50: 2, 5: 4, 25: 4} {
		if got := MapPriority(l); got != want {
			t.Errorf("mapPriority(%v) = %d, want %d", l, got, want)
		}
	}
}

func newTestSink(t *testing.T, o Options) *Syslog {
	t.Helper()
	if o.Address == (Address{}) {
		o.Address = Address{Host: "127.0.0.1", Port: 9}
	}
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Issue item 2: the RFC 5424 message, field by field.
func TestRFC5424Message(t *testing.T) {
	s := newTestSink(t, Options{Format: FormatRFC5424, Facility: "local4", Hostname: "host name", AppName: "app",
		MsgID: "ID47", UTC: true})
	s.enc.procid = "42"
	r := record.Record{Time: time.Date(2024, 3, 9, 8, 7, 6, 5_123_456, time.UTC), Level: record.LevelWarning, Message: "héllo"}
	r.AddAttrs(slog.String("user", `a"b\c]d`), slog.Int("n", 3), slog.Group("req", slog.String("id", "x")),
		slog.String("bad key=]\"", "v"), slog.String(strings.Repeat("k", 40), "long"))
	got, _ := s.AppendRecord(nil, &r)
	want := `<164>1 2024-03-09T08:07:06.005123Z host_name app 42 ID47 [attrs@32473 user="a\"b\\c\]d" n="3" req.id="x" bad_key___="v" ` +
		strings.Repeat("k", 32) + `="long"] héllo`
	if string(got) != want {
		t.Fatalf("\n got %s\nwant %s", got, want)
	}
	// No attributes, no time, no message: NILVALUEs and no trailing SP.
	r = record.Record{Level: record.LevelInfo}
	got, _ = s.AppendRecord(nil, &r)
	if want := `<166>1 - host_name app 42 ID47 -`; string(got) != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestRFC5424OffsetAndDefaults(t *testing.T) {
	s := newTestSink(t, Options{Format: FormatRFC5424, SDID: "-"})
	loc := time.FixedZone("x", 2*3600+30*60)
	r := record.Record{Time: time.Date(2024, 3, 9, 8, 7, 6, 0, loc), Level: record.LevelInfo, Message: "m"}
	r.AddAttr(slog.String("k", "v"))
	s.o.UTC = false
	got, _ := s.AppendRecord(nil, &r)
	ts := r.Time.Local().Format("2006-01-02T15:04:05.000000Z07:00")
	if !strings.HasPrefix(string(got), "<14>1 "+ts+" ") || !strings.HasSuffix(string(got), " - m") {
		t.Fatalf("got %q", got)
	}
}

// Issue item 2: framing. Octet counting counts bytes; LF framing escapes
// every LF inside a message so none ends it early.
func TestFraming(t *testing.T) {
	msg := []byte("<11>a\nb\n<11>forged")
	if got := string(appendFrame(nil, msg, FramingOctetCounting)); got != "18 <11>a\nb\n<11>forged" {
		t.Fatalf("octet counting: %q", got)
	}
	if got := string(appendFrame(nil, msg, FramingLF)); got != "<11>a#012b#012<11>forged\n" {
		t.Fatalf("lf: %q", got)
	}
	if got := string(appendFrame(nil, msg, FramingNone)); got != string(msg) {
		t.Fatalf("none: %q", got)
	}
}

// The NUL is Python's delimiter: left out where framing delimits.
func TestNulOnlyWithoutFraming(t *testing.T) {
	r := record.Record{Level: record.LevelError, Message: "m"}
	for _, c := range []struct {
		o    Options
		want string
	}{
		{Options{}, "<11>m\x00"},
		{Options{NoAppendNul: true}, "<11>m"},
		{Options{Framing: FramingOctetCounting}, "<11>m"},
		{Options{Framing: FramingLF}, "<11>m"},
	} {
		c.o.Address = Address{Host: "127.0.0.1", Port: 9}
		c.o.Socktype = "dgram" // framing is set, the socket need not be a stream for encoding
		sink, err := New(c.o)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := sink.AppendRecord(nil, &r)
		sink.Close()
		if string(got) != c.want {
			t.Errorf("%+v: got %q, want %q", c.o, got, c.want)
		}
	}
}

// Options are validated all at once, each problem naming its field.
func TestValidate(t *testing.T) {
	err := Options{Facility: "nope", Socktype: "raw", Format: "json", Framing: "cr", Timeout: -1,
		MaxMessageSize: 3, TLS: true, Address: Address{Path: "/x"}, CertFile: "c", SDID: "a b"}.Validate()
	if !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("%v", err)
	}
	fields := map[string]bool{}
	for _, f := range optcheck.Fields(err) {
		fields[f.Field] = true
	}
	for _, f := range []string{"Facility", "Socktype", "Format", "Framing", "Timeout", "MaxMessageSize", "TLS", "CertFile", "SDID"} {
		if !fields[f] {
			t.Errorf("no problem reported for %s: %v", f, err)
		}
	}
	if err := (Options{}).Validate(); err != nil {
		t.Fatalf("zero Options: %v", err)
	}
	if _, err := New(Options{TLS: true, Socktype: "dgram"}); !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("TLS over UDP: %v", err)
	}
}

func TestParseAddress(t *testing.T) {
	for in, want := range map[string]Address{
		"localhost:514": {Host: "localhost", Port: 514}, "[::1]:6514": {Host: "::1", Port: 6514},
		"/dev/log": {Path: "/dev/log"}, "": {}, "./rel/sock": {Path: "./rel/sock"},
	} {
		got, err := ParseAddress(in)
		if err != nil || got != want {
			t.Errorf("ParseAddress(%q) = %+v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"host", "host:0", "host:99999", "host:x"} {
		if _, err := ParseAddress(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	var a Address
	if err := a.UnmarshalTextList([]string{"example.org", "1514"}); err != nil || a.String() != "example.org:1514" {
		t.Fatalf("%v %v", a, err)
	}
	if (Address{}).String() != "localhost:514" {
		t.Fatal("default address")
	}
}

// Checklist 94, 96: a refused TCP connection and an unknown host fail New;
// UDP needs no listener.
func TestNewFailsAsPython(t *testing.T) {
	port := freePort(t, "tcp")
	if _, err := New(Options{Address: Address{Host: "127.0.0.1", Port: port}, Socktype: "stream"}); !errors.Is(err, ErrConnect) {
		t.Fatalf("refused TCP: %v", err)
	}
	if _, err := New(Options{Address: Address{Host: "no-such-host.invalid", Port: 514}}); !errors.Is(err, ErrConnect) {
		t.Fatalf("unknown host: %v", err)
	}
	s, err := New(Options{Address: Address{Host: "127.0.0.1", Port: freePort(t, "udp")}})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Checklist 98: a Unix path with nothing listening is no error.
	s, err = New(Options{Address: Address{Path: t.TempDir() + "/none"}})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// Checklist 93: the exception text goes out with the record (the
// formatter's output), as Python's code does whatever its docs say.
func TestExceptionTextIsSent(t *testing.T) {
	s := newTestSink(t, Options{})
	r := record.Record{Level: record.LevelError, Message: "boom", ErrText: "Traceback (most recent call last):\nValueError: x"}
	got, _ := s.AppendRecord(nil, &r)
	if want := "<11>boom\nTraceback (most recent call last):\nValueError: x\x00"; string(got) != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// Issue item 3: a handler that may wait out a back-off does not block its
// callers by default; UDP keeps Block.
func TestHandlerDefaults(t *testing.T) {
	if d := newTestSink(t, Options{}).HandlerDefaults(); d.Mailbox.Overflow != mailbox.Block {
		t.Errorf("UDP defaults %+v", d)
	}
	s := newTestSink(t, Options{Address: Address{Path: t.TempDir() + "/none"}})
	if d := s.HandlerDefaults(); d.Mailbox.Overflow != mailbox.DropNewest {
		t.Errorf("Unix defaults %+v", d)
	}
}

// Issue item 3: UDP errors are counted, one attempt per record, and never
// fail the batch: a port nobody listens on gives send_error failures.
func TestUDPRefusedIsCountedNotRetried(t *testing.T) {
	s := newTestSink(t, Options{Address: Address{Host: "127.0.0.1", Port: freePort(t, "udp")}})
	failed := 0
	for range 20 {
		b := batchFor(t, s, record.Record{Level: record.LevelError, Message: "x"})
		n, err := s.WriteBatch(b)
		if err != nil || n != 1 {
			t.Fatalf("WriteBatch = %d, %v", n, err)
		}
		for _, f := range b.Failures() {
			if f.Reason != ReasonSendError {
				t.Fatalf("failure %+v", f)
			}
			failed++
		}
	}
	if failed == 0 {
		t.Fatal("no refused datagram was counted")
	}
}
