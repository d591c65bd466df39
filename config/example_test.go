package config_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/actorlog/actorlog/actors/file"

	"github.com/actorlog/actorlog/config"
	"github.com/actorlog/actorlog/record"
)

func ExampleParse() {
	cfg, err := config.Parse([]byte(`
version: 1
formatters:
  plain: {format: "%(levelname)s %(name)s: %(message)s"}
handlers:
  console: {class: logging.StreamHandler, stream: ext://sys.stdout, formatter: plain}
loggers:
  app.db: {level: DEBUG}
root: {level: INFO, handlers: [console]}
`), "app.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = cfg.WriteTree(os.Stdout)
	// Output:
	// formatters:
	//   plain: python "%(levelname)s %(name)s: %(message)s"
	// handlers:
	//   console: StreamHandler level=NOTSET stream=stdout formatter=plain
	// loggers:
	//   root level=INFO effective=INFO -> [console]
	//     app.db level=DEBUG effective=DEBUG -> [console]
}

func ExampleParse_errors() {
	_, err := config.Parse([]byte(`version: 1
handlers:
  file:
    class: RotatingFileHandler
    filename: logs/app.log
    maxBytes: ten
    formater: plain
root: {level: info, handlers: [file, console]}
`), "app.yaml")
	fmt.Println(err)
	// Output:
	// app.yaml:6:15: handlers.file.maxBytes: want an integer, got "ten"
	// app.yaml:7:5: handlers.file.formater: unknown key (did you mean "formatter"?)
	// app.yaml:8:15: root.level: unknown level "info" (did you mean "INFO"? names are case-sensitive, as in Python)
	// app.yaml:8:38: root.handlers[1]: handler "console" is not defined (defined: file)
}

// The sink's own Validate judges a class's parameters; its verdicts are
// reported at the keys, with the bounds it documents.
func ExampleParse_bounds() {
	_, err := config.Parse([]byte(`version: 1
handlers:
  file:
    class: RotatingFileHandler
    filename: logs/app.log
    backupCount: 1000000000000
    mode: r
`), "app.yaml")
	fmt.Println(err)
	// Output:
	// app.yaml:6:18: handlers.file.backupCount: must be at most 10000 (got 1000000000000)
	// app.yaml:7:11: handlers.file.mode: want "a" or "w", got "r"
}

func ExampleBuild() {
	cfg, err := config.Parse([]byte(`
version: 1
handlers:
  console: {class: StreamHandler, stream: stdout}
root: {level: INFO, handlers: [console]}
`), "app.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	eng, err := config.Build(cfg, config.BuildOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	eng.Logger("app").Log(record.LevelInfo, "hello")
	eng.Logger("app").Log(record.LevelDebug, "not shown")
	_ = eng.Shutdown(context.Background())
	// Output:
	// hello
}

func ExampleLoad() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "app.yaml")
	err = os.WriteFile(path, []byte(`version: 1
handlers:
  file: {class: logging.handlers.RotatingFileHandler, filename: app.log, maxBytes: 1048576, backupCount: 3}
root: {level: INFO, handlers: [file]}
`), 0o600)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg, err := config.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	h := cfg.Handlers["file"]
	o := h.Options.(*file.RotatingOptions)
	fmt.Println(h.Class.Name, o.Filename, o.MaxBytes, o.BackupCount)
	// Output:
	// RotatingFileHandler app.log 1048576 3
}

func ExampleConfig_Check() {
	cfg, err := config.Parse([]byte(`version: 1
handlers:
  dir: {class: FileHandler, filename: `+os.TempDir()+`}
`), "app.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range cfg.Check() {
		fmt.Println(w.Path, errors.Is(w, file.ErrNotRegular))
	}
	// Output:
	// handlers.dir.filename true
}
