package engine_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/record"
)

// Logging through slog: one engine, one handler actor writing to stdout, a
// logger of the dotted hierarchy, and a drain at the end.
func Example() {
	eng := engine.New(engine.Options{})
	console, err := eng.NewHandler("console", actors.NewStream(os.Stdout), actors.HandlerOptions{
		Formatter: format.MustPython("%(levelname)s %(name)s: %(message)s %(user)s", format.PythonOptions{}),
	})

	if err != nil {
		panic(err)
	}
	root := eng.Logger("")
	root.SetLevel(record.LevelInfo)
	root.AddHandler(console)

	log := slog.New(eng.SlogHandler("app.db"))
	log.Info("connected", "user", "ann")
	log.Debug("not shown: below the root's INFO level")

	if err := eng.Shutdown(context.Background()); err != nil {
		panic(err)
	}
	// Output:
	// INFO app.db: connected ann
}

// A record built elsewhere (as a receiver decodes one) posted through a
// logger, and the stats after a
// flush.
func ExampleLogger_LogRecord() {
	eng := engine.New(engine.Options{})
	defer eng.Shutdown(context.Background())
	h, _ := eng.NewHandler("console", actors.NewStream(os.Stdout), actors.HandlerOptions{
		Formatter: format.NewLogfmt(format.LogfmtOptions{}),
	})

	l := eng.Logger("billing")
	l.SetLevel(record.LevelDebug)
	l.AddHandler(h)
	// A record without a time (as slog allows) prints without one.
	var r record.Record
	r.Level, r.Logger, r.Message = record.LevelWarning, "billing", "card declined"
	r.AddAttrs(slog.String("card", "visa"), slog.Int("cents", 1250))
	l.LogRecord(&r)

	_ = eng.Flush(context.Background())
	st, _ := eng.Stats().ForHandler("console")
	fmt.Printf("written %d, dropped %d, in flight %d\n", st.Written, st.DroppedTotal(), st.InFlight)
	// Output:
	// level=WARNING logger=billing msg="card declined" card=visa cents=1250
	// written 1, dropped 0, in flight 0
}
