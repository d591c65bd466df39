package file

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// core is an open (or not yet open) file with Python's FileHandler rules and
// the torn-record repair shared by every sink of the package.
type core struct {
	path     string
	append   bool
	perm     os.FileMode
	delay    bool
	fsyncAll bool // Options.Fsync: fsync after every write

	f       *os.File
	size    int64 // bytes in the file as this sink knows it (the position)
	regular bool  // the open file is a regular file
	closed  bool  // Close was called
	// newline is set when a torn record could not be cut off: the next write
	// starts with a newline so that the fragment stays a line of its own.
	newline bool

	// onOpen, when set, is called with the FileInfo of each newly opened
	// file (Watched).
	onOpen func(fs.FileInfo)
}

func newCore(o Options) *core {
	return &core{path: o.Filename, append: o.Mode == "a", perm: o.Perm, delay: o.Delay, fsyncAll: o.Fsync}
}

// start opens the file unless Delay is set: the constructor's open, whose
// failure (a missing directory) the constructor returns.
func (c *core) start() error {
	if c.delay {
		return nil
	}
	return c.open()
}

// followEnd sets size to the real end of an appended file, as Python's
// RotatingFileHandler reads it (seek to the end, tell) before each record:
// someone else may have truncated the file (copytruncate) or appended to it.
// A file not opened for appending, or not a regular file, keeps its count.
func (c *core) followEnd() {
	if c.f == nil || !c.regular || !c.append {
		return
	}
	if fi, err := c.f.Stat(); err == nil {
		c.size = fi.Size()
	}
}

func (c *core) open() error {
	flag := os.O_WRONLY | os.O_CREATE
	if c.append {
		flag |= os.O_APPEND
	} else {
		flag |= os.O_TRUNC
	}
	f, fi, err := openFile(c.path, flag, c.perm)
	if err != nil {
		return err
	}
	c.f = f
	c.size, c.regular = 0, fi.Mode().IsRegular()
	if c.regular {
		c.size = fi.Size()
	}
	if c.onOpen != nil {
		c.onOpen(fi)
	}
	c.syncDir() // under Fsync, a file just created survives a crash
	return nil
}

// ensureOpen opens the file if it is not open: after Delay, after Close in
// mode "a" (Python reopens and appends), after a failed open or fsync.
func (c *core) ensureOpen() error {
	if c.f != nil {
		return nil
	}
	if c.closed && !c.append {
		return fmt.Errorf("%s: %w", c.path, ErrClosed)
	}
	return c.open()
}

// closeFile closes the descriptor, if any.
func (c *core) closeFile() error {
	if c.f == nil {
		return nil
	}
	err := c.f.Close()
	c.f = nil
	return err
}

// write writes buf, whose records end at ends (offsets counted from base,
// the offset of buf in its batch), with one write(2) (more only if the kernel
// takes part of it). It returns how many records were written whole. A record the kernel took only in part is cut off again (the file is
// truncated back to the end of the last whole record), so that a torn record
// is never followed by another one.
func (c *core) write(buf []byte, ends []int, base int) (int, error) {
	if len(buf) == 0 {
		return len(ends), nil
	}
	if err := c.ensureOpen(); err != nil {
		return 0, err
	}
	if c.newline {
		n, err := c.f.Write(newline)
		c.size += int64(n)
		if err != nil {
			return 0, err
		}
		c.newline = false
	}
	n, err := c.f.Write(buf)
	c.size += int64(n)
	if err == nil {
		if c.fsyncAll {
			if err := c.fsync(); err != nil {
				return len(ends), err
			}
		}
		return len(ends), nil
	}
	whole := sort.Search(len(ends), func(i int) bool { return ends[i]-base > n })
	last := 0
	if whole > 0 {
		last = ends[whole-1] - base
	}
	if torn := n - last; torn > 0 {
		c.repair(int64(torn))
	}
	return whole, err
}

var newline = []byte{'\n'}

// repair removes the torn bytes at the end of the file. The position after
// the write is asked of the kernel, so a truncation by someone else
// (logrotate's copytruncate) does not matter.
func (c *core) repair(torn int64) {
	if c.regular {
		if off, err := c.f.Seek(0, io.SeekCurrent); err == nil && off >= torn {
			if err := c.f.Truncate(off - torn); err == nil {
				if _, err := c.f.Seek(off-torn, io.SeekStart); err == nil {
					c.size = off - torn
					return
				}
			}
		}
	}
	c.newline = true
}

// fsync makes the file durable. On failure the descriptor is closed, so the
// next batch opens the file again instead of trusting a later fsync.
func (c *core) fsync() error {
	if c.f == nil {
		return nil
	}
	if err := c.f.Sync(); err != nil {
		_ = c.closeFile()
		return fmt.Errorf("%w: %w", ErrSync, err)
	}
	return nil
}

// syncDir fsyncs the directory of the file after names changed in it, under
// Fsync. Not every system can fsync a directory; that is not an error.
func (c *core) syncDir() {
	if !c.fsyncAll {
		return
	}
	if d, err := os.Open(filepath.Dir(c.path)); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// Sync implements the sink's Sync.
func (c *core) Sync() error { return c.fsync() }

// Reopen closes and opens the file again (for logrotate's postrotate
// signal). In mode "w" the new file is truncated, as Python's
// WatchedFileHandler does.
func (c *core) Reopen() error {
	if c.closed {
		return fmt.Errorf("%s: %w", c.path, ErrClosed)
	}
	err := c.closeFile()
	if oerr := c.open(); oerr != nil {
		return errors.Join(err, oerr)
	}
	return err
}

// Close flushes (fsync under Fsync) and closes the file.
func (c *core) Close() error {
	c.closed = true
	var err error
	if c.f != nil && c.fsyncAll {
		err = c.f.Sync()
	}
	return errors.Join(err, c.closeFile())
}
