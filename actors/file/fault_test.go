//go:build linux

package file

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/internal/testfs"
)

// runChild runs a test body that needs a process of its own, selected by
// the value of childEnv, and returns the exit code.
func runChild() int {
	var err error
	switch mode, arg, _ := strings.Cut(os.Getenv(childEnv), ":"); mode {
	case "fsize":
		err = childFsize(arg)
	default:
		err = fmt.Errorf("unknown child %q", mode)
	}
	if err != nil {
		fmt.Println("child:", err)
		return 1
	}
	fmt.Println("child: ok")
	return 0
}

// childFsize writes under RLIMIT_FSIZE, where the kernel takes part of a
// write and then fails with EFBIG.
func childFsize(name string) error {
	signal.Ignore(syscall.SIGXFSZ)
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		return err
	}
	lim.Cur = 1000
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		return err
	}
	f, err := New(Options{Filename: name})
	if err != nil {
		return err
	}
	defer f.Close()
	seq := 0
	batch := func(k int) *actors.Batch {
		b := &actors.Batch{}
		for range k {
			b.Buf = fmt.Appendf(b.Buf, "%04d %s\n", seq, strings.Repeat("x", 124))
			b.Ends = append(b.Ends, len(b.Buf))
			seq++
		}
		return b
	}
	var written []int // sequence numbers that WriteBatch says it wrote
	put := func(b *actors.Batch, wantN int, wantErr bool) error {
		first := seq - b.Len()
		n, err := f.WriteBatch(b)
		if n != wantN || (err != nil) != wantErr {
			return fmt.Errorf("WriteBatch = %d, %v; want %d, error %v", n, err, wantN, wantErr)
		}
		if err != nil && !errors.Is(err, syscall.EFBIG) {
			return fmt.Errorf("error %v is not EFBIG", err)
		}
		for i := range n {
			written = append(written, first+i)
		}
		return nil
	}
	// 130-byte records: 650 bytes fit, the next 650 are cut at 1000 (two
	// whole records and 90 bytes of a third), then nothing fits whole.
	if err := put(batch(5), 5, false); err != nil {
		return err
	}
	if err := put(batch(5), 2, true); err != nil {
		return err
	}
	if err := put(batch(3), 0, true); err != nil {
		return err
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		return err
	}
	if err := put(batch(4), 4, false); err != nil {
		return err
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	var want bytes.Buffer
	for _, s := range written {
		fmt.Fprintf(&want, "%04d %s\n", s, strings.Repeat("x", 124))
	}
	if !bytes.Equal(data, want.Bytes()) {
		return fmt.Errorf("file holds %d bytes, want exactly the %d records written (%d bytes)", len(data), len(written), want.Len())
	}
	return nil
}

func TestFaultFileSizeLimit(t *testing.T) {
	name := filepath.Join(t.TempDir(), "fsize.log")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=fsize:"+name)
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("child: ok")) {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

func TestFaultDevFull(t *testing.T) {
	full := testfs.CharDevice(t, t.TempDir(), "full", 1, 7)
	dir := t.TempDir()
	link := filepath.Join(dir, "full.log")
	if err := os.Symlink(full, link); err != nil {
		t.Fatal(err)
	}
	w, err := NewWatched(Options{Filename: link})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for range 3 {
		n, err := w.WriteBatch(batchOf("a", "b"))
		if n != 0 || !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("WriteBatch to /dev/full = %d, %v; want 0, ENOSPC", n, err)
		}
	}
	// The disk "frees up": the path now names a regular file.
	real := filepath.Join(dir, "real.log")
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, w, "c")
	if got := readFile(t, real); got != "c\n" {
		t.Errorf("file = %q", got)
	}
	r, err := NewRotating(RotatingOptions{Options: Options{Filename: full}, MaxBytes: 1, BackupCount: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n, err := r.WriteBatch(batchOf("x")); n != 0 || !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("Rotating to /dev/full = %d, %v", n, err)
	}
}

// TestFaultRolloverBlocked: a rollover that cannot rename never loses the
// current file; its records keep going to it, and the next rollover works
// once the obstacle is gone.
func TestFaultRolloverBlocked(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "r.log")
	r, err := NewRotating(RotatingOptions{Options: Options{Filename: name}, MaxBytes: 10, BackupCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	mustWrite(t, r, "one")
	var unblock func()
	if os.Geteuid() == 0 {
		// root ignores permissions: make the target .1 a directory that
		// cannot be removed.
		if err := os.MkdirAll(filepath.Join(name+".1", "x"), 0o755); err != nil {
			t.Fatal(err)
		}
		unblock = func() { _ = os.RemoveAll(name + ".1") }
	} else {
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		unblock = func() { _ = os.Chmod(dir, 0o700) }
	}
	n, err := r.WriteBatch(batchOf("two", "three"))
	if n != 2 || !errors.Is(err, ErrRollover) {
		t.Fatalf("WriteBatch = %d, %v; want 2, ErrRollover", n, err)
	}
	if got := readFile(t, name); got != "one\ntwo\nthree\n" {
		t.Fatalf("current file = %q", got)
	}
	unblock()
	mustWrite(t, r, "four")
	if a, b := readFile(t, name+".1"), readFile(t, name); a != "one\ntwo\nthree\n" || b != "four\n" {
		t.Errorf("after unblocking: .1 = %q, base = %q", a, b)
	}
}

// TestFaultProducersThroughRollover: 8 producers feed one writer through
// many rollovers; every (producer, seq) is in exactly one file, exactly once,
// and whole.
func TestFaultProducersThroughRollover(t *testing.T) {
	for _, compress := range []bool{false, true} {
		t.Run(fmt.Sprintf("compress=%v", compress), func(t *testing.T) {
			const producers, perProducer, maxBytes = 8, 1500, 4096
			dir := t.TempDir()
			name := filepath.Join(dir, "p.log")
			r, err := NewRotating(RotatingOptions{Options: Options{Filename: name}, MaxBytes: maxBytes, BackupCount: 1000, Compress: compress})
			if err != nil {
				t.Fatal(err)
			}
			ch := make(chan string, 256)
			var wg sync.WaitGroup
			for p := range producers {
				wg.Go(func() {
					for s := range perProducer {
						ch <- fmt.Sprintf("p%d s%05d", p, s)
					}
				})
			}
			go func() { wg.Wait(); close(ch) }()
			b := &actors.Batch{}
			for open := true; open; {
				b.Reset()
				m, ok := <-ch
				open = ok
				for ok {
					b.Buf = append(append(b.Buf, m...), '\n')
					b.Ends = append(b.Ends, len(b.Buf))
					if b.Len() == 64 {
						break
					}
					select {
					case m, ok = <-ch:
					default:
						ok = false
					}
				}
				if b.Len() > 0 {
					if n, err := r.WriteBatch(b); n != b.Len() || err != nil {
						t.Fatalf("WriteBatch = %d, %v", n, err)
					}
				}
			}
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			seen := map[string]int{}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				data, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				if strings.HasSuffix(e.Name(), ".gz") {
					zr, err := gzip.NewReader(bytes.NewReader(data))
					if err != nil {
						t.Fatal(e.Name(), err)
					}
					if data, err = io.ReadAll(zr); err != nil {
						t.Fatal(e.Name(), err)
					}
				} else if compress && e.Name() != "p.log" {
					t.Errorf("uncompressed backup %s", e.Name())
				}
				if len(data) >= maxBytes {
					t.Errorf("%s holds %d bytes, limit %d", e.Name(), len(data), maxBytes)
				}
				if len(data) > 0 && data[len(data)-1] != '\n' {
					t.Errorf("%s ends with a torn record", e.Name())
				}
				sc := bufio.NewScanner(bytes.NewReader(data))
				for sc.Scan() {
					seen[sc.Text()]++
				}
			}
			for p := range producers {
				for s := range perProducer {
					if k := fmt.Sprintf("p%d s%05d", p, s); seen[k] != 1 {
						t.Fatalf("%s seen %d times", k, seen[k])
					}
				}
			}
			if len(seen) != producers*perProducer {
				t.Errorf("%d distinct lines, want %d", len(seen), producers*perProducer)
			}
		})
	}
}
