//go:build unix

package file

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/actorlog/actorlog/internal/testfs"
)

// within runs f and fails the test if it does not return in time; unblock
// is then called to release f (it opens a reader) so nothing leaks.
func within(t *testing.T, what string, unblock func(), f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		unblock()
		<-done
		t.Fatalf("%s blocked", what)
		return nil
	}
}

// wantNoReader checks err is the clear error of a FIFO without a reader.
func wantNoReader(t *testing.T, err error, name string) {
	t.Helper()
	if !errors.Is(err, syscall.ENXIO) || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "FIFO") {
		t.Fatalf("err = %v; want ENXIO naming the FIFO %s", err, name)
	}
}

// Issue 7.3: a FIFO without a reader made the constructor block in open(2)
// for ever; now every constructor fails at once naming the FIFO.
func TestFIFOWithoutReaderDoesNotBlock(t *testing.T) {
	name := testfs.FIFO(t, t.TempDir(), "fifo")
	unblock := func() { testfs.OpenFIFOReader(t, name).Close() }
	ctors := map[string]func() error{
		"New": func() error { _, err := New(Options{Filename: name}); return err },
		"NewRotating": func() error {
			_, err := NewRotating(RotatingOptions{Options: Options{Filename: name}, MaxBytes: 1, BackupCount: 1})
			return err
		},
		"NewTimedRotating": func() error {
			_, err := NewTimedRotating(TimedOptions{Options: Options{Filename: name}})
			return err
		},
	}
	if haveFileID {
		ctors["NewWatched"] = func() error { _, err := NewWatched(Options{Filename: name}); return err }
	}
	for what, ctor := range ctors {
		wantNoReader(t, within(t, what, unblock, ctor), name)
	}
	// Delayed, the first batch fails the same way, without blocking.
	f, err := New(Options{Filename: name, Delay: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err = within(t, "WriteBatch", unblock, func() error {
		n, err := f.WriteBatch(batchOf("x"))
		if n != 0 {
			t.Errorf("WriteBatch wrote %d", n)
		}
		return err
	})
	wantNoReader(t, err, name)
}

// Issue 7.3: a FIFO whose reader went away left a reopen (SIGHUP) blocked
// in open(2) for good. Now the reopen fails at once, later batches fail at
// once, and writing resumes when a reader is back.
func TestFIFOReaderGoneAtReopen(t *testing.T) {
	name := testfs.FIFO(t, t.TempDir(), "fifo")
	r := testfs.OpenFIFOReader(t, name)
	f, err := New(Options{Filename: name})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mustWrite(t, f, "one")
	buf := make([]byte, 16)
	if n, err := r.Read(buf); err != nil || string(buf[:n]) != "one\n" {
		t.Fatalf("reader got %q, %v", buf[:n], err)
	}
	r.Close()
	unblock := func() { testfs.OpenFIFOReader(t, name).Close() }
	wantNoReader(t, within(t, "Reopen", unblock, f.Reopen), name)
	err = within(t, "WriteBatch", unblock, func() error { _, err := f.WriteBatch(batchOf("lost")); return err })
	wantNoReader(t, err, name)

	r = testfs.OpenFIFOReader(t, name)
	defer r.Close()
	mustWrite(t, f, "two")
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(r); err != nil || string(got) != "two\n" {
		t.Errorf("new reader got %q, %v", got, err)
	}
}

// A FIFO with a reader opens as a FIFO.
func TestOpenFIFOWithReader(t *testing.T) {
	name := testfs.FIFO(t, t.TempDir(), "fifo")
	r := testfs.OpenFIFOReader(t, name)
	defer r.Close()
	f, fi, err := openFile(name, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("mode %v", fi.Mode())
	}
	f.Close()
}

// CheckPath warns about every destination where Python would block or
// fail, and about nothing else.
func TestCheckPath(t *testing.T) {
	dir := t.TempDir()
	reg := filepath.Join(dir, "reg.log")
	if err := os.WriteFile(reg, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{reg, filepath.Join(dir, "new.log")} {
		if err := CheckPath(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, c := range map[string]struct {
		sentinel error
		says     string
	}{
		testfs.FIFO(t, t.TempDir(), "fifo"):   {ErrNotRegular, "a FIFO"},
		dir:                                   {ErrNotRegular, "a directory"},
		filepath.Join(reg, "x.log"):           {ErrNotRegular, "is not a directory"},
		filepath.Join(dir, "no", "x.log"):     {fs.ErrNotExist, "does not exist"},
		filepath.Join(dir, "a", "b", "x.log"): {fs.ErrNotExist, "does not exist"},
	} {
		err := CheckPath(name)
		if !errors.Is(err, c.sentinel) || !strings.Contains(err.Error(), c.says) || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v; want %v saying %q", name, err, c.sentinel, c.says)
		}
	}
}
