package receiver

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// syslogSeeds are messages of every shape, and bombs: unterminated
// structured data, bad escapes, huge fields, a PRI out of range.
func syslogSeeds() []string {
	return []string{
		"<14>hello\x00",
		"<155>myapp[42]: disk full\x00",
		"<29>Nov  3 08:01:02 host1 cron[7]: ran\n",
		"<12>2026-11-29T10:00:00.5+01:00 h tag: iso",
		"<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 " +
			`[exampleSDID@32473 iut="3" eventSource="Appl\"ic\]at\\ion"][examplePriority@32473 class="high"]` +
			" \xEF\xBB\xBFAn application event",
		`<14>1 - - - - - [id a="1`,                               // unterminated SD
		`<14>1 - - - - - [id a="\`,                               // escape at the end
		`<14>1 - - - - - [id a="\x\y\\\"\]"] m`,                  // escapes, good and bad
		"<14>1 - - - - - " + strings.Repeat("[a b=\"c\"]", 2000), // many elements
		"<14>1 - " + strings.Repeat("h", 300) + " - - - -",       // a hostname too long
		"<14>1 9999-99-99T99:99:99Z - - - - -",
		"<999>x", "<14>Feb 30 25:61:61 h t: m", "<14>" + strings.Repeat("t", 100) + "[" + strings.Repeat("9", 200) + "]: m",
		"<14>bad \xff\xfe utf8",
	}
}

// checkParsed: no input panics; an accepted message is a record with valid
// UTF-8 text.
func checkParsed(t *testing.T, in []byte) {
	rec, ok := parseSyslog(in, "syslog", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if !ok {
		return
	}
	if !utf8.ValidString(rec.Message) {
		t.Fatalf("%q: message %q is not UTF-8", in, rec.Message)
	}
	if rec.Level == 0 || !strings.HasPrefix(rec.Logger, "syslog") {
		t.Fatalf("%q: record %+v", in, rec)
	}
}

// FuzzSyslog3164 feeds the BSD format's parser.
func FuzzSyslog3164(f *testing.F) {
	for _, s := range syslogSeeds() {
		if !strings.Contains(s, ">1 ") {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkParsed(t, []byte(s))
		checkParsed(t, []byte("<13>"+s))
	})
}

// FuzzSyslog5424 feeds RFC 5424's parser (what follows "<PRI>1 ").
func FuzzSyslog5424(f *testing.F) {
	for _, s := range syslogSeeds() {
		if i := strings.Index(s, ">1 "); i >= 0 {
			f.Add(s[i+3:])
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkParsed(t, []byte("<165>1 "+s))
	})
}

// FuzzSyslogStream feeds a TCP stream to the octet-counting and LF readers
// (with a small maximum): no input panics, no message is longer than the
// maximum, and reading ends.
func FuzzSyslogStream(f *testing.F) {
	f.Add([]byte("5 <14>a10 <14>b: xyz"), true)
	f.Add([]byte("99999999999999999999999 x"), true) // count bomb
	f.Add([]byte("0 "), true)
	f.Add([]byte("12"), true) // cut inside the count
	f.Add([]byte("300 "+strings.Repeat("x", 300)), true)
	f.Add([]byte("<14>a: b\n<14>c\x00"+strings.Repeat("y", 400)+"\n<14>d"), false)
	f.Fuzz(func(t *testing.T, data []byte, octets bool) {
		const max = 256
		br := bufio.NewReaderSize(bytes.NewReader(data), 16)
		var buf []byte
		for range len(data) + 2 {
			var msg []byte
			var err error
			if octets {
				msg, _, err = readOctetCounted(br, buf, max)
			} else {
				msg, _, _, err = readLine(br, buf, max, endEither)
			}
			if len(msg) > max {
				t.Fatalf("a message of %d bytes, over %d", len(msg), max)
			}
			if err != nil {
				if err == io.EOF || octets {
					return
				}
				t.Fatalf("LF framing: %v", err)
			}
			if msg != nil {
				checkParsed(t, msg)
				buf = msg[:0]
			}
		}
		t.Fatalf("reading %d bytes never ended", len(data))
	})
}
