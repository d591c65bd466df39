package file

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/clock"
)

// The benchmarks write batches of 128 records of about 100 bytes, as a
// handler actor hands them over, and report records/s; allocs/op is 0 in
// steady state (a rollover allocates a few names).

func benchSink(b *testing.B, s actors.Sink) {
	b.Helper()
	batch := benchBatch(128)
	b.SetBytes(int64(len(batch.Buf)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if n, err := s.WriteBatch(batch); err != nil || n != batch.Len() {
			b.Fatal(n, err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*batch.Len())/b.Elapsed().Seconds(), "records/s")
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkFileWriteBatch(b *testing.B) {
	f, err := New(Options{Filename: filepath.Join(b.TempDir(), "f.log")})
	if err != nil {
		b.Fatal(err)
	}
	benchSink(b, f)
}

func BenchmarkWatchedWriteBatch(b *testing.B) {
	w, err := NewWatched(Options{Filename: filepath.Join(b.TempDir(), "w.log")})
	if err != nil {
		b.Skip(err)
	}
	benchSink(b, w)
}

// BenchmarkRotatingWriteBatch rolls over every 16 MiB, keeping 3 backups.
func BenchmarkRotatingWriteBatch(b *testing.B) {
	r, err := NewRotating(RotatingOptions{Options: Options{Filename: filepath.Join(b.TempDir(), "r.log")}, MaxBytes: 16 << 20, BackupCount: 3})
	if err != nil {
		b.Fatal(err)
	}
	benchSink(b, r)
}

// BenchmarkRotatingSmallLimit rolls over every 64 KiB (every fifth batch),
// so batches are split and characters counted near the limit.
func BenchmarkRotatingSmallLimit(b *testing.B) {
	r, err := NewRotating(RotatingOptions{Options: Options{Filename: filepath.Join(b.TempDir(), "r.log")}, MaxBytes: 64 << 10, BackupCount: 3})
	if err != nil {
		b.Fatal(err)
	}
	benchSink(b, r)
}

func BenchmarkTimedRotatingWriteBatch(b *testing.B) {
	clk := clock.NewFake(time.Unix(1700000000, 0))
	tr, err := NewTimedRotating(TimedOptions{Options: Options{Filename: filepath.Join(b.TempDir(), "t.log"), Delay: true}, When: "MIDNIGHT", Clock: clk})
	if err != nil {
		b.Fatal(err)
	}
	benchSink(b, tr)
}
