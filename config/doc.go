// Package config reads actorlog's config file, modelled on Python's
// logging.config.dictConfig, and builds an engine from it.
//
//	cfg, err := config.Load("app.yaml") // every problem at once, each at file:line:col
//	if err != nil {
//		log.Fatal(err)
//	}
//	eng, err := config.Build(cfg, config.BuildOptions{})
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer eng.Shutdown(context.Background())
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
// `actorlog serve` listens on). Top-level keys starting with "x-" are
// ignored: a place for YAML anchors. As in Python 3.9+, loggers "" and root
// configure the root logger (a top-level root, read after, wins); the
// root's propagate key is accepted and, as in Python, means nothing.
//
// # Formatters and filters
//
// A formatter takes Python's format, datefmt, style (%, { or $), validate
// and defaults, plus utc; a format may name %(attrs)s, the record's
// attributes as logfmt, and reach an attribute inside groups by its dotted
// name, %(db.host)s. class: logfmt takes addSource and utc; class: json
// also takes timeFormat (RFC3339Nano, RFC3339, unix, unixmilli, unixnano)
// and timeKey, levelKey, loggerKey, sourceKey and messageKey to rename its
// keys. A filter takes Python's name (records of that logger and its
// children pass; "root" passes the root logger's), plus minLevel and
// maxLevel.
//
// # Handlers
//
// Every handler takes class, level, formatter, filters, terminator (also as
// Python's "." attribute dict: {".": {terminator: ""}}), and two blocks of
// actorlog's own:
//
//	mailbox:     {capacity, overflow (block, drop_newest, drop_oldest), blockTimeout, maxBatch}
//	supervision: {retryStart, retryFactor, retryMax, resetAfter}
//
// A class is named by its short name (RotatingFileHandler) or Python's
// dotted name (logging.handlers.RotatingFileHandler); Classes lists them,
// Class.Keys lists a class's own parameters:
//
//	StreamHandler             stream (stdout, stderr: the default; ext://sys.stdout, ext://sys.stderr)
//	NullHandler               (none)
//	FileHandler               filename, mode (a, w), encoding (UTF-8 only), delay, perm, fsync
//	WatchedFileHandler        as FileHandler
//	RotatingFileHandler       as FileHandler, and maxBytes, backupCount, compress, maxAge
//	TimedRotatingFileHandler  as FileHandler (mode a only), and when, interval, utc, atTime, backupCount
//
// Parameters are those of the sink's own options (file.RotatingOptions for
// RotatingFileHandler): each field tagged `config:"maxBytes"` is the key
// maxBytes, and the options' Validate judges the values, so the config
// refuses exactly what the sink would, with the same bounds.
// HandlerSpec.Options holds the decoded options.
//
// # Values
//
// Durations are Go durations ("1s", "250ms") or numbers of seconds, as
// Python writes them (1.5). Sizes are integers of bytes. Levels are names
// (DEBUG, INFO, a name given to record.AddLevelName; case-sensitive, as in
// Python) or numbers. Permissions are octal (0640). YAML anchors, aliases
// and merge keys work.
//
// # Bounds
//
// A config is read whole, up to MaxSize (4 MiB): a larger file, or a stream
// without end, is refused after MaxSize+1 bytes. Aliases may expand to at
// most 1<<20 nodes. Every number a config can make huge is bounded by the
// options that take it (a mailbox's capacity, a rotating file's
// backupCount, a timed rotation's period, supervision delays), or is safe at
// any size (maxBytes), as each field's documentation says. Messages quote at
// most 64 bytes of a value, then give its length.
//
// # Errors
//
// Parse reports every problem of a file at once, as an Errors list whose
// Error method gives one line per problem, each naming the file, the line,
// the column and the key path, with a suggestion for a likely typo:
//
//	app.yaml:6:15: handlers.file.maxBytes: want an integer, got "ten"
//	app.yaml:7:5: handlers.file.formater: unknown key (did you mean "formatter"?)
//	app.yaml:9:16: handlers.file.backupCount: must be at most 10000 (got 1000000000000)
//
// Each wraps a sentinel (ErrUnknownKey, ErrType, ErrValue, ErrMissing,
// ErrUnknownClass, ErrUndefined, ErrCycle, ErrLevel, ErrTooLarge...) for
// errors.Is; a problem found by a sink's Validate also wraps that package's
// ErrInvalidOptions.
//
// Config.Check adds warnings about what is valid but may not work as meant:
// a file handler whose file is a FIFO, a device or a directory.
// `actorlog check` prints them and the tree of WriteTree.
//
// # Building
//
// Build makes a new engine from a Config: sinks and handlers (in
// sorted-name order, a handler's targets before it, as dictConfig does),
// then loggers. If a step fails, what it made is closed and the engine shut
// down. Relative file names resolve against the working directory, as
// Python's do. disable_existing_loggers only concerns loggers that existed
// before the config, so on the new engine Build makes it changes nothing.
//
// # Adding a handler class
//
// A class is one row of the table in classes.go plus its options type:
//
//	classRow[file.RotatingOptions]{
//		Name: "RotatingFileHandler", Python: []string{"logging.handlers.RotatingFileHandler"},
//		New:  func(o *file.RotatingOptions, env *SinkEnv) (actors.Sink, error) { return file.NewRotating(*o) },
//		Dest: func(o *file.RotatingOptions) (string, bool) { return o.Filename, true },
//	}
//
// The options' fields a config may set carry `config:"pythonName"` tags
// (embedded structs are walked; a string or []string field tagged
// `config:"target,handler"` names other handlers, which Parse checks,
// HandlerSpec.Targets lists and SinkEnv.Handler returns; a bool field
// tagged `config:"flushOnClose,not"` holds the key's opposite, so that a
// key whose Python default is true keeps a usable Go zero value); their
// Validate returns optcheck.FieldErrors
// naming Go fields, which the config reports at the keys. Formatters and
// receivers have tables of the same kind.
package config
