// Command quickstart is the README's first example: slog through an
// actorlog engine, with the records' attributes in the text and nothing lost
// at exit.
package main

import (
	"context"
	"errors"
	"log/slog"
	"os"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/record"
)

func main() {
	eng := engine.New(engine.Options{})
	// Handlers write asynchronously: drain them before main returns, or the
	// last records are lost. (os.Exit and log.Fatal skip deferred calls:
	// leave through eng.Exit(code), which drains first.)
	defer eng.Shutdown(context.Background())

	console, err := eng.NewHandler("console", actors.NewStream(os.Stdout), actors.HandlerOptions{
		Formatter: format.MustPython("%(levelname)s %(name)s: %(message)s %(attrs)s", format.PythonOptions{}),
	})
	if err != nil {
		panic(err)
	}
	root := eng.Logger("") // Python's root logger: level WARNING until set
	root.SetLevel(record.LevelInfo)
	root.AddHandler(console)

	log := slog.New(eng.SlogHandler("app.db"))
	log.Info("connected", "user", "ann")
	log.With("pool", 4).WithGroup("query").Warn("slow", "ms", 930, "table", "orders")
	log.Error("query failed", "err", errors.New("connection reset"))
}
