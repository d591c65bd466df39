//go:build unix

// Package testfs makes the special files tests need (FIFOs, device nodes)
// inside a directory of the test's own, so that no test can touch the real
// /dev/null, /dev/full or /dev/log, even when the check it guards regresses
// (the tests run as root).
//
// Where the system refuses to make one (mknod outside root or in a
// restricted container), the test is skipped, or fails when CI=true, where
// every test must run.
package testfs

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// FIFO makes a FIFO called name in dir and returns its path.
func FIFO(t testing.TB, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		refused(t, "mkfifo", err)
	}
	return p
}

// OpenFIFOReader opens the read end of the FIFO at path without waiting for
// a writer, and closes it when the test ends.
func OpenFIFOReader(t testing.TB, path string) *os.File {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// CharDevice makes a character device node major:minor called name in dir
// (1:3 is a null device, 1:7 a full one) and returns its path.
func CharDevice(t testing.TB, dir, name string, major, minor int) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := syscall.Mknod(p, syscall.S_IFCHR|0o666, major<<8|minor); err != nil {
		refused(t, "mknod", err)
	}
	return p
}

func refused(t testing.TB, what string, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s: %v (CI must run every test)", what, err)
	}
	t.Skipf("%s: %v", what, err)
}
