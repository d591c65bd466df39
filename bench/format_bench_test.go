package bench

import (
	"log/slog"
	"testing"
	"time"

	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/record"
)

// BenchmarkFormat is the work an actorlog handler actor does per record
// before write(2): the JSON formatter appending the benchmark record to a
// reused buffer. End to end, one handler can go no faster than this, so set
// it beside BenchmarkProducer/zerolog, which formats the same record on the
// caller.
func BenchmarkFormat(b *testing.B) {
	var r record.Record
	r.Time = time.Now()
	r.Level = record.LevelInfo
	r.Message = msg
	r.AddAttrs(slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
		slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
	b.Run("actorlog-json", func(b *testing.B) {
		f := format.NewJSON(format.JSONOptions{})
		buf := f.Append(nil, &r)
		b.ReportAllocs()
		b.SetBytes(int64(len(buf)))
		for range b.N {
			buf = f.Append(buf[:0], &r)
		}
	})
	b.Run("time-rfc3339nano", func(b *testing.B) {
		buf := make([]byte, 0, 64)
		b.ReportAllocs()
		for range b.N {
			buf = r.Time.AppendFormat(buf[:0], time.RFC3339Nano)
		}
	})
}
