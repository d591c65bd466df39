package file

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/internal/testfs"
)

// openFlags returns the file status flags of f (fcntl F_GETFL).
func openFlags(t *testing.T, f *os.File) int {
	t.Helper()
	rc, err := f.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var flags uintptr
	var errno syscall.Errno
	if err := rc.Control(func(fd uintptr) {
		flags, _, errno = syscall.Syscall(syscall.SYS_FCNTL, fd, syscall.F_GETFL, 0)
	}); err != nil || errno != 0 {
		t.Fatal(err, errno)
	}
	return int(flags)
}

// Opening without blocking leaves regular files and devices in blocking
// mode, as a plain open does.
func TestOpenKeepsBlockingMode(t *testing.T) {
	for _, name := range []string{filepath.Join(t.TempDir(), "r.log"), testfs.CharDevice(t, t.TempDir(), "null", 1, 3)} {
		f, _, err := openFile(name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		if flags := openFlags(t, f); flags&syscall.O_NONBLOCK != 0 {
			t.Errorf("%s left O_NONBLOCK (flags %#x)", name, flags)
		}
		f.Close()
	}
}

func TestCheckPathDevice(t *testing.T) {
	name := testfs.CharDevice(t, t.TempDir(), "null", 1, 3)
	if err := CheckPath(name); !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "a device") {
		t.Errorf("%s: %v", name, err)
	}
}

// onlyNode fails unless the null device node is still the only entry of its
// directory: nothing renamed it or made a backup beside it.
func onlyNode(t *testing.T, node string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(node))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != filepath.Base(node) || entries[0].Type()&os.ModeCharDevice == 0 {
		t.Errorf("directory of the device holds %v", entries)
	}
}

// A null device never rolls over (a regression would have renamed the real
// /dev/null: the test uses a node of its own).
func TestRotatingDevNullNeverRolls(t *testing.T) {
	null := testfs.CharDevice(t, t.TempDir(), "null", 1, 3)
	r, err := NewRotating(RotatingOptions{Options: Options{Filename: null}, MaxBytes: 1, BackupCount: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for range 3 {
		mustWrite(t, r, "abc", "def")
	}
	onlyNode(t, null)
}

// Checklist 61: a null device never rolls; rolloverAt moves on.
func TestTimedDevNull(t *testing.T) {
	null := testfs.CharDevice(t, t.TempDir(), "null", 1, 3)
	clk := clock.NewFake(time.Unix(1700000000, 0))
	tr, err := NewTimedRotating(TimedOptions{Options: Options{Filename: null}, When: "S", Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	clk.Set(time.Unix(tr.rolloverAt+3600, 0)) // the first rollover came from the node's mtime
	mustWrite(t, tr, "x")
	if want := clk.Now().Unix() + 1; tr.rolloverAt != want {
		t.Errorf("rolloverAt = %d, want %d", tr.rolloverAt, want)
	}
	onlyNode(t, null)
}
