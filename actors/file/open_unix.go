//go:build unix

package file

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// openFile opens name for writing without ever blocking in open(2), and
// returns the file with its FileInfo.
//
// A FIFO's open(2) for writing waits until a process opens it for reading,
// for ever if none does, and no signal handler of the process can run
// meanwhile on that path (a service would not hear SIGTERM). So the file is
// opened O_NONBLOCK: a FIFO without a reader fails at once with ENXIO, which
// is reported naming the FIFO. A FIFO with a reader stays non-blocking and
// is written through Go's poller, as os.OpenFile does with every FIFO: a
// full pipe parks the writer until the reader catches up. Anything else (a
// regular file, a device) gets its blocking mode back, so its writes behave
// exactly as after a plain open.
func openFile(name string, flag int, perm os.FileMode) (*os.File, fs.FileInfo, error) {
	f, err := os.OpenFile(name, flag|syscall.O_NONBLOCK, perm)
	if err != nil {
		if errors.Is(err, syscall.ENXIO) {
			if fi, serr := os.Stat(name); serr == nil && fi.Mode()&fs.ModeNamedPipe != 0 {
				return nil, nil, fmt.Errorf("%s is a FIFO that no process reads (opening it would wait for a reader): %w", name, err)
			}
		}
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err == nil && fi.Mode()&fs.ModeNamedPipe == 0 {
		err = setBlocking(f)
	}
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// setBlocking clears O_NONBLOCK on f.
func setBlocking(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	cerr := rc.Control(func(fd uintptr) { err = syscall.SetNonblock(int(fd), false) })
	if err = errors.Join(cerr, err); err != nil {
		return &os.PathError{Op: "fcntl", Path: f.Name(), Err: err}
	}
	return nil
}
