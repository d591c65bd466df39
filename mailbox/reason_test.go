package mailbox

import (
	"fmt"
	"testing"

	"github.com/asynkron/protoactor-go/actor"
)

// failingInvoker books each batch by a script: for every record, the
// reason it fails with ("" means written). It allocates nothing itself.
type failingInvoker struct {
	reason func(v int) Reason
}

func (f *failingInvoker) InvokeSystemMessage(any) {}
func (f *failingInvoker) InvokeUserMessage(msg any) {
	b := msg.(*Batch[int])
	for i := b.Done; i < b.Len(); i++ {
		if r := f.reason(*b.At(i)); r != "" {
			b.Fail(1, r)
		} else {
			b.Written++
		}
	}
	b.Handled()
}
func (f *failingInvoker) EscalateFailure(any, any) {}

// TestFailByReason: a consumer drops single records under reasons it names
// or built-in ones; Counts reports each by name and keeps the identities.
func TestFailByReason(t *testing.T) {
	m := mustNew[int](t, Options{Capacity: 100, MaxBatch: 7})
	d := &manualDispatcher{}
	proto(m).RegisterHandlers(&failingInvoker{reason: func(v int) Reason {
		switch {
		case v%10 == 1:
			return "too_large"
		case v%10 == 2:
			return "http_4xx"
		case v%10 == 3:
			return ReasonShutdown
		case v%10 == 4:
			return ReasonFull // a refusal: counted as an error
		}
		return ""
	}}, d)
	for i := 0; i < 100; i++ {
		m.Post(&i)
	}
	d.runAll()
	c := m.Counts()
	checkInvariants(t, c)
	want := map[Reason]uint64{"too_large": 10, "http_4xx": 10, ReasonShutdown: 10, ReasonError: 10,
		ReasonFull: 0, ReasonTimeout: 0, ReasonClosed: 0, ReasonOldest: 0}
	if fmt.Sprint(c.Dropped) != fmt.Sprint(want) || c.Written != 60 {
		t.Fatalf("dropped %v written %d, want %v and 60", c.Dropped, c.Written, want)
	}
	if c.Refused() != 0 || c.Lost() != 40 || c.DroppedTotal() != 40 {
		t.Fatalf("refused %d lost %d total %d", c.Refused(), c.Lost(), c.DroppedTotal())
	}
	c.Dropped["too_large"] = 0 // the snapshot is the caller's own
	if m.Counts().Dropped["too_large"] != 10 {
		t.Fatal("a snapshot shares its map with the mailbox")
	}
}

// bookingInvoker hands each batch to a function that books it.
type bookingInvoker func(b *Batch[int])

func (f bookingInvoker) InvokeSystemMessage(any)   {}
func (f bookingInvoker) InvokeUserMessage(msg any) { f(msg.(*Batch[int])) }
func (f bookingInvoker) EscalateFailure(any, any)  {}

// TestFailKeepsCountsExact: odd bookings cannot break the identities:
// records left unbooked count as errors, bookings past Len are cut back,
// empty or negative ones count as errors or nothing, and named reasons past
// maxNamedReasons count as errors.
func TestFailKeepsCountsExact(t *testing.T) {
	m := mustNew[int](t, Options{Capacity: 200, MaxBatch: 10})
	d := &manualDispatcher{}
	round := 0
	proto(m).RegisterHandlers(bookingInvoker(func(b *Batch[int]) {
		round++
		switch round {
		case 1: // books too much: 10 written, 10 filtered, 5 failed
			b.Written += 10
			b.Filtered += 10
			b.Fail(5, "too_large")
		case 2: // books nothing but odd fails
			b.Fail(0, "zero")
			b.Fail(-3, "negative")
			b.Fail(2, "")
		default: // a reason per record: more names than are kept
			for i := 0; i < b.Len(); i++ {
				b.Fail(1, Reason(fmt.Sprint("r", *b.At(i))))
			}
		}
		b.Handled()
	}), d)
	for i := 0; i < 10+10+maxNamedReasons+10; i++ {
		m.Post(&i)
	}
	d.runAll()
	c := m.Counts()
	checkInvariants(t, c)
	named := 0
	for reason := range c.Dropped {
		if _, ok := reason.index(); !ok {
			named++
		}
	}
	if c.Written != 10 || c.Filtered != 0 || c.Dropped["zero"] != 0 || c.Dropped["negative"] != 0 ||
		named != maxNamedReasons || c.Dropped[ReasonError] != 10+10 || c.Depth != 0 {
		t.Fatalf("counts %+v (%d named)", c, named)
	}
}

// TestFailAfterPanicIsKept: what a delivery booked with Fail before a panic
// stays booked when the batch comes again to the restarted actor.
func TestFailAfterPanicIsKept(t *testing.T) {
	m := mustNew[int](t, Options{Capacity: 10})
	d := &manualDispatcher{}
	panicked := false
	r := &recorder{suspend: m, onBatch: func(b *Batch[int]) {
		if b.Done == 0 {
			b.Fail(1, "too_large")
			b.Done = 1
			if !panicked {
				panicked = true
				panic("boom")
			}
		}
	}}
	proto(m).RegisterHandlers(r, d)
	for i := 0; i < 3; i++ {
		m.Post(&i)
	}
	d.runAll()
	proto(m).PostSystemMessage(&actor.ResumeMailbox{})
	d.runAll()
	c := m.Counts()
	checkInvariants(t, c)
	if c.Dropped["too_large"] != 1 || c.Written != 2 || len(r.got) != 2 {
		t.Fatalf("counts %+v, delivered %v", c, r.got)
	}
}

// TestHotPathsDoNotAllocate: Post, and a batch booked with Fail under a
// named reason, allocate nothing once the mailbox is warm.
func TestHotPathsDoNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race")
	}
	for _, policy := range []Policy{Block, DropNewest, DropOldest} {
		m := mustNew[int](t, Options{Capacity: 64, MaxBatch: 16, Overflow: policy})
		d := &inlineDispatcher{}
		proto(m).RegisterHandlers(&failingInvoker{reason: func(v int) Reason {
			if v%3 == 0 {
				return "too_large"
			}
			return ""
		}}, d)
		run := func() { // under Capacity: Block must not block here
			for i := 0; i < 50; i++ {
				m.Post(&i)
			}
			d.runAll()
		}
		run()
		if n := testing.AllocsPerRun(100, run); n != 0 {
			t.Errorf("%v: %v allocations per 50 posts and their batches", policy, n)
		}
		checkInvariants(t, m.Counts())
	}
}

// inlineDispatcher keeps the one pending turn of a mailbox, and runs it
// when told, without allocating.
type inlineDispatcher struct{ fn func() }

func (d *inlineDispatcher) Schedule(fn func()) { d.fn = fn }
func (d *inlineDispatcher) Throughput() int    { return 300 }
func (d *inlineDispatcher) runAll() {
	for d.fn != nil {
		fn := d.fn
		d.fn = nil
		fn()
	}
}
