package mailbox_test

import (
	"fmt"
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actorlog/actorlog/mailbox"
)

// counter is an actor that reads the batches its mailbox hands it.
type counter struct{ done chan int }

func (c *counter) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *mailbox.Batch[int]:
		for i := 0; i < m.Len(); i++ {
			if v := *m.At(i); v < 0 {
				close(c.done)
			}
		}
		m.Written += m.Len() // book every record before saying Handled
		m.Handled()
	}
}

// A bounded mailbox in front of a protoactor actor: records are posted by
// value, and the actor receives them as batches.
func ExampleNew() {
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	defer sys.Shutdown()
	m := mailbox.New[int](mailbox.Options{Capacity: 4})
	c := &counter{done: make(chan int)}
	pid := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return c },
		actor.WithMailbox(func() actor.Mailbox { return m })))
	for _, v := range []int{1, 2, 3, -1} {
		m.Post(&v)
	}
	<-c.done
	_ = sys.Root.StopFuture(pid).Wait()
	m.Close() // refuses what comes later, and counts it
	v := 4
	fmt.Println("accepted after Close:", m.Post(&v))
	counts := m.Counts()
	fmt.Println("received", counts.Received, "written", counts.Written, "refused", counts.Dropped[mailbox.ReasonClosed])
	// Output:
	// accepted after Close: false
	// received 5 written 4 refused 1
}
