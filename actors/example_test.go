package actors_test

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/format"
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

// lineSink prints each record, and gives up alone any record longer than
// its limit, as a datagram sink gives up one too large to send.
type lineSink struct{ limit int }

func (s lineSink) WriteBatch(b *actors.Batch) (int, error) {
	for i := 0; i < b.Len(); i++ {
		if len(b.Record(i)) > s.limit {
			b.Fail(i, "too_large", fmt.Errorf("%d bytes", len(b.Record(i))))
			continue
		}
		fmt.Print(string(b.Record(i)))
	}
	return b.Len(), nil
}

func (lineSink) Close() error { return nil }

// A sink of one's own: WriteBatch writes what it can and gives up one
// record alone with Batch.Fail; the rest of the batch is not affected.
func ExampleBatch_Fail() {
	eng := engine.New(engine.Options{ErrorOutput: io.Discard})
	h, err := eng.NewHandler("lines", lineSink{limit: 16}, actors.HandlerOptions{})
	if err != nil {
		panic(err)
	}
	l := eng.Logger("")
	l.AddHandler(h)
	l.Log(record.LevelError, "short")
	l.Log(record.LevelError, "a message far too long for this sink")
	l.Log(record.LevelError, "short again")
	if err := eng.Shutdown(context.Background()); err != nil {
		panic(err)
	}
	st, _ := eng.Stats().ForHandler("lines")
	fmt.Printf("written %d, dropped %d\n", st.Written, st.DroppedTotal())
	// Output:
	// short
	// short again
	// written 2, dropped 1
}

// A Memory handler (Python's MemoryHandler) holds DEBUG and INFO records
// until a WARNING arrives, then passes them all, in order, to its target.
func ExampleNewMemory() {
	eng := engine.New(engine.Options{})
	if _, err := eng.NewHandler("console", actors.NewStream(os.Stdout), actors.HandlerOptions{}); err != nil {
		panic(err)
	}
	mem, err := actors.NewMemory(actors.MemoryOptions{Capacity: 100, FlushLevel: record.LevelWarning})
	if err != nil {
		panic(err)
	}
	h, err := eng.NewHandler("buffer", mem, actors.HandlerOptions{Targets: []string{"console"}})
	if err != nil {
		panic(err)
	}
	l := eng.Logger("app")
	l.SetLevel(record.LevelDebug)
	l.AddHandler(h)
	l.Log(record.LevelDebug, "connecting")
	l.Log(record.LevelInfo, "retrying")
	if err := eng.Flush(context.Background()); err != nil {
		panic(err)
	}
	fmt.Println("-- nothing yet")
	l.Log(record.LevelWarning, "gave up")
	if err := eng.Shutdown(context.Background()); err != nil {
		panic(err)
	}
	// Output:
	// -- nothing yet
	// connecting
	// retrying
	// gave up
}

// A Queue handler (Python's QueueHandler) with its listener: records are
// formatted by the queue handler and handed to the listener's handlers;
// Stop returns once they have handled everything logged before it.
func ExampleNewQueue() {
	eng := engine.New(engine.Options{})
	if _, err := eng.NewHandler("console", actors.NewStream(os.Stdout), actors.HandlerOptions{}); err != nil {
		panic(err)
	}
	q, err := actors.NewQueue(actors.QueueOptions{})
	if err != nil {
		panic(err)
	}
	f, err := format.NewPython("%(name)s -> %(levelname)s: %(message)s", format.PythonOptions{})
	if err != nil {
		panic(err)
	}
	h, err := eng.NewHandler("queue", q, actors.HandlerOptions{Targets: []string{"console"}, Formatter: f})
	if err != nil {
		panic(err)
	}
	eng.Logger("que").AddHandler(h)
	listener := h.Listener()
	if err := listener.Start(); err != nil {
		panic(err)
	}
	eng.Logger("que").Log(record.LevelWarning, "disk almost full")
	if err := listener.Stop(context.Background()); err != nil {
		panic(err)
	}
	fmt.Println("-- stopped")
	if err := eng.Shutdown(context.Background()); err != nil {
		panic(err)
	}
	// Output:
	// que -> WARNING: disk almost full
	// -- stopped
}

// A Buffering sink (Python's BufferingHandler) hands its Flush hook a
// full buffer, as a Python subclass overrides flush.
func ExampleNewBuffering() {
	eng := engine.New(engine.Options{})
	b, err := actors.NewBuffering(actors.BufferingOptions{Capacity: 2, Flush: func(rs []record.Record) error {
		fmt.Printf("flush of %d:", len(rs))
		for _, r := range rs {
			fmt.Printf(" %s", r.Message)
		}
		fmt.Println()
		return nil
	}})
	if err != nil {
		panic(err)
	}
	h, err := eng.NewHandler("batches", b, actors.HandlerOptions{})
	if err != nil {
		panic(err)
	}
	root := eng.Logger("")
	root.AddHandler(h)
	for _, m := range []string{"a", "b", "c"} {
		root.Log(record.LevelWarning, m)
	}
	if err := eng.Shutdown(context.Background()); err != nil { // Close flushes c
		panic(err)
	}
	// Output:
	// flush of 2: a b
	// flush of 1: c
}
