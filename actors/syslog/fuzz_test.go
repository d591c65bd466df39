package syslog

import (
	"bytes"
	"log/slog"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/actorlog/actorlog/format"

	"github.com/actorlog/actorlog/record"
)

// FuzzFrame: whatever a record holds, its message is valid UTF-8 within
// MaxMessageSize, an LF frame holds exactly one LF (its end), and an
// octet-counted frame's count is its length: no record forges another.
func FuzzFrame(f *testing.F) {
	f.Add("plain", "k", "v", 40)
	f.Add("a\nb\x00c\xff", "bad key]", "v\"]\\", 30)
	f.Add("x\n<11>forged: evil\n", "", "", 50)
	f.Fuzz(func(t *testing.T, msg, key, val string, level int) {
		for _, f := range []string{FormatPython, FormatRFC5424} {
			o := Options{Format: f, MaxMessageSize: 256, Hostname: "h", AppName: "a", Formatter: format.Default()}
			e := newEncoder(&o, FramingLF)
			r := record.Record{Level: record.Level(level), Message: msg}
			r.AddAttr(slog.String(key, val))
			m := e.appendMessage(nil, &r)
			if len(m) > 256 || !utf8.Valid(m) || m[0] != '<' {
				t.Fatalf("message %q", m)
			}
			lf := appendFrame(nil, m, FramingLF)
			if bytes.IndexByte(lf, '\n') != len(lf)-1 {
				t.Fatalf("LF frame %q", lf)
			}
			oc := appendFrame(nil, m, FramingOctetCounting)
			sp := bytes.IndexByte(oc, ' ')
			if n, err := strconv.Atoi(string(oc[:sp])); err != nil || n != len(oc)-sp-1 {
				t.Fatalf("octet frame %q", oc)
			}
		}
	})
}
