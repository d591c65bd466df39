//go:build unix

package file

import (
	"os"
	"syscall"
)

const haveFileID = true

// statBuf is reused by statID, so that the stat before each batch does not
// allocate a FileInfo.
type statBuf = syscall.Stat_t

// fileID returns the device and inode numbers of fi.
func fileID(fi os.FileInfo) (dev, ino uint64, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return uint64(st.Dev), uint64(st.Ino), true //nolint:unconvert // Dev is int32 on some systems
}

// statID stats path (following links) into st and returns its device and
// inode numbers.
func statID(path string, st *statBuf) (dev, ino uint64, err error) {
	for {
		err = syscall.Stat(path, st)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return 0, 0, &os.PathError{Op: "stat", Path: path, Err: err}
	}
	return uint64(st.Dev), uint64(st.Ino), nil //nolint:unconvert // Dev is int32 on some systems
}
