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
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/record"
)

// producer is one logger set up for a producer benchmark: log is the timed
// call; drain waits until what was logged is written (nothing to do for the
// synchronous loggers); check runs once, untimed, at the end.
type producer struct {
	log, drain, check func()
}

func syncProducer(log func()) producer { return producer{log: log, drain: func() {}, check: func() {}} }

// producers are the loggers of the producer benchmarks, each writing the
// same record to a sink that discards. The actorlog and chan rows
// hand the record to another goroutine, so their ns/op is the caller's
// cost; the others format on the caller.
var producers = []struct {
	name  string
	setup func(b *testing.B) producer
}{
	{"actorlog-null", func(b *testing.B) producer {
		return actorlogNative(b, actors.Null{}, nil)
	}},
	{"actorlog-json", func(b *testing.B) producer {
		return actorlogNative(b, actors.NewStream(io.Discard), format.NewJSON(format.JSONOptions{}))
	}},
	{"actorlog-slog-null", func(b *testing.B) producer {
		return actorlogSlog(b, actors.Null{}, nil)
	}},
	{"actorlog-slog-json", func(b *testing.B) producer {
		return actorlogSlog(b, actors.NewStream(io.Discard), format.NewJSON(format.JSONOptions{}))
	}},
	{"zap", func(*testing.B) producer {
		l := newZap(zapcore.AddSync(io.Discard), zapcore.InfoLevel)
		return syncProducer(func() {
			l.Info(msg, zap.String(kPath, vPath), zap.Int(kStatus, vStatus),
				zap.Float64(kLatency, vLatency), zap.Bool(kCached, vCached))
		})
	}},
	{"zerolog", func(*testing.B) producer {
		l := zerolog.New(io.Discard).Level(zerolog.InfoLevel).With().Timestamp().Logger()
		return syncProducer(func() {
			l.Info().Str(kPath, vPath).Int(kStatus, vStatus).
				Float64(kLatency, vLatency).Bool(kCached, vCached).Msg(msg)
		})
	}},
	{"slog-json", func(*testing.B) producer {
		l := slog.New(slog.NewJSONHandler(io.Discard, nil))
		ctx := context.Background()
		return syncProducer(func() {
			l.LogAttrs(ctx, slog.LevelInfo, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
				slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
		})
	}},
	{"chan", func(b *testing.B) producer {
		l := NewChanLogger(io.Discard, ChanOptions{})
		b.Cleanup(func() {
			if err := l.Close(); err != nil {
				b.Error(err)
			}
		})
		return producer{log: func() {
			l.Log(slog.LevelInfo, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
				slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
		}, drain: l.Flush, check: l.Flush}
	}},
}

func actorlogNative(b *testing.B, sink actors.Sink, f format.Formatter) producer {
	eng, l := newActorlog(b, sink, f)
	return producer{log: func() {
		l.Log(record.LevelInfo, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
			slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
	}, drain: func() { drainActorlog(b, eng) }, check: func() { flushActorlog(b, eng, b.N) }}
}

func actorlogSlog(b *testing.B, sink actors.Sink, f format.Formatter) producer {
	eng, _ := newActorlog(b, sink, f)
	l := slog.New(eng.SlogHandler(""))
	ctx := context.Background()
	return producer{log: func() {
		l.LogAttrs(ctx, slog.LevelInfo, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
			slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
	}, drain: func() { drainActorlog(b, eng) }, check: func() { flushActorlog(b, eng, b.N) }}
}

// BenchmarkProducer is the caller's cost of one record, one goroutine.
// For the asynchronous loggers the records still queued when the loop ends
// (at most a mailbox or channel of 8192) are written after the timer stops.
func BenchmarkProducer(b *testing.B) {
	for _, p := range producers {
		b.Run(p.name, func(b *testing.B) {
			p := p.setup(b)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				p.log()
			}
			b.StopTimer()
			p.check()
		})
	}
}

// BenchmarkProducerParallel is BenchmarkProducer with b.RunParallel: one
// goroutine per P (2 on the reference machine) logging at once.
func BenchmarkProducerParallel(b *testing.B) {
	for _, p := range producers {
		b.Run(p.name, func(b *testing.B) {
			p := p.setup(b)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					p.log()
				}
			})
			b.StopTimer()
			p.check()
		})
	}
}

// burst is how many records BenchmarkProducerBurst logs between pauses:
// half of actorlog's default mailbox (and of ChanLogger's channel).
const burst = 4096

// BenchmarkProducerBurst is the caller's cost when the consumer keeps up:
// records come in bursts of 4096 and, with the timer stopped, each burst is
// written out before the next (flush for the asynchronous loggers; nothing to
// wait for with the synchronous ones). A sustained stream faster than the
// consumer instead blocks the caller at the consumer's pace, which is what
// BenchmarkProducer shows for the JSON rows.
func BenchmarkProducerBurst(b *testing.B) {
	for _, p := range producers {
		b.Run(p.name, func(b *testing.B) {
			p := p.setup(b)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				p.log()
				if i%burst == burst-1 {
					b.StopTimer()
					p.drain()
					b.StartTimer()
				}
			}
			b.StopTimer()
			p.check()
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
		l := slog.New(eng.SlogHandler(""))
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
