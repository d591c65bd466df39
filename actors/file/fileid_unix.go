//go:build unix

package file

import (
	"os"
	"syscall"
)

const haveFileID = true

// fileID returns the device and inode numbers of fi.
func fileID(fi os.FileInfo) (dev, ino uint64, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return uint64(st.Dev), uint64(st.Ino), true //nolint:unconvert // Dev is int32 on some systems
}
