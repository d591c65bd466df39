package supervision_test

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/supervision"
)

// A protoactor actor of your own, restarted by a Backoff after it fails, with
// a bounded mailbox in front. A top-level actor gets its strategy through
// actor.WithGuardian: protoactor ignores actor.WithSupervisor for an actor
// spawned from Root.
func Example() {
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	defer sys.Shutdown()

	restarts := make(chan string, 1)
	backoff, err := supervision.New(supervision.Options{
		RetryStart: 10 * time.Millisecond, // short for the example; the default is 1 s
		OnRestart: func(_ *actor.PID, attempt int, delay time.Duration) {
			restarts <- fmt.Sprintf("restart %d after %v", attempt, delay)
		},
	})
	if err != nil {
		panic(err)
	}
	defer backoff.Close()
	mb, err := mailbox.New[string](mailbox.Options{Capacity: 64})
	if err != nil {
		panic(err)
	}

	started := make(chan struct{}, 2)
	failed := false // state that outlives restarts lives outside the actor
	props := actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *actor.Started:
			started <- struct{}{}
		case *mailbox.Batch[string]:
			for ; m.Done < m.Len(); m.Done++ {
				if *m.At(m.Done) == "boom" && !failed {
					failed = true
					panic("write failed")
				}
				m.Written++
			}
			m.Handled()
		}
	}, actor.WithMailbox(mb.Producer()), actor.WithGuardian(backoff.Strategy()))
	pid := sys.Root.Spawn(props)
	<-started
	fmt.Println("started")

	for _, s := range []string{"one", "boom", "two"} {
		mb.Post(&s)
	}
	fmt.Println(<-restarts)
	<-started
	fmt.Println("started again")
	_ = sys.Root.PoisonFuture(pid).Wait() // Poison queues behind the records: a drain
	mb.Close()
	fmt.Println("written", mb.Counts().Written)
	// Output:
	// started
	// restart 1 after 10ms
	// started again
	// written 3
}

func ExampleBackoff_Delay() {
	var b supervision.Backoff // the defaults: 1 s, doubling, at most 30 s
	for n := 1; n <= 7; n++ {
		fmt.Print(b.Delay(n), " ")
	}
	fmt.Println()
	// Output: 1s 2s 4s 8s 16s 30s 30s
}

func ExampleOptions_Validate() {
	err := supervision.Options{RetryFactor: 0.5, RetryMax: -time.Second}.Validate()
	fmt.Println(err)
	// Output:
	// supervision: invalid options: RetryMax: must not be negative (got -1s; 0 means the default)
	// supervision: invalid options: RetryFactor: must be at least 1 (got 0.5; 0 means the default 2)
}
