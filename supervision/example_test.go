package supervision_test

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/actorlog/actorlog/supervision"
	"github.com/asynkron/protoactor-go/actor"
)

// A top-level handler actor gets its Backoff through actor.WithGuardian:
// protoactor ignores actor.WithSupervisor for an actor spawned from Root.
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

	started := make(chan struct{}, 2)
	props := actor.PropsFromFunc(func(ctx actor.Context) {
		switch ctx.Message().(type) {
		case *actor.Started:
			started <- struct{}{}
		case string:
			panic("write failed")
		}
	}, actor.WithGuardian(backoff))
	pid := sys.Root.Spawn(props)
	<-started
	fmt.Println("started")

	sys.Root.Send(pid, "boom")
	fmt.Println(<-restarts)
	<-started
	fmt.Println("started again")
	_ = sys.Root.StopFuture(pid).Wait()
	// Output:
	// started
	// restart 1 after 10ms
	// started again
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
	// supervision: invalid options: RetryMax is -1s, must not be negative (0 means the default)
	// supervision: invalid options: RetryFactor is 0.5, must be at least 1 (0 means the default 2)
}
