package bench

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/rs/zerolog"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine/format"
	"github.com/actorlog/actorlog/engine/record"
)

// producers are the loggers of the producer benchmarks, each writing the
// same record to a sink that discards. setup returns the logging call and a
// check run (untimed) once the benchmark ends. The actorlog and chan rows
// hand the record to another goroutine, so their ns/op is the caller's
// cost; the others format on the caller.
var producers = []struct {
	name  string
	setup func(b *testing.B) (log func(), check func())
}{
	{"actorlog-null", func(b *testing.B) (func(), func()) {
		return actorlogNative(b, actors.Null{}, nil)
	}},
	{"actorlog-json", func(b *testing.B) (func(), func()) {
		return actorlogNative(b, actors.NewStream(io.Discard), format.NewJSON(format.JSONOptions{}))
	}},
	{"actorlog-slog-null", func(b *testing.B) (func(), func()) {
		return actorlogSlog(b, actors.Null{}, nil)
	}},
	{"actorlog-slog-json", func(b *testing.B) (func(), func()) {
		return actorlogSlog(b, actors.NewStream(io.Discard), format.NewJSON(format.JSONOptions{}))
	}},
	{"zap", func(*testing.B) (func(), func()) {
		l := newZap(zapcore.AddSync(io.Discard), zapcore.InfoLevel)
		return func() {
			l.Info(msg, zap.String(kPath, vPath), zap.Int(kStatus, vStatus),
				zap.Float64(kLatency, vLatency), zap.Bool(kCached, vCached))
		}, func() {}
	}},
	{"zerolog", func(*testing.B) (func(), func()) {
		l := zerolog.New(io.Discard).Level(zerolog.InfoLevel).With().Timestamp().Logger()
		return func() {
			l.Info().Str(kPath, vPath).Int(kStatus, vStatus).
				Float64(kLatency, vLatency).Bool(kCached, vCached).Msg(msg)
		}, func() {}
	}},
	{"slog-json", func(*testing.B) (func(), func()) {
		l := slog.New(slog.NewJSONHandler(io.Discard, nil))
		ctx := context.Background()
		return func() {
			l.LogAttrs(ctx, slog.LevelInfo, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
				slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
		}, func() {}
	}},
	{"chan", func(b *testing.B) (func(), func()) {
		l := NewChanLogger(io.Discard, ChanOptions{})
		b.Cleanup(func() {
			if err := l.Close(); err != nil {
				b.Error(err)
			}
		})
		return func() {
			l.Log(slog.LevelInfo, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
				slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
		}, l.Flush
	}},
}

func actorlogNative(b *testing.B, sink actors.Sink, f format.Formatter) (func(), func()) {
	eng, l := newActorlog(b, sink, f)
	return func() {
		l.Log(record.LevelInfo, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
			slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
	}, func() { flushActorlog(b, eng, b.N) }
}

func actorlogSlog(b *testing.B, sink actors.Sink, f format.Formatter) (func(), func()) {
	eng, _ := newActorlog(b, sink, f)
	l := slog.New(eng.Handler(""))
	ctx := context.Background()
	return func() {
		l.LogAttrs(ctx, slog.LevelInfo, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
			slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
	}, func() { flushActorlog(b, eng, b.N) }
}

// BenchmarkProducer is the caller's cost of one record, one goroutine.
// For the asynchronous loggers the records still queued when the loop ends
// (at most a mailbox or channel of 8192) are written after the timer stops.
func BenchmarkProducer(b *testing.B) {
	for _, p := range producers {
		b.Run(p.name, func(b *testing.B) {
			log, check := p.setup(b)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				log()
			}
			b.StopTimer()
			check()
		})
	}
}

// BenchmarkProducerParallel is BenchmarkProducer with b.RunParallel: one
// goroutine per P (2 on the reference machine) logging at once.
func BenchmarkProducerParallel(b *testing.B) {
	for _, p := range producers {
		b.Run(p.name, func(b *testing.B) {
			log, check := p.setup(b)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					log()
				}
			})
			b.StopTimer()
			check()
		})
	}
}

// BenchmarkDisabled is a call at a level below the logger's (DEBUG under
// INFO), attributes included as the caller writes them.
func BenchmarkDisabled(b *testing.B) {
	ctx := context.Background()
	b.Run("actorlog", func(b *testing.B) {
		_, l := newActorlog(b, actors.Null{}, nil)
		b.ReportAllocs()
		for range b.N {
			l.Log(record.LevelDebug, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
				slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
		}
	})
	b.Run("actorlog-slog", func(b *testing.B) {
		eng, _ := newActorlog(b, actors.Null{}, nil)
		l := slog.New(eng.Handler(""))
		b.ReportAllocs()
		for range b.N {
			l.LogAttrs(ctx, slog.LevelDebug, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
				slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
		}
	})
	b.Run("zap", func(b *testing.B) {
		l := newZap(zapcore.AddSync(io.Discard), zapcore.InfoLevel)
		b.ReportAllocs()
		for range b.N {
			l.Debug(msg, zap.String(kPath, vPath), zap.Int(kStatus, vStatus),
				zap.Float64(kLatency, vLatency), zap.Bool(kCached, vCached))
		}
	})
	b.Run("zerolog", func(b *testing.B) {
		l := zerolog.New(io.Discard).Level(zerolog.InfoLevel).With().Timestamp().Logger()
		b.ReportAllocs()
		for range b.N {
			l.Debug().Str(kPath, vPath).Int(kStatus, vStatus).
				Float64(kLatency, vLatency).Bool(kCached, vCached).Msg(msg)
		}
	})
	b.Run("slog-json", func(b *testing.B) {
		l := slog.New(slog.NewJSONHandler(io.Discard, nil))
		b.ReportAllocs()
		for range b.N {
			l.LogAttrs(ctx, slog.LevelDebug, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
				slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
		}
	})
}
