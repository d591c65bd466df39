package bench

import (
	"context"
	"io"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/record"
)

// The one record every benchmark logs: a message and four attributes.
const (
	msg      = "request handled"
	kPath    = "path"
	vPath    = "/api/v1/users"
	kStatus  = "status"
	vStatus  = 200
	kLatency = "latency_ms"
	vLatency = 12.345
	kCached  = "cached"
	vCached  = true
)

// newActorlog starts an engine whose root logger, at INFO, has one handler
// writing to sink with formatter f (nil: the message alone). Shutdown runs
// at the end of the benchmark.
func newActorlog(tb testing.TB, sink actors.Sink, f format.Formatter) (*engine.Engine, *engine.Logger) {
	tb.Helper()
	return newActorlogWith(tb, sink, actors.HandlerOptions{Formatter: f})
}

// newActorlogWith is newActorlog with the handler's options given whole.
func newActorlogWith(tb testing.TB, sink actors.Sink, o actors.HandlerOptions) (*engine.Engine, *engine.Logger) {
	tb.Helper()
	eng := engine.New(engine.Options{ErrorOutput: io.Discard, NoLastResort: true})
	h, err := eng.NewHandler("bench", sink, o)
	if err != nil {
		tb.Fatal(err)
	}
	root := eng.Logger("")
	root.AddHandler(h)
	root.SetLevel(record.LevelInfo)
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := eng.Shutdown(ctx); err != nil {
			tb.Error(err)
		}
	})
	return eng, root
}

// drainActorlog waits until every record logged so far is written.
func drainActorlog(tb testing.TB, eng *engine.Engine) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := eng.Flush(ctx); err != nil {
		tb.Fatal(err)
	}
}

// flushActorlog waits for the handler and checks that it wrote exactly n
// records and dropped none: a benchmark that lost records would be fast for
// the wrong reason.
func flushActorlog(tb testing.TB, eng *engine.Engine, n int) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := eng.Flush(ctx); err != nil {
		tb.Fatal(err)
	}
	s, _ := eng.Stats().ForHandler("bench")
	if s.Written != uint64(n) || s.DroppedTotal() != 0 || s.Errors != 0 {
		tb.Fatalf("handler wrote %d of %d records, dropped %v, %d errors", s.Written, n, s.Dropped, s.Errors)
	}
}

// zapEncoder is zap's production JSON encoder configuration with one change:
// RFC 3339 timestamps with nanoseconds, as every other logger here writes
// (production's default is float epoch seconds).
func zapEncoder() zapcore.Encoder {
	cfg := zap.NewProductionEncoderConfig()
	cfg.EncodeTime = zapcore.RFC3339NanoTimeEncoder
	return zapcore.NewJSONEncoder(cfg)
}

func newZap(ws zapcore.WriteSyncer, level zapcore.Level) *zap.Logger {
	return zap.New(zapcore.NewCore(zapEncoder(), ws, level))
}

// writerOnly hides an *os.File's Sync from zapcore.AddSync, so that zap's
// Sync flushes its buffer without an fsync, as the others do.
type writerOnly struct{ w io.Writer }

func (w writerOnly) Write(p []byte) (int, error) { return w.w.Write(p) }

func recordsPerSecond(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
