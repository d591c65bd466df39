package syslog

import (
	"log/slog"
	"testing"
	"time"

	"github.com/actorlog/actorlog/record"
)

// Encoding a record into a reused buffer allocates nothing in Python's
// format, and nothing for string attributes in RFC 5424.
func TestEncodeAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	r := record.Record{Time: time.Now(), Level: record.LevelInfo, Message: "request handled"}
	r.AddAttrs(slog.String("path", "/api"), slog.String("user", "ann"))
	for _, o := range []Options{{}, {Format: FormatRFC5424}} {
		s := newTestSink(t, o)
		buf := make([]byte, 0, 1024)
		if n := testing.AllocsPerRun(100, func() { buf, _ = s.AppendRecord(buf[:0], &r) }); n != 0 {
			t.Errorf("format %q: %v allocs per record, want 0", o.Format, n)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	r := record.Record{Time: time.Now(), Level: record.LevelInfo, Message: "request handled"}
	r.AddAttrs(slog.String("path", "/api"), slog.Int("status", 200))
	for _, f := range []string{FormatPython, FormatRFC5424} {
		b.Run(f, func(b *testing.B) {
			s, err := New(Options{Address: Address{Host: "127.0.0.1", Port: 9}, Format: f})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			buf := make([]byte, 0, 1024)
			b.ReportAllocs()
			for range b.N {
				buf, _ = s.AppendRecord(buf[:0], &r)
			}
		})
	}
}
