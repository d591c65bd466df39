package file

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/clock"
)

// Rotating is Python's RotatingFileHandler as a Sink: the file rolls over to
// .1 (older backups shift to .2 ... .BackupCount) when a record would bring
// it to MaxBytes.
//
// A Rotating is used by one goroutine at a time (its handler actor); with
// Compress it runs one more goroutine per rollover, which Close joins.
type Rotating struct {
	c           *core
	maxBytes    int64
	backupCount int
	namer       func(string) string
	rotator     func(src, dst string) error
	compress    bool
	maxAge      time.Duration
	clock       clock.Clock
	z           compressor
}

var (
	_ actors.Sink     = (*Rotating)(nil)
	_ actors.Syncer   = (*Rotating)(nil)
	_ actors.Reopener = (*Rotating)(nil)
)

// NewRotating validates o and opens (unless o.Delay) o.Filename. Errors
// are returned as by New.
func NewRotating(o RotatingOptions) (*Rotating, error) {
	if err := o.Options.prepare(o.Validate); err != nil {
		return nil, err
	}
	if o.MaxBytes > 0 {
		o.Mode = "a" // as Python: a rotating file is never truncated
	}
	r := &Rotating{
		c: newCore(o.Options), maxBytes: o.MaxBytes, backupCount: o.BackupCount,
		namer: o.Namer, rotator: o.Rotator, compress: o.Compress, maxAge: o.MaxAge, clock: clock.Or(o.Clock),
	}
	if err := r.c.start(); err != nil {
		return nil, err
	}
	if r.compress {
		r.resumeCompress()
	}
	return r, nil
}

// resumeCompress finishes the compression of the first backup that an
// earlier process left undone (its base.1 still there): compress it if its
// archive is missing, remove it if the archive was already renamed into
// place.
func (r *Rotating) resumeCompress() {
	raw, gz := r.rawName(1), r.backupName(1)
	if !exists(raw) {
		return
	}
	if exists(gz) {
		_ = os.Remove(raw)
		return
	}
	r.z.start(raw, gz, r.c.perm, false)
}

// Name returns the absolute path of the file.
func (r *Rotating) Name() string { return r.c.path }

// rawName is rotation_filename(base.N): the Namer applied.
func (r *Rotating) rawName(n int) string {
	s := r.c.path + "." + strconv.Itoa(n)
	if r.namer != nil {
		s = r.namer(s)
	}
	return s
}

// backupName is the name of backup n: rawName, plus ".gz" with Compress.
func (r *Rotating) backupName(n int) string {
	if r.compress {
		return r.rawName(n) + ".gz"
	}
	return r.rawName(n)
}

// shouldRollover is Python's rule for one record at position pos: never an
// empty or non-regular file, and size + characters >= MaxBytes, where the
// characters are the formatted record's with its terminator (Python's
// len(msg) + 1 with the default "\n").
func (r *Rotating) shouldRollover(pos int64, rec []byte) bool {
	if r.maxBytes <= 0 || pos == 0 || !r.c.regular {
		return false
	}
	if pos+int64(len(rec)) < r.maxBytes { // characters <= bytes
		return false
	}
	return pos+int64(utf8.RuneCount(rec)) >= r.maxBytes
}

// WriteBatch writes the records of b, rolling over before each record that
// Python's rule says would reach MaxBytes: the batch is written in runs, one
// write(2) per run.
//
// A failed rollover (a rename, the namer's target, the rotator) is not
// retried within the batch: the records go on to the current file, and
// WriteBatch returns b.Len() with an error wrapping ErrRollover. The next
// batch tries the rollover again.
func (r *Rotating) WriteBatch(b *actors.Batch) (int, error) {
	if err := r.c.ensureOpen(); err != nil {
		return 0, err
	}
	if r.maxBytes > 0 {
		r.c.followEnd() // the file's real end, not only what this sink wrote
	}
	if r.maxBytes <= 0 || r.backupCount == 0 || !r.c.regular || r.c.size+int64(len(b.Buf)) < r.maxBytes {
		// No record can roll over. (With BackupCount 0 Python closes and
		// reopens the file, which changes nothing.)
		return r.c.write(b.Buf, b.Ends, 0)
	}
	var rollErr error
	start, from := 0, 0 // first record and byte offset of the current run
	pos := r.c.size
	for i, end := range b.Ends {
		rec := b.Buf[from:end]
		if rollErr == nil && r.shouldRollover(pos, rec) {
			if i > start {
				off := 0
				if start > 0 {
					off = b.Ends[start-1]
				}
				n, err := r.c.write(b.Buf[off:from], b.Ends[start:i], off)
				if err != nil {
					return start + n, err
				}
			}
			start = i
			if err := r.doRollover(); err != nil {
				rollErr = err
				if err := r.c.ensureOpen(); err != nil {
					return start, errors.Join(rollErr, err)
				}
			}
			pos = r.c.size
		}
		pos += int64(len(rec))
		from = end
	}
	off := 0
	if start > 0 {
		off = b.Ends[start-1]
	}
	n, err := r.c.write(b.Buf[off:], b.Ends[start:], off)
	return start + n, errors.Join(err, rollErr)
}

// doRollover is Python's doRollover: close, shift .N-1 ... .1 up by one
// (plain renames, an existing target removed first), move the file to .1
// (with the Rotator if set), open a new file.
func (r *Rotating) doRollover() error {
	zerr := r.z.wait() // the previous backup must be in place before shifting
	cerr := r.c.closeFile()
	err := r.rotateFiles()
	oerr := r.c.open()
	if err == nil {
		r.c.syncDir()
		r.removeOld()
	}
	if err = errors.Join(zerr, cerr, err, oerr); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrRollover, r.c.path, err)
	}
	return nil
}

func exists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

func (r *Rotating) rotateFiles() error {
	for i := r.backupCount - 1; i > 0; i-- {
		sfn, dfn := r.backupName(i), r.backupName(i+1)
		if !exists(sfn) {
			continue
		}
		if exists(dfn) {
			if err := os.Remove(dfn); err != nil {
				return err
			}
		}
		if err := os.Rename(sfn, dfn); err != nil {
			return err
		}
	}
	d1 := r.backupName(1)
	if exists(d1) {
		if err := os.Remove(d1); err != nil {
			return err
		}
	}
	if r.compress {
		raw := r.rawName(1)
		if !exists(r.c.path) {
			return nil
		}
		if err := os.Rename(r.c.path, raw); err != nil {
			return err
		}
		r.z.start(raw, d1, r.c.perm, r.c.closed)
		return nil
	}
	return rotate(r.rotator, r.c.path, d1)
}

// rotate is Python's BaseRotatingHandler.rotate: the rotator, or a rename
// when the source exists (a delayed file may never have been created).
func rotate(rotator func(src, dst string) error, src, dst string) error {
	if rotator != nil {
		return rotator(src, dst)
	}
	if !exists(src) {
		return nil
	}
	return os.Rename(src, dst)
}

// removeOld deletes the backups older than MaxAge.
func (r *Rotating) removeOld() {
	if r.maxAge <= 0 {
		return
	}
	limit := r.clock.Now().Add(-r.maxAge)
	for i := 1; i <= r.backupCount; i++ {
		name := r.backupName(i)
		if fi, err := os.Stat(name); err == nil && fi.ModTime().Before(limit) {
			_ = os.Remove(name)
		}
	}
}

// Sync fsyncs the file.
func (r *Rotating) Sync() error { return r.c.Sync() }

// Reopen closes and opens the file again.
func (r *Rotating) Reopen() error { return r.c.Reopen() }

// Close closes the file and waits for a running compression.
func (r *Rotating) Close() error {
	err := r.c.Close()
	if zerr := r.z.wait(); zerr != nil {
		err = errors.Join(err, fmt.Errorf("%w: %w", ErrRollover, zerr))
	}
	return err
}
