// Package file holds the file destinations of actorlog's handlers, each an
// actors.Sink: File, Watched, Rotating and TimedRotating, after Python's
// FileHandler, WatchedFileHandler, RotatingFileHandler and (3.14's)
// TimedRotatingFileHandler.
//
// A handler actor owns one sink and calls it from one goroutine at a time:
// it formats a batch of records into one buffer and calls WriteBatch, which
// writes it with one write(2) (a Rotating sink writes one run per file when
// a rollover falls inside the batch).
//
// # Options
//
// Each constructor takes an options struct whose zero value works except for
// Filename; the fields carry Python's parameter names (Mode, Delay,
// MaxBytes, BackupCount, When, Interval, UTC, AtTime, Namer, Rotator).
// Errors known at construction (a missing directory without Delay, a bad
// When, a negative size) come from the constructor, wrapping ErrInvalidOptions or
// the file system's error and naming the path. Paths are made absolute at
// construction, as Python's baseFilename.
//
// # Writes and failures
//
// Files are opened O_APPEND in mode "a" (the default), so writes land at the
// end even after logrotate's copytruncate. A write the kernel takes only in
// part (a full disk, RLIMIT_FSIZE) is cut off again: the file is truncated
// back to the end of the last whole record, so a torn record is never
// followed by another record, and WriteBatch returns how many records were
// written whole with the error. Nothing is retried inside the sink; the next
// batch simply writes again, so a sink recovers by itself when writes
// succeed again. Reporting the error at a limited rate and counting the
// dropped records is the handler's job.
//
// A failed rollover never loses the current file: the records go on to it,
// WriteBatch returns b.Len() with an error wrapping ErrRollover, and the
// next batch tries the rollover again.
//
// Durability: "written" means write(2) returned. Sync (fsync) makes it
// durable; with Fsync every batch is fsynced and the directory is
// fsynced after a rollover. A failed fsync closes the file (the next batch
// reopens it) and is never retried as if it could succeed.
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
//     logging call for FileHandler and WatchedFileHandler).
//   - A delayed Watched records device and inode at its first open, so it
//     does not reopen once for nothing at the second batch.
//
// Beyond Python, Rotating can gzip its backups (Compress) on a goroutine
// that Close joins, writing each archive under a temporary name renamed
// into place, and delete backups older than MaxAge. A backup whose
// compression a crash interrupted (base.1 without its base.1.gz) is
// compressed by the next NewRotating. With Compress the sink waits for the
// previous archive before the next rollover, so rollovers faster than gzip
// slow the writer down rather than pile up goroutines.
//
// # Platforms
//
// Watched needs device and inode numbers: it is for Unix systems, as
// Python's WatchedFileHandler is, and NewWatched returns ErrUnsupported on
// Windows. The rotating sinks close the file before renaming it, as Python
// does, so rotation works on Windows too.
package file
