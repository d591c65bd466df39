package mailbox_test

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/supervision"
)

// disk is what outlives the writer's restarts: the lines written so far.
type disk struct {
	lines  []int
	starts int
	failed bool // the one transient failure has happened
	done   chan struct{}
}

// writer is an actor that writes the records of the batches its mailbox
// hands it. It refuses negative records (dropped under a reason it names),
// fails once on record 2 as a sink may on a full disk, and stops at 0.
type writer struct{ d *disk }

func (w writer) Receive(ctx actor.Context) {
	switch b := ctx.Message().(type) {
	case *actor.Started:
		w.d.starts++
	case *mailbox.Batch[int]:
		for ; b.Done < b.Len(); b.Done++ { // Done: records of an earlier delivery already booked
			switch v := *b.At(b.Done); {
			case v == 2 && !w.d.failed:
				w.d.failed = true
				panic("disk full") // the back-off restarts us; the batch comes again
			case v < 0:
				b.Fail(1, "negative")
			case v == 0:
				b.Filtered++
				close(w.d.done)
			default:
				w.d.lines = append(w.d.lines, v)
				b.Written++
			}
		}
		b.Handled() // every record is booked
	}
}

// A protoactor actor of your own behind a bounded, counted mailbox, restarted
// by an exponential back-off: records are posted by value and arrive as
// batches, a batch that failed is handed to the restarted actor again, and
// the counts add up to what was posted.
func Example() {
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	defer sys.Shutdown()

	m, err := mailbox.New[int](mailbox.Options{Capacity: 16, Overflow: mailbox.DropNewest})
	if err != nil {
		panic(err)
	}
	backoff, err := supervision.New(supervision.Options{RetryStart: time.Millisecond})
	if err != nil {
		panic(err)
	}
	defer backoff.Close()

	d := &disk{done: make(chan struct{})}
	pid := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return writer{d} },
		actor.WithMailbox(m.Producer()), actor.WithGuardian(backoff.Strategy())))
	for _, v := range []int{1, 2, -3, 4, 0} {
		m.Post(&v)
	}
	<-d.done
	_ = sys.Root.StopFuture(pid).Wait() // the actor has booked its last batch
	m.Close()                           // refuses what comes later, and counts it
	v := 5
	fmt.Println("accepted after Close:", m.Post(&v))
	fmt.Println("lines:", d.lines, "restarts:", d.starts-1)
	c := m.Counts()
	fmt.Println("received", c.Received, "written", c.Written, "filtered", c.Filtered,
		"negative", c.Dropped["negative"], "closed", c.Dropped[mailbox.ReasonClosed])
	// Output:
	// accepted after Close: false
	// lines: [1 2 4] restarts: 1
	// received 6 written 3 filtered 1 negative 1 closed 1
}

// Validate names every field that is wrong; New refuses the same options.
func ExampleOptions_Validate() {
	err := mailbox.Options{Capacity: 1 << 40, BlockTimeout: -time.Second}.Validate()
	fmt.Println(err)
	fmt.Println(errors.Is(err, mailbox.ErrInvalidOptions))
	// Output:
	// mailbox: invalid options: Capacity: must be at most 1048576 (got 1099511627776)
	// mailbox: invalid options: BlockTimeout: must not be negative (got -1s)
	// true
}
