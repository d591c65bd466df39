package mailbox

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// stoppedInvoker acts as protoactor does for an actor that has stopped: it
// drops user messages, so a batch comes back without Handled. It tells the
// test when a batch reached it, so that the test can close the mailbox
// while the batch is still out.
type stoppedInvoker struct{ in chan struct{} }

func (s *stoppedInvoker) InvokeSystemMessage(any) {}
func (s *stoppedInvoker) InvokeUserMessage(msg any) {
	if _, ok := msg.(*Batch[int]); ok {
		s.in <- struct{}{}
		// Let the test's Close run before this returns: not a
		// synchronisation, only a wider window for the race detector.
		time.Sleep(time.Millisecond)
	}
}
func (s *stoppedInvoker) EscalateFailure(any, any) {}

// TestCloseWhileBatchReturnsUnhandled closes the mailbox while a batch is
// out with an actor that has stopped, as the engine does after a drain
// deadline: Close must leave the batch to the goroutine that delivers it,
// which books it when it comes back. Run it under -race.
func TestCloseWhileBatchReturnsUnhandled(t *testing.T) {
	m := mustNew[int](t, Options{Capacity: 8, MaxBatch: 4})
	inv := &stoppedInvoker{in: make(chan struct{})}
	d := &goDispatcher{}
	proto(m).RegisterHandlers(inv, d)
	proto(m).Start()
	for i := 0; i < 6; i++ {
		m.Post(&i)
	}
	<-inv.in // a batch is out with an actor that will not handle it
	m.Close()
	d.wg.Wait()
	c := m.Counts()
	checkInvariants(t, c)
	if c.Depth != 0 || c.Dropped[ReasonShutdown] != 6 {
		t.Fatalf("counts %+v", c)
	}
	if v := 9; m.Post(&v) {
		t.Fatal("accepted after the actor stopped and Close")
	}
}

// blockingInvoker holds each batch until the test lets it go, then books it
// as written.
type blockingInvoker struct {
	in, out chan struct{}
	ctrl    []any
}

func (s *blockingInvoker) InvokeSystemMessage(any) {}
func (s *blockingInvoker) InvokeUserMessage(msg any) {
	b, ok := msg.(*Batch[int])
	if !ok {
		s.ctrl = append(s.ctrl, msg)
		return
	}
	s.in <- struct{}{}
	<-s.out
	b.Written += b.Len()
	b.Handled()
}
func (s *blockingInvoker) EscalateFailure(any, any) {}

// TestCloseWhileBatchIsWritten closes the mailbox while the actor is still
// writing a batch (a sink blocked past the drain deadline): the queue is
// dropped at once, the batch is booked as written when the write returns,
// and a message sent to the actor before Close is still delivered.
func TestCloseWhileBatchIsWritten(t *testing.T) {
	m := mustNew[int](t, Options{Capacity: 8, MaxBatch: 2})
	inv := &blockingInvoker{in: make(chan struct{}), out: make(chan struct{})}
	d := &goDispatcher{}
	proto(m).RegisterHandlers(inv, d)
	for i := 0; i < 5; i++ {
		m.Post(&i)
	}
	proto(m).PostUserMessage("drain")
	<-inv.in
	m.Close()
	if c := m.Counts(); c.Dropped[ReasonShutdown] != 3 || c.Depth != 2 {
		t.Fatalf("after Close, batch still out: %+v", c)
	}
	close(inv.out)
	d.wg.Wait()
	c := m.Counts()
	checkInvariants(t, c)
	if c.Written != 2 || c.Dropped[ReasonShutdown] != 3 || c.Depth != 0 {
		t.Fatalf("counts %+v", c)
	}
	if len(inv.ctrl) != 1 || inv.ctrl[0] != "drain" {
		t.Fatalf("messages delivered: %v", inv.ctrl)
	}
}

// TestCloseBooksAFailedBatch closes the mailbox while a batch that made the
// actor panic waits for the restart: what the actor booked before the
// panic stays booked, the rest is dropped at shutdown.
func TestCloseBooksAFailedBatch(t *testing.T) {
	m := mustNew[int](t, Options{Capacity: 10})
	d := &manualDispatcher{}
	r := &recorder{panicAt: 3, armed: true, suspend: m}
	proto(m).RegisterHandlers(r, d)
	for i := 1; i <= 5; i++ {
		m.Post(&i)
	}
	d.runAll()
	m.Close()
	c := m.Counts()
	checkInvariants(t, c)
	if c.Written != 2 || c.Dropped[ReasonShutdown] != 3 || c.Depth != 0 {
		t.Fatalf("counts %+v", c)
	}
	proto(m).PostSystemMessage(&actor.ResumeMailbox{})
	d.runAll()
	if len(r.got) != 2 {
		t.Fatalf("delivered %v after Close", r.got)
	}
}
