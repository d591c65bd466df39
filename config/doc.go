// Package config reads actorlog's config file, modelled on Python's
// logging.config.dictConfig, and builds an engine from it.
//
// # The file
//
// A config is YAML (JSON is valid YAML) with Python's keys and parameter
// names, so that a Python user recognises it:
//
//	version: 1
//	formatters:
//	  plain: {format: "%(asctime)s %(levelname)s %(name)s: %(message)s"}
//	  json:  {class: json}
//	filters:
//	  dbonly: {name: app.db}
//	handlers:
//	  console: {class: StreamHandler, stream: stderr, formatter: plain, level: INFO}
//	  file:
//	    class: logging.handlers.RotatingFileHandler
//	    filename: logs/app.log
//	    maxBytes: 10485760
//	    backupCount: 5
//	    formatter: json
//	    mailbox: {capacity: 65536, overflow: block}
//	loggers:
//	  app.db: {level: DEBUG, handlers: [file], propagate: false}
//	root: {level: INFO, handlers: [console]}
//	receivers:
//	  - {type: tcp, listen: "127.0.0.1:9020"}
//
// Top-level keys: version (must be 1), formatters, filters, handlers,
// loggers, root, disable_existing_loggers, incremental (true is an error:
// incremental configuration is not supported) and receivers (what
// `actorlog serve` listens on).
//
// A formatter takes Python's format, datefmt, style (%, { or $), validate
// and defaults, plus utc; or class: json or class: logfmt (with addSource and
// utc). A filter takes Python's name, plus minLevel and maxLevel.
//
// Every handler takes class, level, formatter, filters, terminator (also as
// Python's "." attribute dict), mailbox {capacity, overflow (block,
// drop_newest, drop_oldest), blockTimeout, maxBatch} and supervision
// {retryStart, retryFactor, retryMax, resetAfter}, and its class's own
// parameters under Python's names. A class is named by its short name
// (RotatingFileHandler) or Python's dotted name
// (logging.handlers.RotatingFileHandler); Classes lists them. The class
// table lives in classes.go, one row per class.
//
// # Values
//
// Durations are Go durations ("1s", "250ms") or numbers of seconds, as
// Python writes them (1.5). Sizes are integers of bytes. Levels are names
// (DEBUG, INFO, a name given to record.AddLevelName; case-sensitive, as in
// Python) or numbers. A stream is stdout or stderr, or Python's
// ext://sys.stdout and ext://sys.stderr. YAML anchors, aliases and merge
// keys work; top-level keys starting with "x-" are ignored, a place for
// anchors.
//
// # Errors
//
// Parse reports every problem of a file at once, as an Errors list whose
// Error method gives one line per problem, each naming the file, the line,
// the column and the key path:
//
//	app.yaml:13:15: handlers.file.maxBytes: want an integer, got "ten"
//	app.yaml:15:16: handlers.file.formatter: formatter "jsn" is not defined (did you mean "json"?)
//
// Each wraps a sentinel (ErrUnknownKey, ErrType, ErrUnknownClass,
// ErrUndefined, ErrCycle, ErrLevel, ErrValue...) for errors.Is.
//
// # Building
//
// Build makes a new engine from a Config: formatters, filters, sinks,
// handlers (in sorted-name order, a handler's targets before it, as
// dictConfig does), then loggers. If a step fails, what it made is closed
// and the engine shut down. Relative file names resolve against the working
// directory, as Python's do. disable_existing_loggers only concerns loggers
// that existed before the config, so on the new engine Build makes it
// changes nothing.
package config
