package file

import (
	"errors"
	"io/fs"

	"github.com/actorlog/actorlog/actors"
)

// Watched is Python's WatchedFileHandler as a Sink: a File that, before each
// batch, stats its path and reopens it when the path vanished or now names
// another file (device or inode changed), as after logrotate's "create" mode.
//
// Watched is for Unix systems, as in Python; NewWatched returns
// ErrUnsupported on Windows.
type Watched struct {
	c        *core
	dev, ino uint64
	known    bool // dev and ino were recorded from the open file
	st       statBuf
}

var (
	_ actors.Sink     = (*Watched)(nil)
	_ actors.Syncer   = (*Watched)(nil)
	_ actors.Reopener = (*Watched)(nil)
)

// NewWatched validates o, opens (unless o.Delay) o.Filename and records its
// device and inode numbers. Errors are returned as by New.
//
// Unlike Python, a delayed Watched records them at its first open too, so
// it does not reopen the file once for nothing at the second batch.
func NewWatched(o Options) (*Watched, error) {
	if !haveFileID {
		return nil, ErrUnsupported
	}
	if err := o.prepare(o.Validate); err != nil {
		return nil, err
	}
	w := &Watched{c: newCore(o)}
	w.c.onOpen = w.record
	if err := w.c.start(); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *Watched) record(fi fs.FileInfo) {
	w.dev, w.ino, w.known = fileID(fi)
}

// Name returns the absolute path of the file.
func (w *Watched) Name() string { return w.c.path }

// reopenIfNeeded is Python's reopenIfNeeded: stat the path, reopen if it is
// missing or another file. A failed reopen leaves no file open, and the next
// batch tries again.
func (w *Watched) reopenIfNeeded() error {
	if w.c.f == nil {
		return nil
	}
	dev, ino, err := statID(w.c.path, &w.st)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err == nil && w.known && dev == w.dev && ino == w.ino {
		return nil
	}
	cerr := w.c.closeFile()
	if err := w.c.open(); err != nil {
		return errors.Join(cerr, err)
	}
	return nil
}

// WriteBatch reopens the file if needed, then writes as File.WriteBatch.
func (w *Watched) WriteBatch(b *actors.Batch) (int, error) {
	if err := w.reopenIfNeeded(); err != nil {
		return 0, err
	}
	return w.c.write(b.Buf, b.Ends, 0)
}

// Sync fsyncs the file.
func (w *Watched) Sync() error { return w.c.Sync() }

// Reopen closes and opens the file again.
func (w *Watched) Reopen() error { return w.c.Reopen() }

// Close closes the file.
func (w *Watched) Close() error { return w.c.Close() }
