package mailbox

import (
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// Mailbox is a bounded queue of records of type T in front of one handler
// actor. Producers Post records (copied by value into a ring slot); the actor
// receives them as *Batch[T] runs through protoactor's MessageInvoker. It also
// implements protoactor's actor.Mailbox, so control messages sent to the
// actor's PID (flush, drain, stop) pass through it in order with the records:
// a message posted after a record is handled after that record.
//
// The lock is held only for O(1) index work and one slot copy per Post; the
// actor reads its batch's slots without the lock, and the slots stay its own
// until the batch is released, so a batch that fails (a panic) is handed to
// the restarted actor again.
type Mailbox[T any] struct {
	opt   Options
	slack uint64 // extra slots so DropOldest can drop while a batch is out

	mu   sync.Mutex
	buf  []T
	n    uint64 // len(buf)
	head uint64 // first slot still held: start of the claimed batch, or of the queue
	// claimEnd is the end of the batch out with the actor (== head when none);
	// slots between claimEnd and next were dropped while the batch was out.
	claimEnd uint64
	next     uint64 // first queued record not yet handed out
	tail     uint64 // next free slot
	claimed  bool

	sys  []any
	ctrl []ctrlMsg

	running   bool // a goroutine is (or is about to be) in process
	suspended bool
	closed    bool // Post refuses records
	dead      bool // the actor stopped: deliver nothing more

	waiters int
	space   chan struct{} // closed when room appears, for blocked producers

	received, accepted, written, filtered uint64
	dropped                               [numReasons]uint64
	highWater                             int

	invoker    actor.MessageInvoker
	dispatcher actor.Dispatcher
	batch      Batch[T]
}

type ctrlMsg struct {
	msg  any
	mark uint64 // records posted before it: delivered once next reaches mark
}

// New returns an empty mailbox. It panics on options Validate rejects; check
// them first where they come from users.
func New[T any](o Options) *Mailbox[T] {
	if err := o.Validate(); err != nil {
		panic(err)
	}
	o = o.withDefaults()
	m := &Mailbox[T]{opt: o}
	if o.Overflow == DropOldest {
		m.slack = uint64(max(o.Capacity/4, 16))
	}
	m.n = uint64(o.Capacity+o.MaxBatch) + m.slack
	m.buf = make([]T, m.n)
	return m
}

var _ actor.Mailbox = (*Mailbox[int])(nil)

// Options returns the options in force, defaults filled in.
func (m *Mailbox[T]) Options() Options { return m.opt }

// Post offers one record, copying *v into the mailbox. It reports whether the
// record was accepted; a refused record is counted under its Reason. Post may
// block only under the Block policy, and never spins. Safe for concurrent use.
func (m *Mailbox[T]) Post(v *T) bool {
	m.mu.Lock()
	m.received++
	if m.closed {
		m.dropped[ReasonClosed]++
		m.mu.Unlock()
		return false
	}
	if m.tail-m.next >= uint64(m.opt.Capacity) {
		switch m.opt.Overflow {
		case DropNewest:
			m.dropped[ReasonFull]++
			m.mu.Unlock()
			return false
		case DropOldest:
			m.dropOldestLocked()
		default:
			if !m.waitLocked() {
				m.mu.Unlock()
				return false
			}
		}
	}
	if m.tail-m.head >= m.n {
		m.compactLocked()
	}
	m.buf[m.tail%m.n] = *v
	m.tail++
	m.accepted++
	if d := m.depthLocked(); d > m.highWater {
		m.highWater = d
	}
	start := !m.running && !m.suspended && !m.dead && m.dispatcher != nil
	if start {
		m.running = true
	}
	m.mu.Unlock()
	if start {
		m.dispatcher.Schedule(m.process)
	}
	return true
}

// waitLocked sleeps until the queue has room. It returns false, with the
// record counted, when the timeout passes or the mailbox closes first.
func (m *Mailbox[T]) waitLocked() bool {
	var deadline time.Time
	if m.opt.BlockTimeout > 0 {
		deadline = time.Now().Add(m.opt.BlockTimeout)
	}
	for m.tail-m.next >= uint64(m.opt.Capacity) {
		if m.closed {
			m.dropped[ReasonClosed]++
			return false
		}
		if m.space == nil {
			m.space = make(chan struct{})
		}
		ch := m.space
		m.waiters++
		m.mu.Unlock()
		timedOut := false
		if deadline.IsZero() {
			<-ch
		} else if d := time.Until(deadline); d <= 0 {
			timedOut = true
		} else {
			t := time.NewTimer(d)
			select {
			case <-ch:
			case <-t.C:
				timedOut = true
			}
			t.Stop()
		}
		m.mu.Lock()
		m.waiters--
		if m.closed {
			m.dropped[ReasonClosed]++
			return false
		}
		if timedOut && m.tail-m.next >= uint64(m.opt.Capacity) {
			m.dropped[ReasonTimeout]++
			return false
		}
	}
	return true
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
	m.buf[m.next%m.n] = zero
	m.next++
	if !m.claimed {
		m.head = m.next
		m.claimEnd = m.next
	}
	m.dropped[ReasonOldest]++
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
		m.buf[(i-gap)%m.n] = m.buf[i%m.n]
	}
	for i := m.tail - gap; i < m.tail; i++ {
		m.buf[i%m.n] = zero
	}
	m.next -= gap
	m.tail -= gap
	for i := range m.ctrl {
		m.ctrl[i].mark = max(m.ctrl[i].mark, m.claimEnd+gap) - gap
	}
}

func (m *Mailbox[T]) depthLocked() int {
	return int(m.claimEnd-m.head) + int(m.tail-m.next)
}

// PostUserMessage queues a control message behind every record posted so far.
// It is how protoactor delivers messages sent to the actor's PID.
func (m *Mailbox[T]) PostUserMessage(msg any) {
	m.mu.Lock()
	m.ctrl = append(m.ctrl, ctrlMsg{msg: msg, mark: m.tail})
	m.scheduleLocked()
}

// PostSystemMessage queues a protoactor system message; these go first.
func (m *Mailbox[T]) PostSystemMessage(msg any) {
	m.mu.Lock()
	m.sys = append(m.sys, msg)
	m.scheduleLocked()
}

// scheduleLocked starts processing if idle, and unlocks.
func (m *Mailbox[T]) scheduleLocked() {
	start := !m.running && m.dispatcher != nil && !m.dead
	if start {
		m.running = true
	}
	m.mu.Unlock()
	if start {
		m.dispatcher.Schedule(m.process)
	}
}

// RegisterHandlers is called by protoactor when the actor is spawned.
func (m *Mailbox[T]) RegisterHandlers(invoker actor.MessageInvoker, dispatcher actor.Dispatcher) {
	m.mu.Lock()
	m.invoker = invoker
	m.dispatcher = dispatcher
	m.mu.Unlock()
}

// Start is called by protoactor once the actor is ready; records posted
// before it are delivered from then on.
func (m *Mailbox[T]) Start() {
	m.mu.Lock()
	m.scheduleLocked()
}

// UserMessageCount reports the records held plus the control messages queued.
func (m *Mailbox[T]) UserMessageCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.depthLocked() + len(m.ctrl)
}

// process is the actor's turn: it runs on the dispatcher's goroutine until
// the mailbox has nothing deliverable, then goes idle.
func (m *Mailbox[T]) process() {
	for m.step() {
	}
}

// step delivers one message or batch and reports whether to go on.
func (m *Mailbox[T]) step() (more bool) {
	m.mu.Lock()
	if len(m.sys) > 0 {
		msg := m.sys[0]
		m.sys[0] = nil
		m.sys = m.sys[1:]
		switch msg.(type) {
		case *actor.SuspendMailbox:
			m.suspended = true
			m.mu.Unlock()
			return true
		case *actor.ResumeMailbox:
			m.suspended = false
			m.mu.Unlock()
			return true
		}
		m.mu.Unlock()
		return m.invoke(msg, true)
	}
	if m.suspended || m.dead {
		m.running = false
		m.mu.Unlock()
		return false
	}
	if m.claimed { // a batch that failed: hand it to the restarted actor
		m.mu.Unlock()
		return m.invokeBatch()
	}
	if len(m.ctrl) > 0 && m.ctrl[0].mark <= m.next {
		msg := m.ctrl[0].msg
		m.ctrl[0].msg = nil
		m.ctrl = m.ctrl[1:]
		m.mu.Unlock()
		return m.invoke(msg, false)
	}
	end := m.tail
	if len(m.ctrl) > 0 {
		end = min(end, m.ctrl[0].mark)
	}
	end = min(end, m.next+uint64(m.opt.MaxBatch))
	if end <= m.next {
		m.running = false
		m.mu.Unlock()
		return false
	}
	start := m.next
	m.next = end
	m.claimEnd = end
	m.claimed = true
	m.batch.set(m.buf, start%m.n, end-start, m.tail > end || len(m.ctrl) > 0)
	m.mu.Unlock()
	return m.invokeBatch()
}

// invoke delivers a message, turning a panic into a supervised failure.
func (m *Mailbox[T]) invoke(msg any, system bool) (more bool) {
	defer func() {
		if r := recover(); r != nil {
			m.invoker.EscalateFailure(r, msg)
			more = true
		}
	}()
	if system {
		m.invoker.InvokeSystemMessage(msg)
	} else {
		m.invoker.InvokeUserMessage(msg)
	}
	return true
}

// invokeBatch hands the claimed batch to the actor and releases it once the
// actor has accounted for every record. After a panic the batch stays claimed.
func (m *Mailbox[T]) invokeBatch() (more bool) {
	b := &m.batch
	b.handled = false
	defer func() {
		if r := recover(); r != nil {
			m.invoker.EscalateFailure(r, b)
			more = true
		}
	}()
	m.invoker.InvokeUserMessage(b)
	if !b.handled {
		// protoactor drops messages to a stopped actor without a word: the
		// records are still ours, and Close counts them.
		m.mu.Lock()
		m.dead = true
		m.running = false
		m.mu.Unlock()
		return false
	}
	m.release()
	return true
}

// release returns the batch's slots to the ring and books its outcome.
func (m *Mailbox[T]) release() {
	b := &m.batch
	clear(b.first)
	clear(b.second)
	m.mu.Lock()
	n := uint64(b.Len())
	m.written += uint64(b.Written)
	m.filtered += uint64(b.Filtered)
	m.dropped[ReasonError] += uint64(b.Failed)
	if booked := uint64(b.Written + b.Filtered + b.Failed); booked < n {
		m.dropped[ReasonError] += n - booked // a handler that forgot some: never lose count
	}
	b.reset()
	m.head = m.next
	m.claimEnd = m.next
	m.claimed = false
	if m.waiters > 0 {
		m.wakeLocked()
	}
	m.mu.Unlock()
}

// Seal refuses further records (counted as ReasonClosed) but keeps
// delivering those already queued: the first step of a drain. Idempotent.
func (m *Mailbox[T]) Seal() {
	m.mu.Lock()
	m.closed = true
	m.wakeLocked()
	m.mu.Unlock()
}

// Close refuses further records, counts every queued record as dropped
// (ReasonShutdown) and wakes blocked producers. A batch that is out with the
// actor is booked when it returns. Call it once the actor will handle no more
// records (from its Stopped handler, or after a drain deadline). Idempotent.
func (m *Mailbox[T]) Close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	var zero T
	lost := m.tail - m.next
	for i := m.next; i < m.tail; i++ {
		m.buf[i%m.n] = zero
	}
	m.tail = m.next
	if m.claimed && m.dead {
		// the actor will never return this batch
		lost += m.claimEnd - m.head - uint64(m.batch.Written+m.batch.Filtered+m.batch.Failed)
		m.written += uint64(m.batch.Written)
		m.filtered += uint64(m.batch.Filtered)
		m.dropped[ReasonError] += uint64(m.batch.Failed)
		for i := m.head; i < m.claimEnd; i++ {
			m.buf[i%m.n] = zero
		}
		m.batch.reset()
		m.claimed = false
		m.head, m.claimEnd, m.next = m.tail, m.tail, m.tail
	}
	if !m.claimed {
		m.head, m.claimEnd = m.next, m.next
	}
	m.dropped[ReasonShutdown] += lost
	m.wakeLocked()
}

// Kill marks the actor gone: nothing more is delivered, and Close may book
// the batch that was out. For use after the actor was stopped.
func (m *Mailbox[T]) Kill() {
	m.mu.Lock()
	m.dead = true
	m.mu.Unlock()
}

// Counts is a consistent snapshot of a mailbox's counters. At every moment
// Received = Accepted + Dropped[ReasonFull] + Dropped[ReasonTimeout] +
// Dropped[ReasonClosed], and Accepted = Written + Filtered +
// Dropped[ReasonOldest] + Dropped[ReasonError] + Dropped[ReasonShutdown] + Depth.
type Counts struct {
	Received  uint64             // records offered to Post
	Accepted  uint64             // records taken in
	Written   uint64             // records the handler wrote
	Filtered  uint64             // records the handler's filters rejected
	Dropped   [numReasons]uint64 // indexed by Reason
	Depth     int                // records held now (queued, or out in a batch)
	HighWater int                // the most Depth has been
}

// InFlight is Depth as a count: records accepted and not yet written,
// filtered or dropped.
func (c Counts) InFlight() uint64 { return uint64(c.Depth) }

// DroppedTotal sums the drops of every reason.
func (c Counts) DroppedTotal() (n uint64) {
	for _, d := range c.Dropped {
		n += d
	}
	return n
}

// Counts returns a consistent snapshot of the counters.
func (m *Mailbox[T]) Counts() Counts {
	m.mu.Lock()
	defer m.mu.Unlock()
	return Counts{
		Received: m.received, Accepted: m.accepted, Written: m.written, Filtered: m.filtered,
		Dropped: m.dropped, Depth: m.depthLocked(), HighWater: m.highWater,
	}
}
