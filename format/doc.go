// Package format turns records into text: Python's logging.Formatter format
// strings, JSON objects and logfmt lines.
//
// # Choosing a formatter
//
// Every formatter implements Formatter: Append writes one record to the end
// of a caller's buffer and adds no terminator (the handler adds it). A
// handler given no formatter uses Default, Python's Formatter() with no
// format string: the message, then the exception and stack texts.
//
//	py, err := format.NewPython("%(asctime)s %(levelname)-8s %(name)s: %(message)s", format.PythonOptions{})
//	js := format.NewJSON(format.JSONOptions{})      // {"time":…,"level":"INFO","logger":"app","msg":…,…}
//	lf := format.NewLogfmt(format.LogfmtOptions{})  // time=… level=INFO logger=app msg=… k=v
//
// A formatter is immutable once built and safe for concurrent use, so one
// value may serve several handlers; it never panics on odd input (a nil
// value, a missing attribute), but writes something visible instead, as slog
// writes !BADKEY.
//
// # Python format strings
//
// NewPython parses a logging.Formatter format string once:
//
//	f, err := format.NewPython("%(asctime)s %(levelname)-8s %(name)s: %(message)s", format.PythonOptions{})
//
// Every LogRecord attribute Python documents is a field: name ("root" for the
// root logger), levelno, levelname, pathname, filename, module, funcName,
// lineno, created, msecs, relativeCreated, thread, threadName, process,
// processName, taskName, message, msg, args, asctime, exc_info, exc_text and
// stack_info. Any other key names one of the record's top-level attributes
// (Python's extra), or, with dots, an attribute inside groups (%(db.host)s,
// {db.host}: host in group db, from WithGroup or a slog.Group value), then
// PythonOptions.Defaults.
//
// One field is actorlog's own: %(attrs)s (AttrsField) writes all the
// record's attributes as slog's TextHandler writes them, k=v with groups
// dotted and values quoted as slog quotes them; nothing, and no space
// before it, for a record without attributes:
//
//	%(levelname)s %(name)s: %(message)s %(attrs)s  ->  INFO app.db: connected user=ann
//
// A field found nowhere is written as %!(MISSING key), and a value of the wrong type for its conversion
// as %!d(str='text'), where Python would raise and report the record through
// handleError.
//
// Conversions follow Python's % operator: the flags - 0 + space #, width,
// precision, and the types s r a d i u o x X e E f F g G c, with %% for a
// percent sign. Widths and precisions count characters, not bytes. Python's
// str.format ('{') and string.Template ('$') styles are supported through
// PythonOptions.Style, for plain and dotted field names (no index access).
//
// Times follow CPython 3.14: created is the record's Unix time in nanoseconds
// divided by 1e9, msecs is the whole milliseconds of the nanoseconds (0 when
// that division rounded created up into the next second), and asctime
// formats the whole second of created with PythonOptions.Datefmt (a glibc
// strftime pattern) in PythonOptions.Location (time.Local by default, as
// Python's localtime converter).
//
// After the message come the exception text (Record.ErrText) and the stack
// text (Record.Stack), each on a new line unless the text so far ends with a
// newline, exactly as logging.Formatter.format appends them.
//
// # Errors
//
// NewPython returns an error wrapping ErrInvalidFormat for a format string
// that does not parse (Python would fail on every record instead), and one
// wrapping ErrInvalidOptions, from PythonOptions.Validate, for options that
// cannot work. MustPython panics on either, as regexp.MustCompile does, for
// formats written in the program's source. JSON and logfmt options cannot be
// invalid, so NewJSON and NewLogfmt return no error, as slog's
// NewJSONHandler does.
//
// # JSON and logfmt
//
// NewJSON and NewLogfmt write what slog's JSONHandler and TextHandler write
// for the same record, with Python's level names, a "logger" key (left out for
// the root logger), and "exc_info" and "stack_info" at the end when set.
// JSONOptions renames the record's own keys and chooses the time format
// (RFC 3339 with nanoseconds by default; RFC 3339, Unix seconds,
// milliseconds or nanoseconds), as zap and zerolog users expect.
//
// # Caller
//
// A formatter that writes the record's caller implements CallerNeeder and
// says so; the engine then captures the caller of its native Logger.Log for
// the loggers that reach it, and not otherwise.
//
// # Cost
//
// Formatting the usual record allocates nothing. Each formatter keeps the
// text of the last whole second it wrote (keyed by Unix second and
// *time.Location, so daylight saving time and zone changes are exact) and
// writes only the fraction for later records of that second; a hit is one
// atomic load. JSON and logfmt put the text between the record's own fields
// (keys, separators, the standard level names) together once, when the
// formatter is built, and the cached second carries the keys around it.
// A Scope's attributes are encoded once per formatter kind and
// kept in the Scope; records are encoded without Record.Walk's call per
// attribute, and strings are scanned eight bytes at a time.
//
// # Golden tests
//
// The tests share one table of records. The Python formatter is compared byte
// for byte with logging.Formatter's output, generated by
// testdata/gen_python_golden.py (go generate reruns it with /usr/bin/python3
// and TZ=Europe/Berlin); JSON and logfmt are compared with slog's handlers.
package format

//go:generate go test -run ^TestGoldenRecordsFile$ -update-records .
//go:generate sh -c "TZ=Europe/Berlin /usr/bin/python3 testdata/gen_python_golden.py testdata/golden_records.json testdata/python_golden.json"
