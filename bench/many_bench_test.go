package bench

import (
	"bufio"
	"fmt"
	"log/slog"
	"sync"
	"testing"

	"github.com/rs/zerolog"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/record"
)

// lockedWriter is how zerolog users share one buffered file between
// goroutines: zerolog writes each event with one Write, under one mutex.
type lockedWriter struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *lockedWriter) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Flush()
}

// inGoroutines runs log b.N times in all, spread over g goroutines started
// together, then flush; timed from the start to the end of flush, as
// records/s, and cpu-ns/record (the process's CPU time, every goroutine:
// the wall time swings with the machine's load, the CPU time much less).
func inGoroutines(b *testing.B, g int, log func(), flush func()) {
	b.ReportAllocs()
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range g {
		n := b.N / g
		if i < b.N%g {
			n++
		}
		wg.Go(func() {
			<-start
			for range n {
				log()
			}
		})
	}
	b.ResetTimer()
	cpu := cpuTime()
	close(start)
	wg.Wait()
	flush()
	b.StopTimer()
	reportCPU(b, cpu)
	recordsPerSecond(b)
}

func logActorlog(l *engine.Logger) func() {
	return func() {
		l.Log(record.LevelInfo, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
			slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
	}
}

func logZerolog(l zerolog.Logger) func() {
	return func() {
		l.Info().Str(kPath, vPath).Int(kStatus, vStatus).
			Float64(kLatency, vLatency).Bool(kCached, vCached).Msg(msg)
	}
}

// BenchmarkFileParallel is end to end with many producers: b.N records from
// 8 or 64 goroutines into one file, flushed, as records/s. actorlog: one
// File handler with the JSON formatter; zerolog: one logger over a 64 KiB
// bufio.Writer behind a mutex.
func BenchmarkFileParallel(b *testing.B) {
	for _, g := range []int{8, 64} {
		b.Run(fmt.Sprintf("actorlog/goroutines=%d", g), func(b *testing.B) {
			eng, l := newActorlog(b, newFileSink(b), format.NewJSON(format.JSONOptions{}))
			inGoroutines(b, g, logActorlog(l), func() { flushActorlog(b, eng, b.N) })
		})
		b.Run(fmt.Sprintf("zerolog-mutex/goroutines=%d", g), func(b *testing.B) {
			w := &lockedWriter{w: bufio.NewWriterSize(createFile(b, "zerolog.log"), bufSize)}
			l := zerolog.New(w).Level(zerolog.InfoLevel).With().Timestamp().Logger()
			inGoroutines(b, g, logZerolog(l), func() { mustNil(b, w.Flush()) })
		})
	}
}

// BenchmarkFanOut is end to end with one record reaching three files: one
// actorlog logger with three File handlers (JSON) against three zerolog
// loggers, each over its own 64 KiB bufio.Writer, called in turn.
func BenchmarkFanOut(b *testing.B) {
	b.Run("actorlog-3-handlers", func(b *testing.B) {
		json := actors.HandlerOptions{Formatter: format.NewJSON(format.JSONOptions{})}
		eng, root := newActorlogWith(b, newFileSink(b), json) // the handler "bench"
		names := []string{"bench", "second", "third"}
		for _, name := range names[1:] {
			h, err := eng.NewHandler(name, newFileSink(b), json)
			if err != nil {
				b.Fatal(err)
			}
			root.AddHandler(h)
		}
		runFile(b, logActorlog(root), func() {
			flushActorlog(b, eng, b.N)
			for _, name := range names[1:] {
				if s, _ := eng.Stats().ForHandler(name); s.Written != uint64(b.N) {
					b.Fatalf("%s wrote %d of %d", name, s.Written, b.N)
				}
			}
		})
	})
	b.Run("zerolog-3-loggers", func(b *testing.B) {
		var ws [3]*bufio.Writer
		var logs [3]func()
		for i := range ws {
			ws[i] = bufio.NewWriterSize(createFile(b, fmt.Sprintf("zerolog%d.log", i)), bufSize)
			logs[i] = logZerolog(zerolog.New(ws[i]).Level(zerolog.InfoLevel).With().Timestamp().Logger())
		}
		runFile(b, func() {
			for _, log := range logs {
				log()
			}
		}, func() {
			for _, w := range ws {
				mustNil(b, w.Flush())
			}
		})
	})
}
