package mailbox

import "github.com/asynkron/protoactor-go/actor"

// Producer returns what plugs m into protoactor: pass it to actor.WithMailbox
// in the props of the one actor m serves. Spawn one actor with it; restarts
// of that actor keep the mailbox and its queue. Spawning a second actor
// with it would hand m to the second actor and leave the first deaf.
func (m *Mailbox[T]) Producer() actor.MailboxProducer {
	return func() actor.Mailbox { return protoMailbox[T]{m} }
}

// protoMailbox is m as protoactor's actor.Mailbox. Its methods are called by
// protoactor only: Post*Message by senders on any goroutine, RegisterHandlers
// and Start once at spawn.
type protoMailbox[T any] struct{ m *Mailbox[T] }

var _ actor.Mailbox = protoMailbox[int]{}

// PostUserMessage queues a message sent to the actor's PID behind every
// record posted so far.
func (p protoMailbox[T]) PostUserMessage(msg any) {
	m := p.m
	m.mu.Lock()
	m.ctrl = append(m.ctrl, ctrlMsg{msg: msg, mark: m.tail})
	m.scheduleLocked()
}

// PostSystemMessage queues a protoactor system message; these go first.
func (p protoMailbox[T]) PostSystemMessage(msg any) {
	m := p.m
	m.mu.Lock()
	m.sys = append(m.sys, msg)
	m.scheduleLocked()
}

// RegisterHandlers is called when the actor is spawned.
func (p protoMailbox[T]) RegisterHandlers(invoker actor.MessageInvoker, dispatcher actor.Dispatcher) {
	m := p.m
	m.mu.Lock()
	m.invoker = invoker
	m.dispatcher = dispatcher
	m.mu.Unlock()
}

// Start is called once the actor is ready; records posted before it are
// delivered from then on.
func (p protoMailbox[T]) Start() {
	p.m.mu.Lock()
	p.m.scheduleLocked()
}

// UserMessageCount reports the records held plus the messages queued.
func (p protoMailbox[T]) UserMessageCount() int {
	m := p.m
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.depthLocked() + len(m.ctrl)
}

// scheduleLocked starts processing if idle, and unlocks.
func (m *Mailbox[T]) scheduleLocked() {
	start := !m.running && m.dispatcher != nil && !m.dead
	if start {
		m.running = true
	}
	m.mu.Unlock()
	if start {
		m.dispatcher.Schedule(m.turn)
	}
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
		m.delivering = true
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
		m.clearReleasedLocked()
		m.mu.Unlock()
		return false
	}
	start := m.next
	m.next = end
	m.claimEnd = end
	m.claimed = true
	m.delivering = true
	m.batch.set(m.buf, start%m.size, end-start, m.tail > end || len(m.ctrl) > 0)
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

// invokeBatch hands the claimed batch to the actor, then books it. While it
// runs (delivering is set) the batch is the actor goroutine's alone: Close
// does not touch it. After a panic the batch stays claimed for the
// restarted actor; an unhandled batch (the actor stopped) is booked at once.
func (m *Mailbox[T]) invokeBatch() (more bool) {
	b := &m.batch
	b.handled = false
	defer func() {
		if r := recover(); r != nil {
			m.mu.Lock()
			m.delivering = false
			m.mu.Unlock()
			m.invoker.EscalateFailure(r, b)
			more = true
		}
	}()
	m.invoker.InvokeUserMessage(b)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.delivering = false
	if !b.handled {
		m.dead = true
		m.running = false
		m.releaseLocked(iShutdown)
		return false
	}
	m.releaseLocked(iError) // a handler that forgot some: never lose count
	return true
}
