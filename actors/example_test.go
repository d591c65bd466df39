package actors_test

import (
	"context"
	"fmt"
	"io"
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
