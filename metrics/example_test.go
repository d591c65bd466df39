package metrics_test

import (
	"context"
	"fmt"
	"io"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/metrics"
	"github.com/actorlog/actorlog/record"
)

// Register the engine's collector and read what a scrape would show.
func ExampleNewCollector() {
	eng := engine.New(engine.Options{ErrorOutput: io.Discard})
	defer eng.Shutdown(context.Background())
	h, _ := eng.NewHandler("null", actors.Null{}, actors.HandlerOptions{})
	eng.Logger("").AddHandler(h)
	eng.Logger("").Log(record.LevelError, "boom")
	_ = eng.Flush(context.Background())

	reg := prometheus.NewRegistry()
	reg.MustRegister(metrics.NewCollector(eng))
	n, _ := testutil.GatherAndCount(reg, "actorlog_handler_written_total")
	fmt.Println("series:", n)
	fmt.Println("written:", eng.Stats().Handlers[0].Written)
	// Output:
	// series: 1
	// written: 1
}
