package mailbox

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/clock"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// manualDispatcher runs scheduled work only when the test says so.
type manualDispatcher struct {
	mu     sync.Mutex
	queued []func()
}

func (d *manualDispatcher) Schedule(fn func()) {
	d.mu.Lock()
	d.queued = append(d.queued, fn)
	d.mu.Unlock()
}
func (d *manualDispatcher) Throughput() int { return 300 }
func (d *manualDispatcher) runAll() {
	for {
		d.mu.Lock()
		if len(d.queued) == 0 {
			d.mu.Unlock()
			return
		}
		fn := d.queued[0]
		d.queued = d.queued[1:]
		d.mu.Unlock()
		fn()
	}
}

// goDispatcher runs each turn on its own goroutine, as protoactor's default does.
type goDispatcher struct{ wg sync.WaitGroup }

func (d *goDispatcher) Schedule(fn func()) {
	d.wg.Add(1)
	go func() { defer d.wg.Done(); fn() }()
}
func (d *goDispatcher) Throughput() int { return 300 }

// recorder is a MessageInvoker that keeps what it was given.
type recorder struct {
	mu       sync.Mutex
	got      []int
	batches  int
	ctrl     []any
	onBatch  func(b *Batch[int]) // called before booking, may post more
	panicAt  int                 // panic once when this value is seen, if armed
	armed    bool
	failures int
	suspend  *Mailbox[int] // suspended on failure, as protoactor does
}

func (r *recorder) InvokeSystemMessage(any) {}
func (r *recorder) InvokeUserMessage(msg any) {
	switch b := msg.(type) {
	case *Batch[int]:
		if r.onBatch != nil {
			r.onBatch(b)
		}
		for i := b.Done; i < b.Len(); i++ {
			v := *b.At(i)
			if r.armed && v == r.panicAt {
				r.armed = false
				panic("boom")
			}
			r.mu.Lock()
			r.got = append(r.got, v)
			r.mu.Unlock()
			b.Written++
			b.Done++
		}
		r.mu.Lock()
		r.batches++
		r.mu.Unlock()
		b.Handled()
	default:
		r.mu.Lock()
		r.ctrl = append(r.ctrl, msg)
		r.mu.Unlock()
	}
}
func (r *recorder) EscalateFailure(reason, msg any) {
	r.failures++
	if r.suspend != nil {
		proto(r.suspend).PostSystemMessage(&actor.SuspendMailbox{})
	}
}

func mustNew[T any](t testing.TB, o Options) *Mailbox[T] {
	t.Helper()
	m, err := New[T](o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// proto is m as protoactor sees it.
func proto[T any](m *Mailbox[T]) protoMailbox[T] { return m.Producer()().(protoMailbox[T]) }

func checkInvariants(t *testing.T, c Counts) {
	t.Helper()
	if err := identities(c); err != nil {
		t.Fatal(err)
	}
}

// identities checks the two sums of Counts, adding up the reasons here
// rather than with Counts' own helpers.
func identities(c Counts) error {
	var refused, lost uint64
	for r, n := range c.Dropped {
		switch r {
		case ReasonFull, ReasonTimeout, ReasonClosed:
			refused += n
		default:
			lost += n
		}
	}
	if c.Received != c.Accepted+refused {
		return fmt.Errorf("received %d != accepted %d + refused %d", c.Received, c.Accepted, refused)
	}
	if c.Accepted != c.Written+c.Filtered+lost+c.InFlight() {
		return fmt.Errorf("accepted %d != written %d + filtered %d + lost %d + in flight %d", c.Accepted, c.Written, c.Filtered, lost, c.InFlight())
	}
	return nil
}

func TestDeliversInOrderInBatches(t *testing.T) {
	m := mustNew[int](t, Options{Capacity: 100, MaxBatch: 16})
	d := &manualDispatcher{}
	r := &recorder{}
	proto(m).RegisterHandlers(r, d)
	proto(m).Start()
	for i := 1; i <= 100; i++ {
		if !m.Post(&i) {
			t.Fatalf("record %d refused", i)
		}
	}
	if len(d.queued) != 1 { // no producer runs concurrently here
		t.Fatalf("scheduled %d times, want once (idle to running only)", len(d.queued))
	}
	d.runAll()
	if len(r.got) != 100 {
		t.Fatalf("got %d records", len(r.got))
	}
	for i, v := range r.got {
		if v != i+1 {
			t.Fatalf("record %d is %d", i, v)
		}
	}
	if r.batches != 7 { // 6 of 16 and one of 4
		t.Fatalf("batches = %d, want 7", r.batches)
	}
	c := m.Counts()
	checkInvariants(t, c)
	if c.Written != 100 || c.Depth != 0 || c.HighWater != 100 {
		t.Fatalf("counts %+v", c)
	}
}

func TestCapacityIsExact(t *testing.T) {
	for _, capacity := range []int{1, 3, 10, 1000} {
		m := mustNew[int](t, Options{Capacity: capacity, Overflow: DropNewest})
		proto(m).RegisterHandlers(&recorder{}, &manualDispatcher{})
		accepted := 0
		for i := 0; i < capacity+5; i++ {
			if m.Post(&i) {
				accepted++
			}
		}
		if accepted != capacity {
			t.Fatalf("capacity %d accepted %d", capacity, accepted)
		}
		c := m.Counts()
		if c.Dropped[ReasonFull] != 5 {
			t.Fatalf("capacity %d dropped %d", capacity, c.Dropped[ReasonFull])
		}
		checkInvariants(t, c)
	}
}

func TestBatchMoreMarksEndOfBurst(t *testing.T) {
	m := mustNew[int](t, Options{Capacity: 10, MaxBatch: 4})
	d := &manualDispatcher{}
	var mores []bool
	r := &recorder{onBatch: func(b *Batch[int]) { mores = append(mores, b.More) }}
	proto(m).RegisterHandlers(r, d)
	for i := 0; i < 10; i++ {
		m.Post(&i)
	}
	d.runAll()
	want := []bool{true, true, false}
	if len(mores) != len(want) {
		t.Fatalf("mores = %v", mores)
	}
	for i := range want {
		if mores[i] != want[i] {
			t.Fatalf("mores = %v, want %v", mores, want)
		}
	}
}

func TestControlMessagesFollowEarlierRecords(t *testing.T) {
	m := mustNew[int](t, Options{Capacity: 100, MaxBatch: 100})
	d := &manualDispatcher{}
	var order []any
	r := &recorder{}
	r.onBatch = func(b *Batch[int]) {
		for i := 0; i < b.Len(); i++ {
			order = append(order, *b.At(i))
		}
	}
	proto(m).RegisterHandlers(r, d)
	for i := 0; i < 3; i++ {
		m.Post(&i)
	}
	proto(m).PostUserMessage("flush")
	for i := 3; i < 5; i++ {
		m.Post(&i)
	}
	d.runAll()
	order = append(order, r.ctrl...)
	// records 0-2 came in one batch before "flush", 3-4 after it
	if r.batches != 2 || len(r.ctrl) != 1 {
		t.Fatalf("batches %d ctrl %v", r.batches, r.ctrl)
	}
	if len(r.got) != 5 {
		t.Fatalf("got %v", r.got)
	}
}

// failedBatch returns a mailbox whose actor panicked on record 3 of the
// batch 1..5, after booking records 1 and 2, and is now suspended.
func failedBatch(t *testing.T) (*Mailbox[int], *manualDispatcher, *recorder) {
	m := mustNew[int](t, Options{Capacity: 10})
	d := &manualDispatcher{}
	r := &recorder{panicAt: 3, armed: true, suspend: m}
	proto(m).RegisterHandlers(r, d)
	for i := 1; i <= 5; i++ {
		m.Post(&i)
	}
	d.runAll()
	return m, d, r
}

func TestPanicRedeliversTheBatch(t *testing.T) {
	m, d, r := failedBatch(t)
	if r.failures != 1 {
		t.Fatalf("failures = %d", r.failures)
	}
	// the batch stays with the mailbox; records 1 and 2 were done already
	if got := m.Counts(); got.Depth != 5 || got.Written != 0 {
		t.Fatalf("after panic: %+v", got)
	}
	proto(m).PostSystemMessage(&actor.ResumeMailbox{})
	d.runAll()
	if len(r.got) != 5 {
		t.Fatalf("got %v, want 1..5 once each", r.got)
	}
	for i, v := range r.got {
		if v != i+1 {
			t.Fatalf("got %v", r.got)
		}
	}
	c := m.Counts()
	checkInvariants(t, c)
	if c.Written != 5 {
		t.Fatalf("written %d", c.Written)
	}
}

func TestSuspendHoldsRecords(t *testing.T) {
	m := mustNew[int](t, Options{Capacity: 10})
	d := &manualDispatcher{}
	r := &recorder{}
	proto(m).RegisterHandlers(r, d)
	proto(m).PostSystemMessage(&actor.SuspendMailbox{})
	d.runAll()
	for i := 0; i < 3; i++ {
		m.Post(&i)
	}
	d.runAll()
	if len(r.got) != 0 {
		t.Fatalf("delivered while suspended: %v", r.got)
	}
	proto(m).PostSystemMessage(&actor.ResumeMailbox{})
	d.runAll()
	if len(r.got) != 3 {
		t.Fatalf("got %v after resume", r.got)
	}
}

func TestCloseCountsQueuedAndRefusesLater(t *testing.T) {
	m := mustNew[int](t, Options{Capacity: 10})
	d := &manualDispatcher{}
	proto(m).RegisterHandlers(&recorder{}, d)
	for i := 0; i < 4; i++ {
		m.Post(&i)
	}
	m.Close()
	m.Close()
	v := 9
	if m.Post(&v) {
		t.Fatal("accepted after Close")
	}
	d.runAll()
	c := m.Counts()
	checkInvariants(t, c)
	if c.Dropped[ReasonShutdown] != 4 || c.Dropped[ReasonClosed] != 1 || c.Depth != 0 {
		t.Fatalf("counts %+v", c)
	}
}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// TestBlockSleepsUntilRoomThenTimesOut drives BlockTimeout with a fake clock.
func TestBlockSleepsUntilRoomThenTimesOut(t *testing.T) {
	clk := clock.NewFake(t0)
	timers := clk.Scheduled(4)
	const timeout = 20 * time.Millisecond
	m := mustNew[int](t, Options{Capacity: 2, BlockTimeout: timeout, Clock: clk})
	d := &manualDispatcher{}
	proto(m).RegisterHandlers(&recorder{}, d)
	for i := 0; i < 2; i++ {
		m.Post(&i)
	}
	// nobody drains: the producer waits exactly BlockTimeout
	done := make(chan bool)
	go func() { v := 2; done <- m.Post(&v) }()
	if got := <-timers; got != timeout {
		t.Fatalf("time-out set to %v, want %v", got, timeout)
	}
	clk.Advance(timeout - 1)
	select {
	case <-done:
		t.Fatal("producer gave up before BlockTimeout")
	default:
	}
	clk.Advance(1)
	if <-done {
		t.Fatal("accepted into a full mailbox with nobody draining")
	}
	c := m.Counts()
	if c.Dropped[ReasonTimeout] != 1 || c.Blocked != 0 {
		t.Fatalf("counts %+v", c)
	}
	checkInvariants(t, c)
	// a blocked producer is released by the consumer, and its timer stopped
	go func() { v := 3; done <- m.Post(&v) }()
	<-timers
	d.runAll()
	if !<-done {
		t.Fatal("blocked producer was not let in")
	}
	if n := clk.Pending(); n != 0 {
		t.Fatalf("%d time-out timers left pending", n)
	}
	d.runAll()
	checkInvariants(t, m.Counts())
}

// waitBlocked waits until n producers are blocked in m.Post.
func waitBlocked[T any](t *testing.T, m *Mailbox[T], n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for m.Counts().Blocked < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d producers blocked, want %d", m.Counts().Blocked, n)
		}
		runtime.Gosched()
	}
}

func TestCloseReleasesBlockedProducers(t *testing.T) {
	m := mustNew[int](t, Options{Capacity: 1})
	proto(m).RegisterHandlers(&recorder{}, &manualDispatcher{})
	v := 0
	m.Post(&v)
	done := make(chan bool)
	go func() { done <- m.Post(&v) }()
	waitBlocked(t, m, 1)
	m.Close()
	if <-done {
		t.Fatal("accepted after Close")
	}
	c := m.Counts()
	if c.Dropped[ReasonClosed] != 1 {
		t.Fatalf("counts %+v", c)
	}
	checkInvariants(t, c)
}

// TestModel drives the mailbox with random posts, partial consumption and
// posts made while a batch is out, and compares it with a plain slice queue.
func TestModel(t *testing.T) {
	for seed := uint64(0); seed < 300; seed++ {
		rng := rand.New(rand.NewPCG(seed, 1))
		policy := []Policy{DropNewest, DropOldest}[rng.IntN(2)]
		capacity := 1 + rng.IntN(20)
		maxBatch := 1 + rng.IntN(8)
		m := mustNew[int](t, Options{Capacity: capacity, Overflow: policy, MaxBatch: maxBatch})
		d := &manualDispatcher{}

		var model []int // records waiting, oldest first
		var modelOut []int
		var modelDropped, modelRefused uint64
		next := 0
		post := func() {
			v := next
			next++
			ok := m.Post(&v)
			if len(model) >= capacity {
				if policy == DropNewest {
					modelRefused++
					if ok {
						t.Fatalf("seed %d: accepted %d over capacity", seed, v)
					}
					return
				}
				model = model[1:]
				modelDropped++
			}
			if !ok {
				t.Fatalf("seed %d: refused %d", seed, v)
			}
			model = append(model, v)
		}
		budget := 2000
		r := &recorder{}
		r.onBatch = func(b *Batch[int]) {
			// the batch is what the model had at its front
			if b.Len() > maxBatch || b.Len() > len(model) {
				t.Fatalf("seed %d: batch of %d, model holds %d", seed, b.Len(), len(model))
			}
			for i := 0; i < b.Len(); i++ {
				if *b.At(i) != model[i] {
					t.Fatalf("seed %d: batch[%d] = %d, model %d", seed, i, *b.At(i), model[i])
				}
			}
			modelOut = append(modelOut, model[:b.Len()]...)
			model = model[b.Len():]
			// producers keep posting while the batch is out (a bounded number
			// of times, so that the consumer catches up in the end)
			for k := rng.IntN(2 * capacity); k > 0 && budget > 0; k-- {
				post()
				budget--
			}
		}
		proto(m).RegisterHandlers(r, d)
		for round := 0; round < 50; round++ {
			for k := rng.IntN(3 * capacity); k > 0; k-- {
				post()
			}
			if rng.IntN(3) > 0 {
				d.runAll()
			}
			checkInvariants(t, m.Counts())
		}
		d.runAll()
		if len(model) != 0 {
			t.Fatalf("seed %d: %d left in model", seed, len(model))
		}
		if len(r.got) != len(modelOut) {
			t.Fatalf("seed %d: delivered %d, model %d", seed, len(r.got), len(modelOut))
		}
		for i := range modelOut {
			if r.got[i] != modelOut[i] {
				t.Fatalf("seed %d: delivered[%d] = %d, model %d", seed, i, r.got[i], modelOut[i])
			}
		}
		c := m.Counts()
		checkInvariants(t, c)
		if c.Dropped[ReasonOldest] != modelDropped || c.Dropped[ReasonFull] != modelRefused || c.Written != uint64(len(modelOut)) {
			t.Fatalf("seed %d: counts %+v, model dropped %d refused %d written %d", seed, c, modelDropped, modelRefused, len(modelOut))
		}
	}
}

// TestConcurrentProducers checks that no record is lost or duplicated with
// several producers, Block policy, and a consumer on other goroutines.
func TestConcurrentProducers(t *testing.T) {
	const producers, each = 8, 20000
	m := mustNew[int](t, Options{Capacity: 64, MaxBatch: 16})
	d := &goDispatcher{}
	r := &recorder{}
	proto(m).RegisterHandlers(r, d)
	var wg sync.WaitGroup
	for p := 0; p < producers; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				v := p*each + i
				if !m.Post(&v) {
					t.Errorf("refused %d", v)
				}
			}
		}()
	}
	wg.Wait()
	for m.Counts().Depth > 0 {
		time.Sleep(time.Millisecond)
	}
	d.wg.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.got) != producers*each {
		t.Fatalf("got %d records", len(r.got))
	}
	last := make([]int, producers)
	for i := range last {
		last[i] = -1
	}
	for _, v := range r.got {
		p, seq := v/each, v%each
		if seq != last[p]+1 {
			t.Fatalf("producer %d: %d after %d", p, seq, last[p])
		}
		last[p] = seq
	}
	checkInvariants(t, m.Counts())
}

// PostAll is that many calls of Post: under each policy, a run longer than
// the capacity into an actor that has not run leaves the same counts and
// delivers the same records, in order.
func TestPostAllIsPostInOrder(t *testing.T) {
	for _, policy := range []Policy{DropNewest, DropOldest} {
		run := make([]int, 50)
		for i := range run {
			run[i] = i
		}
		var got [2][]int
		var counts [2]Counts
		for k := range 2 {
			m := mustNew[int](t, Options{Capacity: 8, MaxBatch: 3, Overflow: policy})
			d := &manualDispatcher{}
			r := &recorder{}
			proto(m).RegisterHandlers(r, d)
			proto(m).Start()
			if k == 0 {
				for i := range run {
					m.Post(&run[i])
				}
			} else if n := m.PostAll(run); n != int(m.Counts().Accepted) {
				t.Fatalf("%v: PostAll returned %d, accepted %d", policy, n, m.Counts().Accepted)
			}
			checkInvariants(t, m.Counts())
			d.runAll()
			got[k], counts[k] = r.got, m.Counts()
			checkInvariants(t, counts[k])
		}
		if !slices.Equal(got[0], got[1]) || !maps.Equal(counts[0].Dropped, counts[1].Dropped) || counts[0].Written != counts[1].Written {
			t.Fatalf("%v: Post gave %v %+v, PostAll gave %v %+v", policy, got[0], counts[0], got[1], counts[1])
		}
	}
}

// Under Block, a run longer than the capacity waits for the actor, which
// PostAll starts at its first record: every record gets in, in order.
func TestPostAllBlocksUntilTheActorMakesRoom(t *testing.T) {
	m := mustNew[int](t, Options{Capacity: 4, MaxBatch: 2})
	d := &goDispatcher{}
	r := &recorder{}
	proto(m).RegisterHandlers(r, d)
	proto(m).Start()
	run := make([]int, 1000)
	for i := range run {
		run[i] = i
	}
	if n := m.PostAll(run); n != len(run) {
		t.Fatalf("accepted %d of %d", n, len(run))
	}
	d.wg.Wait() // every turn scheduled, and so every record handed over
	r.mu.Lock()
	defer r.mu.Unlock()
	if !slices.Equal(r.got, run) {
		t.Fatalf("delivered %d records, in order %v", len(r.got), slices.IsSorted(r.got))
	}
	checkInvariants(t, m.Counts())
}

// A closed mailbox refuses the whole run, each record counted.
func TestPostAllAfterClose(t *testing.T) {
	m := mustNew[int](t, Options{})
	m.Close()
	if n := m.PostAll(make([]int, 7)); n != 0 {
		t.Fatalf("accepted %d after Close", n)
	}
	c := m.Counts()
	if c.Dropped[ReasonClosed] != 7 || c.Received != 7 {
		t.Fatalf("counts %+v", c)
	}
	checkInvariants(t, c)
}

// ptrInvoker writes every record of a *int mailbox, posting more from
// inside the first batches when more is set.
type ptrInvoker struct {
	m       *Mailbox[*int]
	more    int
	written int
}

func (p *ptrInvoker) InvokeSystemMessage(any)         {}
func (p *ptrInvoker) EscalateFailure(reason, msg any) {}
func (p *ptrInvoker) InvokeUserMessage(msg any) {
	b, ok := msg.(*Batch[*int])
	if !ok {
		return
	}
	for ; p.more > 0; p.more-- { // records posted while a batch is out: the ring grows or compacts
		v := new(int)
		p.m.Post(&v)
	}
	p.written += b.Len() - b.Done
	b.Written += b.Len() - b.Done
	b.Done = b.Len()
	b.Handled()
}

// TestIdleRingKeepsNoRecords: a released record's slot is not cleared at
// once, but none is left holding a record once the mailbox is idle, so the
// ring keeps nothing alive; under both policies that move slots (growth,
// DropOldest's compaction).
func TestIdleRingKeepsNoRecords(t *testing.T) {
	for _, o := range []Options{
		{Capacity: 100, MaxBatch: 8, Overflow: DropNewest}, // a producer must not block on the actor
		{Capacity: 40, MaxBatch: 8, Overflow: DropOldest},
		{Capacity: 1000, MaxBatch: 1000, Overflow: DropNewest},
	} {
		m := mustNew[*int](t, o)
		d := &manualDispatcher{}
		p := &ptrInvoker{m: m}
		proto(m).RegisterHandlers(p, d)
		proto(m).Start()
		for burst, n := range []int{5, 300, 1, 64, 17} {
			p.more = n / 2
			for range n {
				v := new(int)
				m.Post(&v)
			}
			d.runAll()
			for i, v := range m.buf {
				if v != nil {
					t.Fatalf("%+v burst %d: slot %d of %d still holds a record when idle", o, burst, i, len(m.buf))
				}
			}
		}
		c := m.Counts()
		checkInvariants(t, c)
		if c.Written+c.Dropped[ReasonOldest] != c.Accepted || int(c.Written) != p.written {
			t.Fatalf("%+v: counts %+v, written %d", o, c, p.written)
		}
	}
}
