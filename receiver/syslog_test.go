package receiver

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/syslog"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/internal/oracle"
	"github.com/actorlog/actorlog/record"
)

// attrsOf returns a record's attributes as text, by key.
func attrsOf(r *record.Record) map[string]string {
	m := map[string]string{}
	r.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value.String(); return true })
	return m
}

func TestParseSyslog(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	type want struct {
		name, msg string
		level     record.Level
		time      time.Time
		attrs     map[string]string
	}
	cases := []struct {
		in   string
		want want
	}{
		{"<14>hello world\x00", want{"syslog", "hello world", record.LevelInfo, now,
			map[string]string{"facility": "user", "severity": "info"}}},
		{"<155>myapp: disk full\x00", want{"syslog.myapp", "disk full", record.LevelError, now,
			map[string]string{"facility": "local3", "severity": "err", "appname": "myapp"}}},
		{"<10>sshd[4242]: refused", want{"syslog.sshd", "refused", record.LevelCritical, now,
			map[string]string{"facility": "user", "severity": "crit", "appname": "sshd", "procid": "4242"}}},
		{"<29>Nov  3 08:01:02 host1 cron[7]: ran\n", want{"syslog.cron", "ran", record.LevelInfo,
			time.Date(2026, 11, 3, 8, 1, 2, 0, time.UTC),
			map[string]string{"facility": "daemon", "severity": "notice", "hostname": "host1", "appname": "cron", "procid": "7"}}},
		{"<31>Dec 31 23:59:59 app: last year", want{"syslog.app", "last year", record.LevelDebug,
			time.Date(2025, 12, 31, 23, 59, 59, 0, time.UTC),
			map[string]string{"facility": "daemon", "severity": "debug", "appname": "app"}}},
		{"<12>2026-11-29T10:00:00.5+01:00 h tag: iso", want{"syslog.tag", "iso", record.LevelWarning,
			time.Date(2026, 11, 29, 9, 0, 0, 5e8, time.UTC),
			map[string]string{"facility": "user", "severity": "warning", "hostname": "h", "appname": "tag"}}},
		{"<14>Nov 29 11:00:00 h app[9] more", want{"syslog.app", "more", record.LevelInfo,
			time.Date(2026, 11, 29, 11, 0, 0, 0, time.UTC),
			map[string]string{"facility": "user", "severity": "info", "hostname": "h", "appname": "app", "procid": "9"}}},
		{"<14>Nov 29 11:00:00 - app words", want{"syslog.app", "words", record.LevelInfo,
			time.Date(2026, 11, 29, 11, 0, 0, 0, time.UTC),
			map[string]string{"facility": "user", "severity": "info", "hostname": "-", "appname": "app"}}},
		{"<0>Error: not a tag? it is", want{"syslog.Error", "not a tag? it is", record.LevelCritical, now,
			map[string]string{"facility": "kern", "severity": "emerg", "appname": "Error"}}},
		{"<13>bad \xff utf8", want{"syslog", "bad \uFFFD utf8", record.LevelInfo, now,
			map[string]string{"facility": "user", "severity": "notice"}}},
		{"<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 " +
			`[exampleSDID@32473 iut="3" eventSource="Appl\"ic\]at\\ion" x="a\b"][examplePriority@32473 class="high"]` +
			" \xEF\xBB\xBFAn application event",
			want{"syslog.evntslog", "An application event", record.LevelInfo,
				time.Date(2003, 10, 11, 22, 14, 15, 3e6, time.UTC),
				map[string]string{"facility": "local4", "severity": "notice", "hostname": "mymachine.example.com",
					"appname": "evntslog", "msgid": "ID47", "sd.exampleSDID@32473.iut": "3",
					"sd.exampleSDID@32473.eventSource": `Appl"ic]at\ion`, "sd.exampleSDID@32473.x": `a\b`,
					"sd.examplePriority@32473.class": "high"}}},
		{"<34>1 - - - - - -", want{"syslog", "", record.LevelCritical, now,
			map[string]string{"facility": "auth", "severity": "crit"}}},
		{"<14>1 2026-11-29T13:14:15.123456-05:30 - app 99 - - multi word", want{"syslog.app", "multi word", record.LevelInfo,
			time.Date(2026, 11, 29, 18, 44, 15, 123456000, time.UTC),
			map[string]string{"facility": "user", "severity": "info", "appname": "app", "procid": "99"}}},
	}
	for _, c := range cases {
		rec, ok := parseSyslog([]byte(c.in), "syslog", now)
		if !ok {
			t.Errorf("%q: refused", c.in)
			continue
		}
		got := want{rec.Logger, rec.Message, rec.Level, rec.Time, attrsOf(&rec)}
		if got.name != c.want.name || got.msg != c.want.msg || got.level != c.want.level || !got.time.Equal(c.want.time) ||
			fmt.Sprint(got.attrs) != fmt.Sprint(c.want.attrs) {
			t.Errorf("%q:\n got %+v\nwant %+v", c.in, got, c.want)
		}
	}
	if rec, _ := parseSyslog([]byte("<14>app: x"), "", now); rec.Logger != "app" {
		t.Errorf("no prefix: logger %q", rec.Logger)
	}
	for _, bad := range []string{
		"", "hello", "<>x", "<192>x", "<1234>x", "<14", "<14>1 ", "<14>1 - - - - -",
		"<14>1 yesterday h a p m - x", "<14>1 - - - - - [id", `<14>1 - - - - - [id a="1`, `<14>1 - - - - - [id a="1\"]`,
		`<14>1 - - - - - [id a=1]`, `<14>1 - - - - - [ a="1"]`, `<14>1 - - - - - [id a="1"]x`,
		"<14>1 - " + strings.Repeat("h", 256) + " - - - -",
	} {
		if rec, ok := parseSyslog([]byte(bad), "syslog", now); ok {
			t.Errorf("%q: accepted as %+v", bad, rec)
		}
	}
}

// shipSyslog logs n records through our Syslog handler with o in an engine
// of its own, cycling through Python's five levels, and drains it.
func shipSyslog(t *testing.T, o syslog.Options, n int) {
	t.Helper()
	s, err := syslog.New(o)
	if err != nil {
		t.Fatal(err)
	}
	eng := engine.New(engine.Options{ErrorOutput: io.Discard})
	h, err := eng.NewHandler("out", s, actors.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l := eng.Logger("ours.app")
	l.SetLevel(record.LevelDebug)
	l.AddHandler(h)
	for i := range n {
		l.Log(syslogLevels[i%len(syslogLevels)], "record "+strconv.Itoa(i)+" ☃", slog.Int("i", i), slog.String("user", "zoë"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := eng.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

var syslogLevels = []record.Level{record.LevelDebug, record.LevelInfo, record.LevelWarning, record.LevelError, record.LevelCritical}

// TestSyslogOurHandler: our Syslog handler, in each format and framing,
// over UDP and TCP, to a syslog receiver (auto and fixed framing): name,
// level, message and attributes come back.
func TestSyslogOurHandler(t *testing.T) {
	const n = 40
	type tc struct {
		name     string
		protocol string
		framing  string // the receiver's
		opts     syslog.Options
	}
	var cases []tc
	for _, format := range []string{syslog.FormatPython, syslog.FormatRFC5424} {
		base := syslog.Options{Facility: "local3", Format: format, Ident: "web: ", AppName: "web"}
		cases = append(cases, tc{"udp_" + format, UDP, "", base})
		for _, framing := range []string{syslog.FramingNone, syslog.FramingOctetCounting, syslog.FramingLF} {
			if framing == syslog.FramingNone && format == syslog.FormatRFC5424 {
				continue // back to back, no NUL: nothing can frame it
			}
			o := base
			o.Socktype, o.Framing = "stream", framing
			cases = append(cases, tc{"tcp_" + format + "_" + framing + "_auto", TCP, FramingAuto, o})
			if framing != syslog.FramingNone {
				cases = append(cases, tc{"tcp_" + format + "_" + framing, TCP, framing, o})
			} else {
				cases = append(cases, tc{"tcp_" + format + "_" + framing + "_lf", TCP, FramingLF, o})
			}
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			col := newCollector(t)
			rcv := col.listen(t, Options{Type: Syslog, Protocol: c.protocol, Framing: c.framing})
			host, port, _ := net.SplitHostPort(rcv.Addr())
			p, _ := strconv.Atoi(port)
			c.opts.Address = syslog.Address{Host: host, Port: p}
			shipSyslog(t, c.opts, n)
			got := col.waitRecords(t, n)
			if len(got) != n {
				t.Fatalf("%d records, want %d", len(got), n)
			}
			for i, m := range got {
				want := map[string]any{"logger": "syslog.web", "level": syslogLevels[i%5].String(), "msg": "record " + strconv.Itoa(i) + " ☃",
					"facility": "local3", "appname": "web"}
				if c.opts.Format == syslog.FormatRFC5424 {
					want["sd.attrs@32473.i"] = strconv.Itoa(i)
					want["sd.attrs@32473.user"] = "zoë"
				}
				for k, v := range want {
					if m[k] != v {
						t.Errorf("record %d: %s = %v, want %v (%v)", i, k, m[k], v, m)
					}
				}
			}
			if s := rcv.Stats(); s.Frames != n || s.RejectedTotal() != 0 {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

// TestSyslogLimits: a count over MaxFrame is refused before its message is
// read and closes the connection; a line over it is skipped and the next
// read; bad counts, malformed messages, idle and stalled connections, and
// one connection too many are each counted.
func TestSyslogLimits(t *testing.T) {
	col := newCollector(t)
	rcv := col.listen(t, Options{Type: Syslog, MaxFrame: 100, MaxConnections: 3, IdleTimeout: 50e6, ReadTimeout: 50e6})

	bomb := dial(t, "tcp", rcv.Addr())
	_, _ = bomb.Write([]byte("99999999999999999999 ")) // no message follows
	expectClosed(t, bomb)

	lf := dial(t, "tcp", rcv.Addr())
	_, _ = lf.Write([]byte("<14>a: " + strings.Repeat("x", 500) + "\n<14>a: after\nnot syslog\n"))
	waitFor(t, "after the long line", func() bool { return rcv.Stats().Frames == 1 })
	lf.Close()

	bad := dial(t, "tcp", rcv.Addr())
	_, _ = bad.Write([]byte("12x"))
	expectClosed(t, bad)

	idle := dial(t, "tcp", rcv.Addr())
	expectClosed(t, idle)
	slow := dial(t, "tcp", rcv.Addr())
	_, _ = slow.Write([]byte("50 <14>a: "))
	expectClosed(t, slow)
	waitFor(t, "counted", func() bool {
		s := rcv.Stats()
		return s.Rejected["too_large"] == 2 && s.Rejected["malformed"] == 2 && s.Rejected["idle"] == 1 && s.Rejected["timeout"] == 1
	})
	got := col.waitRecords(t, 1)
	if got[0]["msg"] != "after" || got[0]["logger"] != "syslog.a" {
		t.Errorf("record %v", got[0])
	}

	waitFor(t, "all closed", func() bool { return rcv.Stats().Open == 0 })
	for range 3 {
		dial(t, "tcp", rcv.Addr())
	}
	waitFor(t, "three open", func() bool { return rcv.Stats().Open == 3 })
	expectClosed(t, dial(t, "tcp", rcv.Addr()))
	if s := rcv.Stats(); s.Rejected["max_connections"] != 1 {
		t.Errorf("stats %+v", s)
	}
}

// TestSyslogUDPLimits: a datagram over MaxFrame and one that is not
// syslog are counted; the good one arrives.
func TestSyslogUDPLimits(t *testing.T) {
	col := newCollector(t)
	rcv := col.listen(t, Options{Type: Syslog, Protocol: UDP, MaxFrame: 100})
	c := dial(t, "udp", rcv.Addr())
	for _, d := range []string{"<14>a: " + strings.Repeat("x", 200), "junk", "\x00", "<11>1 - - b - - - ok\x00"} {
		_, _ = c.Write([]byte(d))
	}
	got := col.waitRecords(t, 1)
	if got[0]["msg"] != "ok" || got[0]["logger"] != "syslog.b" || got[0]["level"] != "ERROR" {
		t.Errorf("record %v", got[0])
	}
	waitFor(t, "counted", func() bool {
		s := rcv.Stats()
		return s.Rejected["too_large"] == 1 && s.Rejected["malformed"] == 1
	})
	if rcv.String() != "syslog udp "+rcv.Addr() {
		t.Errorf("String() = %q", rcv.String())
	}
}

func TestSyslogOptions(t *testing.T) {
	for _, c := range []struct {
		o    Options
		want string
	}{
		{Options{Type: Syslog, Listen: ":1", Protocol: "sctp"}, "Protocol"},
		{Options{Type: Syslog, Listen: ":1", Framing: "nul"}, "Framing"},
		{Options{Type: Syslog, Listen: ":1", Protocol: UDP, Framing: FramingLF}, "Framing"},
		{Options{Type: Syslog, Listen: ":1", Key: "k"}, "Key"},
		{Options{Type: TCP, Listen: ":1", NamePrefix: "x"}, "NamePrefix"},
		{Options{Type: UDP, Listen: ":1", Protocol: TCP}, "Protocol"},
	} {
		err := c.o.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error about %s", c.o, err, c.want)
		}
	}
	if err := (Options{Type: Syslog, Listen: ":1", Protocol: UDP, NamePrefix: "."}).Validate(); err != nil {
		t.Error(err)
	}
}

// TestSyslogFromPython: Python's own SysLogHandler, over UDP and TCP (its
// bytes: <PRI>ident+message+NUL, back to back on a stream), to a syslog
// receiver with framing auto: name from the ident, level by Python's
// priority map, facility, message; over TCP a message with a line feed is
// one record (the connection's first message ended with NUL: so do all).
func TestSyslogFromPython(t *testing.T) {
	py := oracle.NeedPython(t)
	const n = 50
	for _, proto := range []string{UDP, TCP} {
		t.Run(proto, func(t *testing.T) {
			col := newCollector(t)
			rcv := col.listen(t, Options{Type: Syslog, Protocol: proto})
			host, port, _ := net.SplitHostPort(rcv.Addr())
			sock := "socket.SOCK_DGRAM"
			if proto == TCP {
				sock = "socket.SOCK_STREAM"
			}
			script := fmt.Sprintf(`import logging, logging.handlers, socket
h = logging.handlers.SysLogHandler(address=(%q, %s), facility="local5", socktype=%s)
h.ident = "pyapp: "
log = logging.getLogger("py")
log.setLevel(logging.DEBUG)
log.addHandler(h)
levels = [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL]
for i in range(%d):
    log.log(levels[i %% 5], "record %%d ☃", i)
log.warning("two\nlines")
h.close()
`, host, port, sock, n)
			if out, err := exec.Command(py, "-c", script).CombinedOutput(); err != nil {
				t.Fatalf("python: %v\n%s", err, out)
			}
			got := col.waitRecords(t, n+1)
			if m := got[n]; m["msg"] != "two\nlines" || m["logger"] != "syslog.pyapp" {
				t.Errorf("a message of two lines came as %v", m)
			}
			got = got[:n]
			for i, m := range got {
				if m["logger"] != "syslog.pyapp" || m["level"] != syslogLevels[i%5].String() || m["msg"] != "record "+strconv.Itoa(i)+" ☃" ||
					m["facility"] != "local5" {
					t.Errorf("record %d: %v", i, m)
				}
			}
			if len(got) != n {
				t.Errorf("%d records, want %d", len(got), n)
			}
		})
	}
}
