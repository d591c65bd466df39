package receiver

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/record"
)

// BenchmarkFrame is the receiver's cost per frame: the structure check and
// decode of a msgpack frame, and its routing to the logger of its name
// (handed to a handler that discards it).
func BenchmarkFrame(b *testing.B) {
	eng := engine.New(engine.Options{ErrorOutput: io.Discard, NoLastResort: true})
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = eng.Shutdown(ctx)
	}()
	h, err := eng.NewHandler("discard", actors.NewStream(io.Discard), actors.HandlerOptions{})
	if err != nil {
		b.Fatal(err)
	}
	eng.Logger("").AddHandler(h)
	r := testRecord(3)
	r.AddAttrs(slog.String("path", "/api/v1/users"), slog.Int("status", 200), slog.Float64("latency_ms", 12.345), slog.Bool("cached", true))
	payload := record.AppendMsgpack(nil, &r)
	rt := router{eng: eng, budget: 10}
	cache := loggers{}
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	for b.Loop() {
		rec, _, err := decodePayload(payload)
		if err != nil {
			b.Fatal(err)
		}
		rt.handle(cache, nil, &rec)
	}
}
