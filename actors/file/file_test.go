package file

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileAppendAndAbsolutePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("a.log", []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := New(Options{Filename: "a.log"})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "a.log"); f.Name() != want {
		t.Errorf("Name = %q, want %q", f.Name(), want)
	}
	mustWrite(t, f, "one", "two")
	mustWrite(t, f, "three")
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, f.Name()); got != "old\none\ntwo\nthree\n" {
		t.Errorf("file = %q", got)
	}
}

func TestFilePermAndCreate(t *testing.T) {
	name := filepath.Join(t.TempDir(), "p.log")
	f, err := New(Options{Filename: name})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal("not created at construction:", err)
	}
	if fi.Mode().Perm()&^0o022 != 0o644&^0o022 { // umask may remove group/other write
		t.Errorf("perm = %v", fi.Mode().Perm())
	}
}

func TestFileDelay(t *testing.T) {
	name := filepath.Join(t.TempDir(), "d.log")
	f, err := New(Options{Filename: name, Delay: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(name); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("delayed file exists before the first batch: %v", err)
	}
	mustWrite(t, f, "x")
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, name); got != "x\n" {
		t.Errorf("file = %q", got)
	}
}

func TestFileModeW(t *testing.T) {
	name := filepath.Join(t.TempDir(), "w.log")
	if err := os.WriteFile(name, []byte("before\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := New(Options{Filename: name, Mode: "w"})
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, f, "1")
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	// bpo-42378: after close, mode "w" neither truncates again nor writes.
	n, err := f.WriteBatch(batchOf("2"))
	if n != 0 || !errors.Is(err, ErrClosed) {
		t.Errorf("WriteBatch after Close = %d, %v; want 0, ErrClosed", n, err)
	}
	if got := readFile(t, name); got != "1\n" {
		t.Errorf("file = %q, want %q", got, "1\n")
	}
}

func TestFileModeAAfterClose(t *testing.T) {
	name := filepath.Join(t.TempDir(), "a.log")
	f, err := New(Options{Filename: name})
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, f, "1")
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, f, "2") // Python reopens and appends
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, name); got != "1\n2\n" {
		t.Errorf("file = %q", got)
	}
}

func TestFileConstructorErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no", "such", "x.log")
	_, err := New(Options{Filename: missing})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing directory: %v", err)
	}
	// With Delay the error comes at the first batch, and the next batch
	// works once the directory exists.
	f, err := New(Options{Filename: missing, Delay: true})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := f.WriteBatch(batchOf("a")); n != 0 || err == nil {
		t.Errorf("WriteBatch into a missing directory = %d, %v", n, err)
	}
	if err := os.MkdirAll(filepath.Dir(missing), 0o755); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, f, "b")
	f.Close()
	for _, o := range []Options{{}, {Filename: "x", Mode: "r"}, {Filename: "x", Encoding: "latin-1"}, {Filename: "x", Perm: 0o4644}} {
		if _, err := New(o); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("New(%+v) = %v, want ErrInvalidOptions", o, err)
		}
	}
}

func TestFileReopenAndFsync(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "s.log")
	f, err := New(Options{Filename: name, Fsync: true})
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, f, "1")
	if err := os.Rename(name, name+".old"); err != nil {
		t.Fatal(err)
	}
	if err := f.Reopen(); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, f, "2")
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Reopen(); !errors.Is(err, ErrClosed) {
		t.Errorf("Reopen after Close = %v", err)
	}
	if a, b := readFile(t, name+".old"), readFile(t, name); a != "1\n" || b != "2\n" {
		t.Errorf("files = %q, %q", a, b)
	}
}

func TestEmptyBatch(t *testing.T) {
	f, err := New(Options{Filename: filepath.Join(t.TempDir(), "e.log")})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if n, err := f.WriteBatch(batchOf()); n != 0 || err != nil {
		t.Errorf("empty batch = %d, %v", n, err)
	}
}
