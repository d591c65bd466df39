//go:build !unix

package file

import "os"

const haveFileID = false

func fileID(os.FileInfo) (dev, ino uint64, ok bool) { return 0, 0, false }
