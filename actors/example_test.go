package actors_test

import (
	"context"
	"fmt"
	"os"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/record"
)

// A Stream handler (Python's StreamHandler) on standard output: the engine
// runs it as an actor; the sink only writes the batches it is handed.
func ExampleNewStream() {
	eng := engine.New(engine.Options{})
	h, err := eng.NewHandler("console", actors.NewStream(os.Stdout), actors.HandlerOptions{})
	if err != nil {
		panic(err)
	}
	root := eng.Logger("")
	root.AddHandler(h)
	root.Log(record.LevelWarning, "first")
	root.Log(record.LevelError, "second")
	if err := eng.Shutdown(context.Background()); err != nil {
		panic(err)
	}
	st, _ := eng.Stats().ForHandler("console")
	fmt.Printf("written %d, in flight %d\n", st.Written, st.InFlight)
	// Output:
	// first
	// second
	// written 2, in flight 0
}
