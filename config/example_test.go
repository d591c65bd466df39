package config_test

import (
	"context"
	"fmt"
	"os"

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
