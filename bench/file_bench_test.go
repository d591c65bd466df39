package bench

import (
	"bufio"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"gopkg.in/natefinch/lumberjack.v2"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/file"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/record"
)

const (
	bufSize     = 64 << 10 // the buffer in front of the file for the synchronous loggers
	maxBytes    = 10 << 20 // rollover size (lumberjack counts MaxSize in MiB)
	backupCount = 3
)

// createFile creates a fresh log file in the benchmark's temporary directory
// and closes it at the end.
func createFile(b *testing.B, name string) *os.File {
	b.Helper()
	f, err := os.Create(filepath.Join(b.TempDir(), name))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = f.Close() })
	return f
}

// runFile times b.N calls of log followed by one flush, and reports
// records/s and cpu-ns/record, the process's CPU time (user + system, every
// goroutine: the caller, a handler actor, the runtime) per record. Setup
// is not timed.
func runFile(b *testing.B, log func(), flush func()) {
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for range b.N {
		log()
	}
	flush()
	b.StopTimer()
	reportCPU(b, cpu)
	recordsPerSecond(b)
}

// actorlogFile logs b.N records through the engine into sink with the JSON
// formatter; the engine's Flush (every record written to the file) ends the
// timed part.
func actorlogFile(b *testing.B, sink actors.Sink, viaSlog bool) {
	eng, l := newActorlog(b, sink, format.NewJSON(format.JSONOptions{}))
	log := func() {
		l.Log(record.LevelInfo, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
			slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
	}
	if viaSlog {
		sl := slog.New(eng.SlogHandler(""))
		ctx := context.Background()
		log = func() {
			sl.LogAttrs(ctx, slog.LevelInfo, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
				slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
		}
	}
	runFile(b, log, func() { flushActorlog(b, eng, b.N) })
}

func newFileSink(b *testing.B) *file.File {
	f, err := file.New(file.Options{Filename: filepath.Join(b.TempDir(), "actorlog.log")})
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// BenchmarkFile is end to end: b.N records from one goroutine into a file,
// flushed, as records/s.
func BenchmarkFile(b *testing.B) {
	b.Run("actorlog", func(b *testing.B) {
		actorlogFile(b, newFileSink(b), false)
	})
	b.Run("actorlog-slog", func(b *testing.B) {
		actorlogFile(b, newFileSink(b), true)
	})
	b.Run("zerolog-bufio", func(b *testing.B) {
		w := bufio.NewWriterSize(createFile(b, "zerolog.log"), bufSize)
		l := zerolog.New(w).Level(zerolog.InfoLevel).With().Timestamp().Logger()
		runFile(b, func() {
			l.Info().Str(kPath, vPath).Int(kStatus, vStatus).
				Float64(kLatency, vLatency).Bool(kCached, vCached).Msg(msg)
		}, func() { mustNil(b, w.Flush()) })
	})
	b.Run("zap-buffered", func(b *testing.B) {
		ws := &zapcore.BufferedWriteSyncer{WS: zapcore.AddSync(writerOnly{createFile(b, "zap.log")}), Size: bufSize}
		b.Cleanup(func() { mustNil(b, ws.Stop()) })
		l := newZap(ws, zapcore.InfoLevel)
		runFile(b, func() {
			l.Info(msg, zap.String(kPath, vPath), zap.Int(kStatus, vStatus),
				zap.Float64(kLatency, vLatency), zap.Bool(kCached, vCached))
		}, func() { mustNil(b, l.Sync()) })
	})
	b.Run("slog-json-bufio", func(b *testing.B) {
		w := bufio.NewWriterSize(createFile(b, "slog.log"), bufSize)
		l := slog.New(slog.NewJSONHandler(w, nil))
		ctx := context.Background()
		runFile(b, func() {
			l.LogAttrs(ctx, slog.LevelInfo, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
				slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
		}, func() { mustNil(b, w.Flush()) })
	})
	b.Run("chan", func(b *testing.B) {
		l := NewChanLogger(createFile(b, "chan.log"), ChanOptions{BufferSize: bufSize})
		b.Cleanup(func() { mustNil(b, l.Close()) })
		runFile(b, func() {
			l.Log(slog.LevelInfo, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
				slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
		}, l.Flush)
	})
}

// BenchmarkRotate is end to end into a file that rolls over at 10 MiB and
// keeps 3 backups.
func BenchmarkRotate(b *testing.B) {
	b.Run("actorlog-rotating", func(b *testing.B) {
		r, err := file.NewRotating(file.RotatingOptions{
			Options:  file.Options{Filename: filepath.Join(b.TempDir(), "actorlog.log")},
			MaxBytes: maxBytes, BackupCount: backupCount,
		})
		if err != nil {
			b.Fatal(err)
		}
		actorlogFile(b, r, false)
	})
	b.Run("actorlog-file", func(b *testing.B) {
		actorlogFile(b, newFileSink(b), false)
	})
	// lumberjack as its README and zap's FAQ use it: one write(2) per record.
	b.Run("zap-lumberjack", func(b *testing.B) {
		lj := newLumberjack(b)
		l := newZap(zapcore.AddSync(lj), zapcore.InfoLevel)
		runFile(b, func() {
			l.Info(msg, zap.String(kPath, vPath), zap.Int(kStatus, vStatus),
				zap.Float64(kLatency, vLatency), zap.Bool(kCached, vCached))
		}, func() { mustNil(b, l.Sync()) })
	})
	// The same with zap's 64 KiB buffer in front of lumberjack.
	b.Run("zap-buffered-lumberjack", func(b *testing.B) {
		ws := &zapcore.BufferedWriteSyncer{WS: zapcore.AddSync(newLumberjack(b)), Size: bufSize}
		b.Cleanup(func() { mustNil(b, ws.Stop()) })
		l := newZap(ws, zapcore.InfoLevel)
		runFile(b, func() {
			l.Info(msg, zap.String(kPath, vPath), zap.Int(kStatus, vStatus),
				zap.Float64(kLatency, vLatency), zap.Bool(kCached, vCached))
		}, func() { mustNil(b, l.Sync()) })
	})
}

func newLumberjack(b *testing.B) *lumberjack.Logger {
	lj := &lumberjack.Logger{
		Filename:   filepath.Join(b.TempDir(), "zap.log"),
		MaxSize:    maxBytes >> 20,
		MaxBackups: backupCount,
	}
	b.Cleanup(func() { mustNil(b, lj.Close()) })
	return lj
}

func mustNil(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
