//go:build !unix

package file

import (
	"io/fs"
	"os"
)

// openFile opens name for writing and returns the file with its FileInfo.
// Where there are no FIFOs to wait on, opening does not block.
func openFile(name string, flag int, perm os.FileMode) (*os.File, fs.FileInfo, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}
