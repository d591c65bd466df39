package file

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrNotRegular is wrapped by CheckPath's report of a destination that is
// not a regular file (a FIFO, a device, a directory, a socket).
var ErrNotRegular = errors.New("file: not a regular file")

// CheckPath reports why name may not work as a log file, before any sink
// opens it: a FIFO (opening it fails while no process reads it, where
// Python's handlers wait for a reader, and writes wait for a slow reader),
// a device (records go to the device and never rotate), a directory or a
// socket (opening fails), or a parent directory that does not exist
// (opening fails, unless Delay defers it until the directory is made).
// It returns nil for a regular file, and for a missing file in an existing
// directory (a sink creates it).
//
// The report is advice, for a config checker's warnings: the constructors
// do not call CheckPath, and logging to a device such as /dev/null or to a
// FIFO with a reader works. Errors other than a missing parent (no
// permission to look) are returned as they are.
func CheckPath(name string) error {
	fi, err := os.Stat(name)
	if err == nil {
		return checkMode(name, fi.Mode())
	}
	dir := filepath.Dir(name)
	di, derr := os.Stat(dir)
	switch {
	case errors.Is(derr, fs.ErrNotExist):
		return fmt.Errorf("%s: directory %s does not exist: %w", name, dir, fs.ErrNotExist)
	case derr == nil && !di.IsDir():
		return fmt.Errorf("%s: %s is not a directory: %w", name, dir, ErrNotRegular)
	case errors.Is(err, fs.ErrNotExist):
		return nil
	}
	return err
}

// checkMode explains a destination of mode m that is not a regular file.
func checkMode(name string, m fs.FileMode) error {
	var what string
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		what = "a directory: it cannot be opened as a log file"
	case m&fs.ModeNamedPipe != 0:
		what = "a FIFO: opening it fails while no process reads it (Python's handlers wait for a reader), and writes wait while the reader is slow"
	case m&fs.ModeDevice != 0:
		what = "a device: records go to the device and never rotate"
	case m&fs.ModeSocket != 0:
		what = "a socket: it cannot be opened as a file"
	default:
		what = fmt.Sprintf("not a regular file (mode %v)", m)
	}
	return fmt.Errorf("%s is %s: %w", name, what, ErrNotRegular)
}
