package mail

import (
	"strings"
	"testing"
)

func benchMessage(b *testing.B, body string) {
	msg := []byte(body)
	var dst []byte
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		dst = appendMessage(dst[:0], "Ops <ops@example.com>", "oncall@example.com", "ERROR in app.db", t0, msg)
	}
}

func BenchmarkMessageShort(b *testing.B) {
	benchMessage(b, "2026-11-23 18:45:36,123 ERROR app.db connection lost\n")
}

func BenchmarkMessageTraceback(b *testing.B) {
	benchMessage(b, "ERROR app.db query failed\nTraceback (most recent call last):\n"+strings.Repeat("  File \"/srv/app/db.py\", line 42, in query\n    return self.conn.execute(sql, args)\n", 20)+"TimeoutError: timed out\n")
}

func BenchmarkMessageLongLine(b *testing.B) {
	benchMessage(b, strings.Repeat("a long JSON record {\"k\": \"v\"} ", 40)+"\n")
}

// BenchmarkSession is one mail per record against the in-process server;
// BenchmarkDigest gathers 100 records a mail.
func BenchmarkSession(b *testing.B) { benchSink(b, 0) }
func BenchmarkDigest(b *testing.B)  { benchSink(b, 100) }

func benchSink(b *testing.B, capacity int) {
	ts := startServer(b, serverOptions{})
	o := opts(ts)
	o.Capacity = capacity
	s := newSMTP(b, o)
	batch := batchOf("2026-11-23 18:45:36,123 ERROR app.db connection lost")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.WriteBatch(batch); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
}
