package handleractor

import (
	"sync/atomic"
	"time"
)

// The states of a guard.
const (
	// idle: the actor is not handling a message of ours.
	idle int32 = iota
	// holding: the actor is reading or booking the mailbox's batch; a drain
	// must let it finish (it does not block).
	holding
	// busy: the actor is in a call that may block (a sink, a formatter, a
	// filter) and touches nothing of the mailbox's until it is back.
	busy
	// abandoned: a drain's deadline passed while the actor was busy; the
	// mailbox has booked every record the handler held.
	abandoned
)

// guard lets a drain give up an actor blocked past its deadline without
// racing it for the mailbox's batch. The actor moves between holding and
// busy around every call that may block; the draining goroutine may take it
// from busy to abandoned, and only from busy, so it never books a batch the
// actor is booking. Once abandoned, the actor waits for released (the
// mailbox has booked what it held) and then leaves the batch alone.
type guard struct {
	state atomic.Int32
	// cut is set when the drain's deadline has passed: from then on each
	// move into busy is signalled on entered, so that the drain wakes to
	// abandon an actor that is about to block.
	cut      atomic.Bool
	entered  chan struct{} // capacity 1
	released chan struct{} // closed once the mailbox has booked the records
	// deadline is the drain's deadline in Unix nanoseconds (0: none), read
	// by the actor before each message for a Deadliner sink.
	deadline atomic.Int64
	stopped  chan struct{} // closed by the actor's Stopped
}

func newGuard() *guard {
	return &guard{entered: make(chan struct{}, 1), released: make(chan struct{}), stopped: make(chan struct{})}
}

// enter starts the actor's work on a message, holding. It returns false,
// once the mailbox has booked everything, for an abandoned actor.
func (g *guard) enter() bool {
	if g.state.CompareAndSwap(idle, holding) {
		return true
	}
	<-g.released
	return false
}

// away is called by the actor, holding, before a call that may block.
func (g *guard) away() {
	g.state.Store(busy) // from holding only the actor moves the state
	if g.cut.Load() {
		select {
		case g.entered <- struct{}{}:
		default:
		}
	}
}

// back is called by the actor after a call that may block, before it
// touches the mailbox's batch again. It returns false (once the mailbox has
// booked everything) if the actor was abandoned meanwhile.
func (g *guard) back() bool {
	if g.state.CompareAndSwap(busy, holding) {
		return true
	}
	<-g.released
	return false
}

// leave ends the actor's work on a message, normally or in a panic. It
// returns false if the actor was abandoned.
func (g *guard) leave() bool {
	if st := g.state.Load(); st != abandoned && g.state.CompareAndSwap(st, idle) {
		return true
	}
	<-g.released
	return false
}

// abandon is called by the drain once its deadline has passed: it reports
// whether it took the actor from busy to abandoned. The caller then books
// the mailbox and closes released.
func (g *guard) abandon() bool { return g.state.CompareAndSwap(busy, abandoned) }

// setDeadline records a drain's deadline for the actor to pass on.
func (g *guard) setDeadline(t time.Time) {
	if !t.IsZero() {
		g.deadline.Store(t.UnixNano())
	}
}
