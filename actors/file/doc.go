// Package file writes log records to files, as Python's file handlers do.
// Each of its four sinks is an actors.Sink that a handler actor owns:
//
//	Python's class (logging.handlers)  constructor        options
//	FileHandler                        New                Options
//	WatchedFileHandler                 NewWatched (Unix)  Options
//	RotatingFileHandler                NewRotating        RotatingOptions
//	TimedRotatingFileHandler (3.14)    NewTimedRotating   TimedOptions
//
// A config file selects them by Python's class names and sets their options
// by Python's parameter names (filename, mode, maxBytes, backupCount, when,
// ...); a Go program builds the options struct and hands the sink to
// engine.NewHandler, which starts the handler actor that owns it from then
// on (see the package example).
//
// # Choosing a sink
//
//   - File appends to one file. Pair it with logrotate's "copytruncate", or
//     with "create" and a SIGHUP that makes the engine Reopen every file.
//   - Watched is a File that notices, before each batch, that its path was
//     renamed or removed (logrotate's "create" without a signal) and opens
//     the path again.
//   - Rotating rolls the file over to .1 (older backups shift up to
//     .BackupCount) before a record would bring it to MaxBytes; it can also
//     gzip the backups and delete those older than MaxAge.
//   - TimedRotating renames the file to base.SUFFIX at the end of each
//     period (When and Interval: every N seconds, minutes, hours, days, at
//     midnight or on a weekday, at AtTime), and keeps BackupCount of them.
//
// # Options
//
// Each options struct works at its zero value once Filename is set; each
// field's comment gives its default and its unit (sizes in bytes, ages as
// time.Duration). Fields tagged config:"name" are the ones a config file
// sets under that key; Namer, Rotator, Clock and Location are for Go
// programs only.
//
// Validate reports every problem at once, one line each, naming the field;
// the errors wrap ErrInvalidOptions. The constructors call it, so a bad option never reaches the file system:
// a Mode other than "a" or "w", an Encoding other than UTF-8, permission
// bits beyond 0777, a bad When or AtTime, a negative size, count, age or
// interval, Compress with a Rotator. Numbers a config could make huge are
// bounded where they cost something: Rotating's BackupCount is at most
// MaxBackupCount (each rollover looks for every backup), and a
// TimedRotating period (Interval times its unit) must fit a time.Duration.
// MaxBytes, MaxAge and a timed BackupCount are safe at any size.
//
// Paths are made absolute at construction, as Python's baseFilename. Other
// errors known at construction (a missing directory, without Delay) come
// from the constructor too, naming the path; with Delay the file is opened,
// and created, at the first batch.
//
// # Writes and failures
//
// A handler actor formats a batch of records into one buffer and calls
// WriteBatch, which writes it with one write(2) (a Rotating sink writes one
// run per file when a rollover falls inside the batch). Files are opened
// O_APPEND in mode "a" (the default), so writes land at the end even after
// logrotate's copytruncate.
//
// A write the kernel takes only in part (a full disk, RLIMIT_FSIZE) is cut
// off again: the file is truncated back to the end of the last whole
// record, so a torn record is never followed by another one, and
// WriteBatch returns how many records were written whole with the error.
// Nothing is retried inside the sink; the next batch simply writes again,
// so a sink recovers by itself when writes succeed again. Reporting the
// error at a limited rate and counting the dropped records is the
// handler's job.
//
// A failed rollover never loses the current file: the records go on to it,
// WriteBatch returns b.Len() with an error wrapping ErrRollover, and the
// next batch tries the rollover again.
//
// # Durability
//
// "Written" means write(2) returned. Sync (fsync) makes it durable; with
// Fsync every batch is fsynced, and the directory is fsynced after a file
// is created or a rollover renames files. A failed fsync closes the file
// (the next batch reopens it) and returns ErrSync: it is never retried as
// if it could succeed, since the kernel may already have dropped the data.
//
// # FIFOs, devices and other files that are not regular
//
// Opening never blocks. A FIFO without a reader, whose open(2) would wait
// for one for ever (in Python too), fails at once with an error naming it
// (wrapping ENXIO), at construction, at a reopen or at the next batch, and
// writing resumes once a reader is back; a FIFO with a reader is written as
// a pipe (a slow reader slows the handler). Devices such as /dev/null or a
// terminal are written as they are and never rotate. CheckPath tells a
// config checker about such destinations, and about a missing directory,
// before anything is opened.
//
// # Python parity and deviations
//
// Rollover rules, backup names, the renaming order, the namer and rotator
// hooks, the DST handling and the choice of old files to delete are
// Python's, checked byte for byte against golden data that
// testdata/gen_golden.py makes with Python's logging.handlers. Deviations:
//
//   - Rotating's size check counts the characters of the record as
//     formatted, terminator included: Python's len(msg) + 1 with the default
//     "\n" terminator; with another terminator its real length counts.
//   - Rotating with BackupCount 0 does not close and reopen the file at
//     each record past MaxBytes (which changes nothing in Python either).
//   - TimedRotating reads the clock once per batch, so a batch goes to one
//     file.
//   - Whether a file is regular (never roll /dev/null or a FIFO) is known
//     from the open file in Rotating, from the path in TimedRotating.
//   - Open failures are returned from WriteBatch (Python raises from the
//     logging call for FileHandler and WatchedFileHandler), and opening a
//     FIFO without a reader fails instead of waiting.
//   - A delayed Watched records device and inode at its first open, so it
//     does not reopen once for nothing at the second batch.
//   - Records are always UTF-8: Encoding exists for Python's configs and
//     accepts only UTF-8's names.
//
// # Beyond Python
//
// Rotating can gzip its backups (Compress) on a goroutine that Close joins,
// writing each archive under a temporary name renamed into place, and
// delete backups older than MaxAge. A backup whose compression a crash
// interrupted (base.1 without its base.1.gz) is compressed by the next
// NewRotating. With Compress the sink waits for the previous archive before
// the next rollover, so rollovers faster than gzip slow the writer down
// rather than pile up goroutines. Perm sets the permission of created
// files, and Fsync the durability of each batch.
//
// # Concurrency
//
// A sink is used by one goroutine at a time: its handler actor, once it is
// handed to engine.NewHandler (before that, by whoever made it). Name may
// be called from any goroutine. Time comes from the options' Clock, so
// tests drive rotation with clock.Fake instead of waiting.
//
// # Platforms
//
// Watched needs device and inode numbers: it is for Unix systems, as
// Python's WatchedFileHandler is, and NewWatched returns ErrUnsupported on
// Windows. The rotating sinks close the file before renaming it, as Python
// does, so rotation works on Windows too.
package file
