package engine

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// benchEngine has one Null handler (so the actor costs nothing) on logger
// "app" at INFO.
func benchEngine(b *testing.B) (*Engine, *Logger) {
	e := New(Options{ErrorOutput: io.Discard})
	b.Cleanup(func() { _ = e.Shutdown(context.Background()) })
	h, err := e.NewHandler("null", actors.Null{}, actors.HandlerOptions{Mailbox: mailbox.Options{Capacity: 1 << 14}})
	if err != nil {
		b.Fatal(err)
	}
	l := e.Logger("app")
	l.SetLevel(record.LevelInfo)
	l.AddHandler(h)
	return e, l
}

// BenchmarkLog is the caller's cost of a record with a message and four
// attributes, natively, through slog, and at a disabled level.
func BenchmarkLog(b *testing.B) {
	b.Run("native", func(b *testing.B) {
		_, l := benchEngine(b)
		b.ReportAllocs()
		for b.Loop() {
			l.Log(record.LevelInfo, "request done", slog.String("user", "ann"), slog.Int("status", 200), slog.Float64("ms", 1.5), slog.Bool("cached", true))
		}
	})
	b.Run("native-caller", func(b *testing.B) {
		// A handler whose format writes the caller: Log captures it.
		e, l := benchEngine(b)
		h, err := e.NewHandler("caller", actors.Null{}, actors.HandlerOptions{
			Formatter: format.MustPython("%(filename)s:%(lineno)d %(message)s", format.PythonOptions{}),
			Mailbox:   mailbox.Options{Capacity: 1 << 14},
		})
		if err != nil {
			b.Fatal(err)
		}
		l.AddHandler(h)
		b.ReportAllocs()
		for b.Loop() {
			l.Log(record.LevelInfo, "request done", slog.String("user", "ann"), slog.Int("status", 200), slog.Float64("ms", 1.5), slog.Bool("cached", true))
		}
	})
	b.Run("slog", func(b *testing.B) {
		e, _ := benchEngine(b)
		sl := slog.New(e.SlogHandler("app"))
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			sl.LogAttrs(ctx, slog.LevelInfo, "request done", slog.String("user", "ann"), slog.Int("status", 200), slog.Float64("ms", 1.5), slog.Bool("cached", true))
		}
	})
	b.Run("disabled-native", func(b *testing.B) {
		_, l := benchEngine(b)
		b.ReportAllocs()
		for b.Loop() {
			l.Log(record.LevelDebug, "request done", slog.String("user", "ann"), slog.Int("status", 200), slog.Float64("ms", 1.5), slog.Bool("cached", true))
		}
	})
	b.Run("disabled-guarded", func(b *testing.B) {
		_, l := benchEngine(b)
		b.ReportAllocs()
		for b.Loop() {
			if l.Enabled(record.LevelDebug) {
				l.Log(record.LevelDebug, "request done", slog.String("user", "ann"), slog.Int("status", 200), slog.Float64("ms", 1.5), slog.Bool("cached", true))
			}
		}
	})
	b.Run("disabled-slog", func(b *testing.B) {
		e, _ := benchEngine(b)
		sl := slog.New(e.SlogHandler("app"))
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			sl.LogAttrs(ctx, slog.LevelDebug, "request done", slog.String("user", "ann"), slog.Int("status", 200), slog.Float64("ms", 1.5), slog.Bool("cached", true))
		}
	})
}

// BenchmarkTrackerHandle is a receiver's hand-off of decoded records, 200
// to a read (ns/op is a record): Tracker.Handle for each, against one
// Tracker.HandleBatch for the 200.
func BenchmarkTrackerHandle(b *testing.B) {
	const run = 200
	rs := make([]record.Record, run)
	for i := range rs {
		rs[i] = record.Record{Logger: "app", Level: record.LevelInfo, Message: "request done"}
		rs[i].AddAttrs(slog.String("user", "ann"), slog.Int("status", 200), slog.Float64("ms", 1.5), slog.Bool("cached", true))
	}
	for _, batch := range []bool{false, true} {
		b.Run(map[bool]string{false: "each", true: "batch"}[batch], func(b *testing.B) {
			e, l := benchEngine(b)
			tr := e.NewTracker()
			b.ReportAllocs()
			for i := 0; i < b.N; i += run {
				if batch {
					tr.HandleBatch(l, rs)
				} else {
					for k := range rs {
						tr.Handle(l, &rs[k])
					}
				}
				if i%(run*50) == 0 {
					<-tr.Settle()
				}
			}
		})
	}
}
