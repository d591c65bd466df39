package mailbox

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/internal/optcheck"
)

// Mailbox is a bounded queue of records of type T in front of one protoactor
// actor. Producers Post records (copied by value into a ring slot); the actor
// receives them as *Batch[T] runs. Plugged into the actor with Producer, it
// is also the actor's protoactor mailbox, so messages sent to the actor's PID
// (flush, drain, stop) pass through it in order with the records: a message
// sent after a record was posted is handled after that record.
//
// The lock is held only for O(1) index work and one slot copy per Post (and,
// when the actor goes idle, to clear the slots released since the last
// time); the actor reads its batch's slots without the lock, and the slots
// stay its own until the batch is released, so a batch that fails (a panic)
// is handed to the restarted actor again.
//
// Make one with New (the zero Mailbox is not usable). A Mailbox is safe for
// concurrent use by any number of producers.
type Mailbox[T any] struct {
	opt   Options
	clock clock.Clock
	cap   uint64 // opt.Capacity
	slack uint64 // extra slots so DropOldest can drop while a batch is out
	max   uint64 // the most slots the ring grows to

	mu   sync.Mutex
	buf  []T
	size uint64 // len(buf), growing from minRing up to max as records queue
	head uint64 // first slot still held: start of the claimed batch, or of the queue
	// claimEnd is the end of the batch out with the actor (== head when none);
	// slots between claimEnd and next were dropped while the batch was out.
	claimEnd uint64
	next     uint64 // first queued record not yet handed out
	tail     uint64 // next free slot
	// clean: the slots of [clean, head) were handed out, released and not
	// cleared yet (those not taken again since); see clearReleasedLocked.
	clean   uint64
	claimed bool
	// delivering: the claimed batch is in the actor's hands right now. Only
	// the actor's goroutine touches the batch then; Close leaves it alone.
	delivering bool
	// abandoned: Abandon booked the batch out with the actor; when the actor
	// returns it, its slots are freed and nothing of it is booked again.
	abandoned bool

	sys  []any
	ctrl []ctrlMsg

	running   bool // a goroutine is (or is about to be) in process
	suspended bool
	closed    bool // Post refuses records
	dead      bool // the actor stopped: deliver nothing more

	waiters int
	space   chan struct{} // closed when room appears, for blocked producers

	received, accepted, written, filtered uint64
	dropped                               [numBuiltin]uint64
	named                                 map[Reason]uint64
	highWater                             int

	invoker    actor.MessageInvoker
	dispatcher actor.Dispatcher
	turn       func() // m.process, made once: a method value allocates
	batch      Batch[T]
}

type ctrlMsg struct {
	msg  any
	mark uint64 // records posted before it: delivered once next reaches mark
}

// minRing is the ring's first size, in slots.
const minRing = 16

// growFactor is how many times larger the ring grows when full: 16, 256,
// 4096... slots. Few steps, because a batch out with the actor keeps the
// ring it was claimed from alive until the actor returns it: with rings
// doubling, a sink that stalls holds a ring of up to MaxBatch records
// besides the one the queue moved to (a third more memory for a full
// default mailbox), and every smaller ring before it was garbage to
// collect. With 16 and the default options, what a stalled batch keeps is
// at most 256 slots and a mailbox filling up copies its records two times
// instead of eight (BenchmarkRingMemory in bench/: 20 full default
// handlers in 25 MiB of heap instead of 32); an idle handler still costs
// 16 slots.
const growFactor = 16

// New returns an empty mailbox for records of type T, or an error wrapping
// ErrInvalidOptions: every problem Validate finds, or a full ring that would
// take more than RingBytesLimit for records of T's size. It never panics,
// and it takes only a small ring up front.
func New[T any](o Options) (*Mailbox[T], error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o = o.withDefaults()
	m := &Mailbox[T]{opt: o, clock: o.Clock, cap: uint64(o.Capacity)}
	if o.Overflow == DropOldest {
		m.slack = uint64(max(o.Capacity/4, 16))
	}
	m.max = uint64(o.Capacity+o.MaxBatch) + m.slack
	if sz := uint64(unsafe.Sizeof(*new(T))); sz > 0 && m.max > RingBytesLimit/sz {
		p := optcheck.New(ErrInvalidOptions)
		p.Addf("Capacity", "%d records of %d bytes (with MaxBatch %d) need more than %d bytes of ring (got %d)",
			o.Capacity, sz, o.MaxBatch, RingBytesLimit, o.Capacity)
		return nil, fmt.Errorf("mailbox of %T: %w", *new(T), p.Err())
	}
	m.turn = m.process
	m.size = min(m.max, minRing)
	m.buf = make([]T, m.size)
	return m, nil
}

// Options returns the options in force, defaults filled in (MaxBatch cut
// to Capacity, Clock set). Any goroutine.
func (m *Mailbox[T]) Options() Options { return m.opt }

// Post offers one record, copying *v into the mailbox; the caller keeps v,
// which must not be nil.
// It reports whether the record was accepted; a refused record is counted
// under its reason (ReasonFull, ReasonTimeout, ReasonClosed). Post may
// block only under the Block policy, and never spins. It may be called from
// any goroutine, before the actor is spawned too (records wait for it), but
// not from the actor itself under Block: it would wait for itself.
func (m *Mailbox[T]) Post(v *T) bool {
	m.mu.Lock()
	ok := m.offerLocked(v)
	start := ok && m.startLocked()
	m.mu.Unlock()
	if start {
		m.dispatcher.Schedule(m.turn)
	}
	return ok
}

// PostAll offers the records of vs in order, as that many calls of Post
// would (each counted as Post counts it, each under the overflow policy),
// but taking the lock once for the run, and again only after a wait under
// Block. It returns how many were accepted. The caller keeps vs. The same
// rules as Post's apply to who may call it.
func (m *Mailbox[T]) PostAll(vs []T) (accepted int) {
	m.mu.Lock()
	for i := range vs {
		if !m.offerLocked(&vs[i]) {
			continue
		}
		accepted++
		// The actor is started at the first record, not after the run: a
		// producer waiting for room under Block needs it running.
		if m.startLocked() {
			m.mu.Unlock()
			m.dispatcher.Schedule(m.turn)
			m.mu.Lock()
		}
	}
	m.mu.Unlock()
	return accepted
}

// offerLocked takes one record under the policy, m.mu held (a wait under
// Block releases it meanwhile), and reports whether it was accepted.
func (m *Mailbox[T]) offerLocked(v *T) bool {
	if m.closed {
		m.refuseLocked(iClosed)
		return false
	}
	if m.tail-m.next >= m.cap {
		switch m.opt.Overflow {
		case DropNewest:
			m.refuseLocked(iFull)
			return false
		case DropOldest:
			m.dropOldestLocked()
		default:
			if !m.waitLocked() {
				return false
			}
		}
	}
	if m.tail-m.head >= m.size {
		if m.size < m.max {
			m.growLocked()
		} else {
			m.compactLocked()
		}
	}
	m.buf[m.tail%m.size] = *v
	m.tail++
	m.received++
	m.accepted++
	if d := m.depthLocked(); d > m.highWater {
		m.highWater = d
	}
	return true
}

// startLocked reports whether the actor must be scheduled for a record just
// taken: it is idle, and may run. The caller schedules it after unlocking.
func (m *Mailbox[T]) startLocked() bool {
	start := !m.running && !m.suspended && !m.dead && m.dispatcher != nil
	if start {
		m.running = true
	}
	return start
}

// refuseLocked counts a record refused for the reason at index i. A record
// is received when its fate is decided, so that a snapshot never shows one
// received and neither accepted nor refused.
func (m *Mailbox[T]) refuseLocked(i int) {
	m.received++
	m.dropped[i]++
}

// waitLocked sleeps until the queue has room, m.mu held on entry and on
// return. It returns false, with the record counted, when the BlockTimeout
// passes or the mailbox closes first.
func (m *Mailbox[T]) waitLocked() bool {
	m.waiters++
	defer func() { m.waiters-- }()
	var expired chan struct{}
	if d := m.opt.BlockTimeout; d > 0 {
		ch := make(chan struct{})
		expired = ch
		m.mu.Unlock() // a fake clock's AfterFunc may block on its test
		t := m.clock.AfterFunc(d, func() { close(ch) })
		m.mu.Lock()
		defer t.Stop()
	}
	for {
		if m.closed {
			m.refuseLocked(iClosed)
			return false
		}
		if m.tail-m.next < m.cap {
			return true
		}
		select {
		case <-expired:
			m.refuseLocked(iTimeout)
			return false
		default:
		}
		if m.space == nil {
			m.space = make(chan struct{})
		}
		room := m.space
		m.mu.Unlock()
		select {
		case <-room:
		case <-expired:
		}
		m.mu.Lock()
	}
}

// wakeLocked lets blocked producers retry.
func (m *Mailbox[T]) wakeLocked() {
	if m.space != nil {
		close(m.space)
		m.space = nil
	}
}

// dropOldestLocked discards the oldest queued record to make room.
func (m *Mailbox[T]) dropOldestLocked() {
	var zero T
	m.buf[m.next%m.size] = zero
	m.next++
	if !m.claimed {
		m.head = m.next
		m.claimEnd = m.next
	}
	m.dropped[iOldest]++
}

// growLocked grows the ring growFactor times (up to max), moving the
// queued records. The claimed batch keeps reading the old ring, which goes
// with it; its slots in the new ring stay empty.
func (m *Mailbox[T]) growLocked() {
	size := min(growFactor*m.size, m.max)
	buf := make([]T, size)
	for i := m.next; i < m.tail; i++ {
		buf[i%size] = m.buf[i%m.size]
	}
	m.buf, m.size = buf, size
	m.clean = m.head // the new ring holds nothing released
}

// compactLocked closes the gap of dropped slots behind a batch that is out,
// moving the queue down. It runs only under DropOldest, once per slack drops.
func (m *Mailbox[T]) compactLocked() {
	gap := m.next - m.claimEnd
	if gap == 0 {
		panic("mailbox: ring full with no gap") // capacity accounting is broken
	}
	var zero T
	for i := m.next; i < m.tail; i++ {
		m.buf[(i-gap)%m.size] = m.buf[i%m.size]
	}
	for i := m.tail - gap; i < m.tail; i++ {
		m.buf[i%m.size] = zero
	}
	m.next -= gap
	m.tail -= gap
	for i := range m.ctrl {
		m.ctrl[i].mark = max(m.ctrl[i].mark, m.claimEnd+gap) - gap
	}
}

// clearReleasedLocked zeroes the slots of released records not taken again
// since, so that the ring does not keep what they point to alive. A
// released batch is not cleared at once: its slots are overwritten by the
// next records anyway, and clearing them (360 bytes a record for the
// engine's records) cost the actor a few percent of its time, and the
// producers a transfer of the cleared cache lines. They are cleared when
// the mailbox goes idle or closes, under the lock: at most the ring's size
// once a burst, and a record's slot at low rates. The slots not live are
// those of [tail-size, head); of these, [clean, head) may hold records.
func (m *Mailbox[T]) clearReleasedLocked() {
	lo := m.clean
	if m.tail > m.size {
		lo = max(lo, m.tail-m.size)
	}
	if lo < m.head { // one or two runs of the ring, cleared in bulk
		a, b := lo%m.size, m.head%m.size
		if a < b {
			clear(m.buf[a:b])
		} else {
			clear(m.buf[a:])
			clear(m.buf[:b])
		}
	}
	m.clean = m.head
}

func (m *Mailbox[T]) depthLocked() int {
	d := int(m.tail - m.next)
	if !m.abandoned { // an abandoned batch is booked already
		d += int(m.claimEnd - m.head)
	}
	return d
}

// Seal refuses further records (counted as ReasonClosed) and releases
// blocked producers, but keeps delivering those already queued: the first
// step of a drain. Any goroutine; idempotent.
func (m *Mailbox[T]) Seal() {
	m.mu.Lock()
	m.closed = true
	m.wakeLocked()
	m.mu.Unlock()
}

// Close refuses further records, counts every record not yet handled as
// dropped (ReasonShutdown, after what the actor booked of a batch it failed
// on) and releases blocked producers. A batch in the actor's hands at that
// moment is booked when the actor returns it. Messages sent to the actor's
// PID are still delivered. Call it once the actor will handle no more
// records: after it stopped, or after a drain deadline. Any goroutine;
// idempotent.
func (m *Mailbox[T]) Close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closeLocked()
}

// Abandon is Close for a consumer that gave up on an actor blocked in a call
// past a deadline: it also books, now, the batch that is out with the actor
// (what the actor booked of it stands; the rest is dropped, ReasonShutdown),
// so that nothing is in flight afterwards. The batch's slots stay the
// actor's until it returns the batch, which then frees them and books
// nothing more. The caller must know that the actor does not touch the
// batch's counters until after Abandon returns (the handler actor's guard
// sees to that). Any goroutine; idempotent.
func (m *Mailbox[T]) Abandon() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closeLocked()
	if m.claimed && m.delivering && !m.abandoned {
		m.bookLocked(iShutdown)
		m.abandoned = true
	}
}

func (m *Mailbox[T]) closeLocked() {
	m.closed = true
	m.clearReleasedLocked()
	var zero T
	for i := m.next; i < m.tail; i++ {
		m.buf[i%m.size] = zero
	}
	m.dropped[iShutdown] += m.tail - m.next
	m.tail = m.next
	for i := range m.ctrl {
		m.ctrl[i].mark = min(m.ctrl[i].mark, m.next)
	}
	if m.claimed && !m.delivering { // a batch that failed, waiting for a restart
		clear(m.batch.first)
		clear(m.batch.second)
		m.releaseLocked(iShutdown)
	}
	m.wakeLocked()
}

// releaseLocked books the claimed batch, its unbooked records under the
// reason at index rest (unless Abandon booked it already), and returns its
// slots to the ring. Its slots must be cleared already.
func (m *Mailbox[T]) releaseLocked(rest int) {
	if !m.abandoned {
		m.bookLocked(rest)
	}
	m.abandoned = false
	m.batch.reset()
	m.head = m.next
	m.claimEnd = m.next
	m.claimed = false
	if m.waiters > 0 {
		m.wakeLocked()
	}
}

// bookLocked counts the claimed batch's records: what the consumer booked,
// and the rest under the reason at index rest.
func (m *Mailbox[T]) bookLocked(rest int) {
	b := &m.batch
	n := uint64(b.Len())
	w := min(uint64(max(b.Written, 0)), n)
	f := min(uint64(max(b.Filtered, 0)), n-w)
	left := n - w - f
	m.written += w
	m.filtered += f
	for i, c := range b.fails {
		c := min(uint64(c), left)
		m.dropped[i] += c
		left -= c
	}
	for _, nc := range b.named {
		c := min(uint64(nc.n), left)
		m.dropNamedLocked(nc.reason, c)
		left -= c
	}
	m.dropped[rest] += left
}

// dropNamedLocked counts n records dropped for a reason a consumer named.
func (m *Mailbox[T]) dropNamedLocked(r Reason, n uint64) {
	if n == 0 {
		return
	}
	if _, ok := m.named[r]; !ok && len(m.named) >= maxNamedReasons {
		m.dropped[iError] += n
		return
	}
	if m.named == nil {
		m.named = make(map[Reason]uint64)
	}
	m.named[r] += n
}

// Counts returns a consistent snapshot of the counters, taken under the
// lock. Any goroutine.
func (m *Mailbox[T]) Counts() Counts {
	m.mu.Lock()
	defer m.mu.Unlock()
	d := make(map[Reason]uint64, numBuiltin+len(m.named))
	for i, r := range builtin {
		d[r] = m.dropped[i]
	}
	for r, n := range m.named {
		d[r] = n
	}
	return Counts{
		Received: m.received, Accepted: m.accepted, Written: m.written, Filtered: m.filtered,
		Dropped: d, Depth: m.depthLocked(), HighWater: m.highWater, Blocked: m.waiters,
	}
}
