package handleractor

import (
	"io"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/record"
)

// BenchmarkEncode is the actor's work on a run of 1024 records before the
// write: filters, the JSON formatter, and the bookkeeping of the formatted
// batch, on one goroutine (ns/op is a record).
func BenchmarkEncode(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // one part: the per-record path alone
	c, err := newCore("b", actors.NewStream(io.Discard), actors.HandlerOptions{Formatter: format.NewJSON(format.JSONOptions{})}, Config{})
	if err != nil {
		b.Fatal(err)
	}
	const run = 1024
	recs := make([]record.Record, run)
	a := &handlerActor{core: c}
	for i := range recs {
		recs[i] = record.Record{Time: time.Now(), Level: record.LevelInfo, Message: "request handled"}
		recs[i].AddAttrs(slog.String("path", "/api/v1/users"), slog.Int("status", 200), slog.Float64("latency_ms", 12.345), slog.Bool("cached", true))
		a.recs = append(a.recs, &recs[i])
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i += run {
		a.encode(0)
	}
}
