package actors_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/record"
)

// A handler actor on its own, without the engine: spawn it around a sink,
// post records, drain it.
func ExampleSpawn() {
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	defer sys.Shutdown()
	h, err := actors.Spawn(sys, "console", actors.NewStream(os.Stdout), actors.HandlerOptions{}, nil)
	if err != nil {
		panic(err)
	}
	for _, msg := range []string{"first", "second"} {
		r := record.Record{Level: record.LevelInfo, Message: msg}
		h.Post(&r)
	}
	if err := h.Drain(context.Background()); err != nil {
		panic(err)
	}
	c := h.Counts()
	fmt.Printf("written %d, in flight %d\n", c.Written, c.InFlight())
	// Output:
	// first
	// second
	// written 2, in flight 0
}
