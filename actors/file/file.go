package file

import (
	"github.com/actorlog/actorlog/actors"
)

// File is Python's FileHandler as a Sink: one file, appended to (mode "a",
// O_APPEND) or truncated when opened (mode "w").
//
// A File is used by one goroutine at a time (its handler actor).
type File struct {
	c *core
}

var (
	_ actors.Sink     = (*File)(nil)
	_ actors.Syncer   = (*File)(nil)
	_ actors.Reopener = (*File)(nil)
)

// New validates o and opens (unless o.Delay) o.Filename. Invalid options
// (wrapping ErrInvalidOptions) and a failure to open, such as a missing
// directory or a FIFO without a reader, are returned here, naming the path.
func New(o Options) (*File, error) {
	if err := o.prepare(o.Validate); err != nil {
		return nil, err
	}
	c := newCore(o)
	if err := c.start(); err != nil {
		return nil, err
	}
	return &File{c: c}, nil
}

// Name returns the absolute path of the file.
func (f *File) Name() string { return f.c.path }

// WriteBatch writes the records of b with one write(2). On an error it
// returns how many records were written whole and the error; a record the
// kernel took only in part is cut off the file again. With Fsync a failed
// fsync returns b.Len() (the records were written) and an error wrapping
// ErrSync.
//
// After Close, mode "a" reopens the file and appends (as Python does; call
// Close again), mode "w" writes nothing and returns ErrClosed.
func (f *File) WriteBatch(b *actors.Batch) (int, error) {
	return f.c.write(b.Buf, b.Ends, 0)
}

// Sync fsyncs the file.
func (f *File) Sync() error { return f.c.Sync() }

// Reopen closes and opens the file again.
func (f *File) Reopen() error { return f.c.Reopen() }

// Close closes the file (after an fsync under Fsync).
func (f *File) Close() error { return f.c.Close() }
