// Command config is the README's config example: a dictConfig-style YAML
// file turned into an engine, behind slog's default logger.
package main

import (
	"context"
	"log"
	"log/slog"

	"github.com/actorlog/actorlog/config"
)

func main() {
	cfg, err := config.Load("examples/app.yaml")
	if err != nil {
		log.Fatal(err) // every error, one per line
	}
	eng, err := config.Build(cfg, config.BuildOptions{MakeDirs: true}) // creates logs/, as serve does
	if err != nil {
		log.Fatal(err)
	}
	defer eng.Shutdown(context.Background())
	slog.SetDefault(slog.New(eng.SlogHandler("app")))
	slog.Info("configured", "file", cfg.File)
}
