//go:build linux

package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/rs/zerolog"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// BenchmarkProducerParallelCPU is BenchmarkProducerParallel measured end to
// end: the records still queued when the producers stop are written inside
// the timed part, and cpu-ns/record is the process's CPU time (producers and
// handler actor together) per record. On a machine whose cores the
// producers keep busy, throughput is cores / cpu-ns/record, whatever the
// overlap.
func BenchmarkProducerParallelCPU(b *testing.B) {
	rows := []struct {
		name  string
		setup func(b *testing.B) producer
	}{
		{"actorlog-null", func(b *testing.B) producer { return actorlogNative(b, actors.Null{}, nil) }},
		{"actorlog-json", func(b *testing.B) producer {
			return actorlogNative(b, actors.NewStream(io.Discard), format.NewJSON(format.JSONOptions{}))
		}},
		{"zerolog", func(*testing.B) producer {
			l := zerolog.New(io.Discard).Level(zerolog.InfoLevel).With().Timestamp().Logger()
			return syncProducer(logZerolog(l))
		}},
	}
	for _, row := range rows {
		b.Run(row.name, func(b *testing.B) {
			p := row.setup(b)
			b.ReportAllocs()
			b.ResetTimer()
			start := cpuTime()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					p.log()
				}
			})
			p.check()
			b.StopTimer()
			reportCPU(b, start)
		})
	}
}

// gateSink holds every WriteBatch until open is closed: the handler's
// mailbox fills up behind it.
type gateSink struct{ open chan struct{} }

func (s gateSink) WriteBatch(b *actors.Batch) (int, error) {
	<-s.open
	return b.Len(), nil
}

func (gateSink) Close() error { return nil }

// BenchmarkRingMemory is what 20 handlers with default mailboxes cost when
// every one is full (Capacity records queued behind a batch the sink holds,
// the ring grown to its most): ring-bytes/handler is slot size x slots
// (Capacity + MaxBatch), from the types;
// heap-MiB/20-handlers and rss-MiB/20-handlers are measured, from before
// the handlers were made to when their mailboxes are full (the records are
// distinct, as from loggers of their own; each one is held in each ring it
// reaches). ns/op is the time to post one record to the full set, so that
// a default that saved memory by losing speed would show.
func BenchmarkRingMemory(b *testing.B) {
	const handlers = 20
	slots := mailbox.DefaultCapacity + mailbox.DefaultMaxBatch
	ringBytes := float64(unsafe.Sizeof(record.Record{})) * float64(slots)
	for range b.N {
		b.StopTimer()
		runtime.GC()
		heap0, rss0 := heapInUse(), rss()
		eng := engine.New(engine.Options{ErrorOutput: io.Discard, NoLastResort: true})
		open := make(chan struct{})
		loggers := make([]*engine.Logger, handlers)
		for i := range handlers {
			// DropNewest: the first batch out may be shorter than MaxBatch,
			// and a full mailbox must not block this loop.
			o := actors.HandlerOptions{Mailbox: mailbox.Options{Overflow: mailbox.DropNewest}}
			h, err := eng.NewHandler(fmt.Sprint("h", i), gateSink{open}, o)
			if err != nil {
				b.Fatal(err)
			}
			loggers[i] = eng.Logger(fmt.Sprint("l", i))
			loggers[i].AddHandler(h)
			loggers[i].SetPropagate(false)
			loggers[i].SetLevel(record.LevelInfo)
		}
		b.StartTimer()
		for _, l := range loggers {
			log := logActorlog(l)
			for range slots {
				log()
			}
		}
		b.StopTimer()
		runtime.GC()
		heap, res := heapInUse()-heap0, rss()-rss0
		for _, h := range eng.Stats().Handlers {
			if h.Depth < mailbox.DefaultCapacity {
				b.Fatalf("handler %s holds %d records, want at least %d", h.Name, h.Depth, mailbox.DefaultCapacity)
			}
		}
		close(open)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if err := eng.Shutdown(ctx); err != nil {
			b.Fatal(err)
		}
		cancel()
		b.ReportMetric(ringBytes, "ring-bytes/handler")
		b.ReportMetric(float64(heap)/(1<<20), "heap-MiB/20-handlers")
		b.ReportMetric(float64(res)/(1<<20), "rss-MiB/20-handlers")
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*handlers*slots), "ns/record")
}

func heapInUse() int64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapInuse)
}

// rss is the process's resident set, in bytes, from /proc/self/statm.
func rss() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0
	}
	var pages int64
	_, _ = fmt.Sscan(string(f[1]), &pages)
	return pages * int64(os.Getpagesize())
}

// openingSink holds its first WriteBatch until open is closed, then writes
// every batch to next.
type openingSink struct {
	open chan struct{}
	next actors.Sink
}

func (s openingSink) WriteBatch(b *actors.Batch) (int, error) {
	<-s.open
	return s.next.WriteBatch(b)
}

func (s openingSink) Close() error { return s.next.Close() }

// BenchmarkActorFormat is one handler actor's side alone: 32768 records
// wait in its mailbox, then the timer runs while the actor formats them
// (JSON) and writes them to io.Discard in batches of 1024. Run it with
// -cpu 1,2,... : the actor formats a batch in one part per processor, so
// ns/op (a record) falls with the processors while producers are idle.
func BenchmarkActorFormat(b *testing.B) {
	const queued = 8192
	for range b.N / queued {
		b.StopTimer()
		open := make(chan struct{})
		sink := openingSink{open: open, next: actors.NewStream(io.Discard)}
		o := actors.HandlerOptions{Formatter: format.NewJSON(format.JSONOptions{}), Mailbox: mailbox.Options{Capacity: queued}}
		eng, l := newActorlogWith(b, sink, o)
		log := logActorlog(l)
		for range queued {
			log()
		}
		b.StartTimer()
		close(open)
		drainActorlog(b, eng)
	}
	b.StopTimer()
	if n := b.N / queued * queued; n > 0 {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/record")
	}
}
