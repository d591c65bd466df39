package recorder_test

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/recorder"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/record"
)

// A test asserts on what the code under test logged.
func Example() {
	rec := recorder.New()
	eng := engine.New(engine.Options{Synchronous: true})
	defer eng.Shutdown(context.Background())
	h, _ := eng.NewHandler("rec", rec, actors.HandlerOptions{})
	eng.Logger("").AddHandler(h)
	eng.Logger("").SetLevel(record.LevelDebug)

	slog.New(eng.SlogHandler("app")).Warn("disk almost full", "free", "2%")

	for _, e := range rec.All() {
		free, _ := e.Attr("free")
		fmt.Println(e.Level, e.Logger, e.Message, free)
	}
	// Output:
	// WARNING app disk almost full 2%
}
