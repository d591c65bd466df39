package mailbox

import (
	"log/slog"
	"runtime"
	"sync"
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

// heldDispatcher runs what it is given on a goroutine of its own, each once
// release is closed.
type heldDispatcher struct {
	goDispatcher
	release chan struct{}
}

func (d *heldDispatcher) Schedule(fn func()) {
	d.goDispatcher.Schedule(func() { <-d.release; fn() })
}

// TestCloseWhileBatchIsWritten closes the mailbox while the actor is still
// writing a batch (a sink blocked past the drain deadline): the queue is
// dropped at once, the batch is booked as written when the write returns,
// and a message sent to the actor before Close is still delivered.
func TestCloseWhileBatchIsWritten(t *testing.T) {
	m := mustNew[int](t, Options{Capacity: 8, MaxBatch: 2})
	inv := &blockingInvoker{in: make(chan struct{}), out: make(chan struct{})}
	// The actor runs only once everything is posted, so that its first
	// batch is full whatever the scheduler does.
	d := &heldDispatcher{release: make(chan struct{})}
	proto(m).RegisterHandlers(inv, d)
	for i := 0; i < 5; i++ {
		m.Post(&i)
	}
	proto(m).PostUserMessage("drain")
	close(d.release)
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
	m, d, r := failedBatch(t)
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

// slowActor books every record as written, slowly enough that batches are
// out when the test stops it.
type slowActor struct{}

func (slowActor) Receive(ctx actor.Context) {
	if b, ok := ctx.Message().(*Batch[int]); ok {
		for ; b.Done < b.Len(); b.Done++ {
			b.Written++
			if b.Done%64 == 0 {
				runtime.Gosched()
			}
		}
		b.Handled()
	}
}

// TestStopAndCloseUnderLoad is the engine's short-deadline shutdown with
// real protoactor: producers keep posting while the actor is stopped and
// the mailbox closed, many times over. Run it under -race; the counts must
// add up once the last batch is back.
func TestStopAndCloseUnderLoad(t *testing.T) {
	sys := actor.NewActorSystem(
		actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return slog.New(slog.DiscardHandler) }),
		actor.WithDeadLetterThrottleInterval(time.Millisecond))
	defer sys.Shutdown()
	for round := 0; round < 30; round++ {
		m := mustNew[int](t, Options{Capacity: 256, MaxBatch: 32})
		pid := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return slowActor{} },
			actor.WithMailbox(m.Producer())))
		var wg sync.WaitGroup
		for p := 0; p < 2; p++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for v := 0; m.Post(&v); v++ {
				}
			}()
		}
		for m.Counts().Accepted < 1000 {
			runtime.Gosched()
		}
		_ = sys.Root.StopFuture(pid).Wait()
		m.Close()
		wg.Wait()
		deadline := time.Now().Add(10 * time.Second)
		for m.Counts().Depth > 0 && time.Now().Before(deadline) {
			runtime.Gosched()
		}
		c := m.Counts()
		checkInvariants(t, c)
		if c.Depth != 0 || c.Dropped[ReasonClosed] != 2 {
			t.Fatalf("round %d: counts %+v", round, c)
		}
	}
}
