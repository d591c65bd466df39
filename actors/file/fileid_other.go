//go:build !unix

package file

import "os"

const haveFileID = false

type statBuf struct{}

func fileID(os.FileInfo) (dev, ino uint64, ok bool) { return 0, 0, false }

func statID(path string, _ *statBuf) (dev, ino uint64, err error) {
	return 0, 0, &os.PathError{Op: "stat", Path: path, Err: ErrUnsupported}
}
