package actors_test

import (
	"testing"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/record"
)

// nopTarget takes every record and keeps nothing.
type nopTarget struct{ level record.Level }

func (nopTarget) Name() string               { return "nop" }
func (t nopTarget) Level() record.Level      { return t.level }
func (nopTarget) Post(r *record.Record) bool { return true }

// batchOfN is a batch of n records of 40 bytes of text each.
func batchOfN(n int, level record.Level) *actors.Batch {
	b := &actors.Batch{}
	text := []byte("app -> WARNING: a message of some length")
	for range n {
		b.Buf = append(b.Buf, text...)
		b.Ends = append(b.Ends, len(b.Buf))
		b.Records = append(b.Records, &record.Record{Level: level, Logger: "app", Message: "a message of some length"})
	}
	return b
}

// Memory buffers by copying records into a slice it reuses: no allocation
// once the buffer has grown, flushes included.
func TestMemoryWriteBatchAllocs(t *testing.T) {
	if actors.RaceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	m, _ := actors.NewMemory(actors.MemoryOptions{Capacity: 64})
	m.SetTarget(nopTarget{})
	b := batchOfN(16, record.LevelDebug)
	m.WriteBatch(b) // grow the buffer
	for range 8 {
		m.WriteBatch(b)
	}
	if n := testing.AllocsPerRun(100, func() { m.WriteBatch(b) }); n != 0 {
		t.Errorf("%v allocations per batch of 16, want 0", n)
	}
}

// Queue prepares each record with its text as the message: one string per
// record, nothing else.
func TestQueueWriteBatchAllocs(t *testing.T) {
	if actors.RaceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	q, _ := actors.NewQueue(actors.QueueOptions{RespectHandlerLevel: true})
	q.SetTargets([]actors.Target{nopTarget{}, nopTarget{level: record.LevelError}})
	b := batchOfN(16, record.LevelWarning)
	if n := testing.AllocsPerRun(100, func() { q.WriteBatch(b) }); n > 16 {
		t.Errorf("%v allocations per batch of 16, want at most 16", n)
	}
}

func BenchmarkMemoryWriteBatch(b *testing.B) {
	m, _ := actors.NewMemory(actors.MemoryOptions{Capacity: 1000})
	m.SetTarget(nopTarget{})
	bt := batchOfN(64, record.LevelDebug)
	b.ReportAllocs()
	for b.Loop() {
		m.WriteBatch(bt)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*64), "ns/record")
}

func BenchmarkQueueWriteBatch(b *testing.B) {
	q, _ := actors.NewQueue(actors.QueueOptions{})
	q.SetTargets([]actors.Target{nopTarget{}})
	bt := batchOfN(64, record.LevelWarning)
	b.ReportAllocs()
	for b.Loop() {
		q.WriteBatch(bt)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*64), "ns/record")
}
