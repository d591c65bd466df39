package mailbox

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
)

// benchRecord is about the size of a record.Record with its inline
// attributes: the padding is what each Post copies.
type benchRecord struct {
	seq int64
	_   [280]byte
}

func newBenchSystem() *actor.ActorSystem {
	return actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
}

// counter is an actor that counts records until it has seen want of them.
type counter struct {
	seen atomic.Int64
	want int64
	done chan struct{}
}

func (c *counter) add(n int64) {
	if c.seen.Add(n) == c.want {
		close(c.done)
	}
}

func (c *counter) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *Batch[benchRecord]:
		c.add(int64(m.Len()))
		m.Written += m.Len()
		m.Handled()
	case *benchRecord:
		c.add(1)
	}
}

// runProducers splits b.N posts among p goroutines.
func runProducers(b *testing.B, p int, post func(r *benchRecord)) {
	var wg sync.WaitGroup
	per := b.N / p
	for g := 0; g < p; g++ {
		n := per
		if g == p-1 {
			n = b.N - per*(p-1)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var r benchRecord
			for i := 0; i < n; i++ {
				r.seq = int64(i)
				post(&r)
			}
		}()
	}
	wg.Wait()
}

// BenchmarkHandoff compares, end to end (the clock stops when the consumer
// has seen every record), this mailbox in front of a protoactor actor,
// protoactor's default mailbox fed through Root.Send, and a buffered channel
// with one consumer goroutine.
func BenchmarkHandoff(b *testing.B) {
	for _, p := range []int{1, 4} {
		name := map[int]string{1: "1producer", 4: "4producers"}[p]
		b.Run("mailbox/"+name, func(b *testing.B) {
			sys := newBenchSystem()
			m, err := New[benchRecord](Options{Capacity: 8192})
			if err != nil {
				b.Fatal(err)
			}
			c := &counter{want: int64(b.N), done: make(chan struct{})}
			pid := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return c },
				actor.WithMailbox(m.Producer())))
			b.ReportAllocs()
			b.ResetTimer()
			runProducers(b, p, func(r *benchRecord) { m.Post(r) })
			<-c.done
			b.StopTimer()
			_ = sys.Root.StopFuture(pid).Wait()
		})
		b.Run("protoactor-default/"+name, func(b *testing.B) {
			sys := newBenchSystem()
			c := &counter{want: int64(b.N), done: make(chan struct{})}
			pid := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return c }))
			b.ReportAllocs()
			b.ResetTimer()
			// protoactor takes pointers: each record is copied to the heap,
			// as a logger would have to for a record it does not own.
			runProducers(b, p, func(r *benchRecord) { cp := *r; sys.Root.Send(pid, &cp) })
			<-c.done
			b.StopTimer()
			_ = sys.Root.StopFuture(pid).Wait()
		})
		b.Run("chan/"+name, func(b *testing.B) {
			ch := make(chan benchRecord, 8192)
			c := &counter{want: int64(b.N), done: make(chan struct{})}
			go func() {
				for range ch {
					c.add(1)
				}
			}()
			b.ReportAllocs()
			b.ResetTimer()
			runProducers(b, p, func(r *benchRecord) { ch <- *r })
			<-c.done
			b.StopTimer()
			close(ch)
		})
	}
}

// recordSized is the size of a record.Record (360 bytes).
type recordSized struct {
	seq int64
	_   [352]byte
}

// shared is a record stored once for every mailbox it reaches, returned to
// a pool when the last one is done with it.
type shared struct {
	r    recordSized
	refs atomic.Int32
}

var sharedPool = sync.Pool{New: func() any { return new(shared) }}

// BenchmarkHandoffShared is the design this mailbox did not take, measured
// against it with 2 producers and records of a record.Record's size: by
// value (one copy into the slot under the lock) against slots of pointers
// to pooled records (one copy into a pooled record outside the lock, the
// pointer posted, the record cleared and put back by the actor).
func BenchmarkHandoffShared(b *testing.B) {
	b.Run("by-value", func(b *testing.B) {
		handoffOf(b, func(*recordSized) {}, func(r *benchRecord) recordSized { return recordSized{seq: r.seq} })
	})
	b.Run("pooled-pointers", func(b *testing.B) {
		done := func(s **shared) {
			if (*s).refs.Add(-1) == 0 {
				(*s).r = recordSized{}
				sharedPool.Put(*s)
			}
		}
		handoffOf(b, done, func(r *benchRecord) *shared {
			s := sharedPool.Get().(*shared)
			s.r = recordSized{seq: r.seq}
			s.refs.Store(1)
			return s
		})
	})
}

// handoffOf times b.N records of type T made by newRecord from 2 producers
// through a mailbox to an actor that calls done on each, end to end.
func handoffOf[T any](b *testing.B, done func(*T), newRecord func(*benchRecord) T) {
	sys := newBenchSystem()
	m, err := New[T](Options{})
	if err != nil {
		b.Fatal(err)
	}
	c := &counter{want: int64(b.N), done: make(chan struct{})}
	pid := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor {
		return actor.ReceiveFunc(func(ctx actor.Context) {
			if m, ok := ctx.Message().(*Batch[T]); ok {
				for i := range m.Len() {
					done(m.At(i))
				}
				c.add(int64(m.Len()))
				m.Written += m.Len()
				m.Handled()
			}
		})
	}, actor.WithMailbox(m.Producer())))
	b.ReportAllocs()
	b.ResetTimer()
	runProducers(b, 2, func(r *benchRecord) { v := newRecord(r); m.Post(&v) })
	<-c.done
	b.StopTimer()
	_ = sys.Root.StopFuture(pid).Wait()
}
