//go:build unix

package file

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
)

func TestWatchedRename(t *testing.T) {
	name := filepath.Join(t.TempDir(), "w.log")
	w, err := NewWatched(Options{Filename: name})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	fi, _ := os.Stat(name)
	if dev, ino, _ := fileID(fi); !w.known || dev != w.dev || ino != w.ino {
		t.Errorf("dev/ino not recorded at construction")
	}
	mustWrite(t, w, "1")
	if err := os.Rename(name, name+".1"); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, w, "2")
	if err := os.Remove(name); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, w, "3")
	if got := readFile(t, name+".1"); got != "1\n" {
		t.Errorf("renamed = %q", got)
	}
	if got := readFile(t, name); got != "3\n" {
		t.Errorf("current = %q", got)
	}
}

func TestWatchedDelayOpensOnce(t *testing.T) {
	name := filepath.Join(t.TempDir(), "w.log")
	// In mode "w" every open truncates, so the file shows each open.
	w, err := NewWatched(Options{Filename: name, Delay: true, Mode: "w"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for i := range 3 {
		mustWrite(t, w, strconv.Itoa(i))
	}
	// Python opens twice here (a spurious reopen at the second emit, which
	// in mode "w" truncates the first record away).
	if got := readFile(t, name); got != "0\n1\n2\n" {
		t.Errorf("file = %q, want one open (%q)", got, "0\n1\n2\n")
	}
}

func TestWatchedReopenFails(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sub")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "w.log")
	w, err := NewWatched(Options{Filename: name})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	mustWrite(t, w, "1")
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if n, err := w.WriteBatch(batchOf("2")); n != 0 || err == nil {
		t.Fatalf("WriteBatch after the directory went = %d, %v", n, err)
	}
	if w.c.f != nil {
		t.Error("a failed reopen left a file open")
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, w, "3")
	if got := readFile(t, name); got != "3\n" {
		t.Errorf("file = %q", got)
	}
}

// TestWatchedRace is CPython's test_race: the file is deleted over and over
// while records are written, with and without Delay.
func TestWatchedRace(t *testing.T) {
	for _, delay := range []bool{false, true} {
		name := filepath.Join(t.TempDir(), "race.log")
		w, err := NewWatched(Options{Filename: name, Delay: delay})
		if err != nil {
			t.Fatal(err)
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
					_ = os.Remove(name)
				}
			}
		})
		for i := range 500 {
			mustWrite(t, w, "r"+strconv.Itoa(i))
		}
		close(stop)
		wg.Wait()
		mustWrite(t, w, "last")
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, name); got[len(got)-5:] != "last\n" {
			t.Errorf("delay=%v: file ends %q", delay, got)
		}
	}
}

func TestWatchedOptionErrors(t *testing.T) {
	if _, err := NewWatched(Options{Filename: "x", Mode: "x"}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("err = %v", err)
	}
}
