package file

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/clock"
)

func TestRotatingModeForcedAppend(t *testing.T) {
	name := filepath.Join(t.TempDir(), "r.log")
	if err := os.WriteFile(name, []byte("keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := NewRotating(RotatingOptions{Options: Options{Filename: name, Mode: "w"}, MaxBytes: 100})
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, r, "x")
	r.Close()
	if got := readFile(t, name); got != "keep\nx\n" {
		t.Errorf("MaxBytes > 0 with mode w: %q", got)
	}
	r, err = NewRotating(RotatingOptions{Options: Options{Filename: name, Mode: "w"}})
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	if got := readFile(t, name); got != "" {
		t.Errorf("MaxBytes 0 with mode w did not truncate: %q", got)
	}
}

// Checklist 46: the rotator moves only base to .1; shifts are renames.
func TestRotatingRotatorOnlyForFirst(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "r.log")
	var calls []string
	r, err := NewRotating(RotatingOptions{
		Options: Options{Filename: name}, MaxBytes: 1, BackupCount: 2,
		Namer: func(s string) string { return s + ".test" },
		Rotator: func(src, dst string) error {
			calls = append(calls, filepath.Base(src)+">"+filepath.Base(dst))
			return os.Rename(src, dst+".rotated")
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, r, "1")
	mustWrite(t, r, "2")
	r.Close()
	if !exists(name+".1.test.rotated") || exists(name+".1.test") {
		t.Errorf("files: %v", dirFiles(t, dir))
	}
	if len(calls) != 1 || calls[0] != "r.log>r.log.1.test" {
		t.Errorf("rotator calls %q", calls)
	}
}

// Checklist 47 with the built-in Compress: .1.gz holds m1, then .2.gz holds
// m1, then .2.gz holds m2; never .3.gz; files written atomically.
func TestRotatingCompress(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "r.log")
	r, err := NewRotating(RotatingOptions{Options: Options{Filename: name}, MaxBytes: 1, BackupCount: 2, Compress: true})
	if err != nil {
		t.Fatal(err)
	}
	gz := func(n string) string {
		t.Helper()
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	mustWrite(t, r, "m1")
	mustWrite(t, r, "m2")
	if err := r.z.wait(); err != nil {
		t.Fatal(err)
	}
	if got := gz(name + ".1.gz"); got != "m1\n" {
		t.Errorf(".1.gz = %q", got)
	}
	mustWrite(t, r, "m3")
	r.z.wait()
	if got := gz(name + ".2.gz"); got != "m1\n" {
		t.Errorf(".2.gz = %q", got)
	}
	mustWrite(t, r, "m4")
	if err := r.Close(); err != nil { // joins the compression
		t.Fatal(err)
	}
	if got := gz(name + ".2.gz"); got != "m2\n" {
		t.Errorf(".2.gz = %q", got)
	}
	files := dirFiles(t, dir)
	for n := range files {
		if strings.HasSuffix(n, ".tmp") || n == "r.log.1" || n == "r.log.3.gz" {
			t.Errorf("left over %s", n)
		}
	}
	if len(files) != 3 {
		t.Errorf("files %q", files)
	}
}

func TestRotatingMaxAge(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "r.log")
	now := time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)
	clk := clock.NewFake(now)
	for i, age := range []time.Duration{0, 30 * time.Hour, 50 * time.Hour} {
		n := name + "." + string(rune('2'+i))
		if err := os.WriteFile(n, []byte("b\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		mt := now.Add(-age)
		os.Chtimes(n, mt, mt)
	}
	r, err := NewRotating(RotatingOptions{Options: Options{Filename: name}, MaxBytes: 1, BackupCount: 9, MaxAge: 48 * time.Hour, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	mustWrite(t, r, "a")
	os.Chtimes(name, now, now)
	mustWrite(t, r, "b")
	// .2,.3,.4 shifted to .3,.4,.5; the 50-hour-old one (now .5) is gone.
	for n, want := range map[string]bool{".1": true, ".3": true, ".4": true, ".5": false} {
		if exists(name+n) != want {
			t.Errorf("%s exists = %v, want %v", n, !want, want)
		}
	}
}

func TestRotatingOptionErrors(t *testing.T) {
	for _, o := range []RotatingOptions{
		{Options: Options{Filename: "x"}, MaxBytes: -1},
		{Options: Options{Filename: "x"}, BackupCount: -1},
		{Options: Options{Filename: "x"}, MaxAge: -1},
		{Options: Options{Filename: "x"}, Compress: true, Rotator: func(_, _ string) error { return nil }},
	} {
		_, err := NewRotating(o)
		if !errors.Is(err, ErrInvalidOptions) || !strings.Contains(err.Error(), "x") {
			t.Errorf("NewRotating(%+v) = %v", o, err)
		}
	}
}

// Records are split at rollover points inside one batch; each file ends with
// a whole record, and a batch returns every record.
func TestRotatingSplitsBatch(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "r.log")
	r, err := NewRotating(RotatingOptions{Options: Options{Filename: name}, MaxBytes: 10, BackupCount: 5})
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, r, "aaaa", "bbbb", "cccc", "dddd", "eeee")
	r.Close()
	want := map[string]string{"r.log": "eeee\n", "r.log.1": "dddd\n", "r.log.2": "cccc\n", "r.log.3": "bbbb\n", "r.log.4": "aaaa\n"}
	got := dirFiles(t, dir)
	if len(got) != len(want) {
		t.Fatalf("files %q", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

// A backup left uncompressed by a crash is compressed by the next sink.
func TestRotatingCompressResumes(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "r.log")
	if err := os.WriteFile(name+".1", []byte("left\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := NewRotating(RotatingOptions{Options: Options{Filename: name}, MaxBytes: 100, BackupCount: 2, Compress: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if exists(name + ".1") {
		t.Error("raw backup left")
	}
	data, err := os.ReadFile(name + ".1.gz")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if out, _ := io.ReadAll(zr); string(out) != "left\n" {
		t.Errorf("archive holds %q", out)
	}
}

// The rollover rule reads the file's real end, as Python's tell() on the
// O_APPEND stream does: a file truncated by someone else (copytruncate) does
// not roll over early, and one appended to rolls over on time.
func TestRotatingFollowsRealEnd(t *testing.T) {
	name := filepath.Join(t.TempDir(), "r.log")
	r, err := NewRotating(RotatingOptions{Options: Options{Filename: name}, MaxBytes: 20, BackupCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	mustWrite(t, r, "0123456789012") // 14 bytes
	if err := os.Truncate(name, 0); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, r, "abcdefghijklm") // 14: 0+14 < 20, no rollover
	if exists(name + ".1") {
		t.Errorf("rolled over after the file was truncated: .1 holds %q", readFile(t, name+".1"))
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("ext\n"); err != nil { // 14+4 = 18
		t.Fatal(err)
	}
	f.Close()
	mustWrite(t, r, "x") // 18+2 >= 20: rollover
	if got := readFile(t, name+".1"); got != "abcdefghijklm\next\n" {
		t.Errorf(".1 = %q, want the truncated-then-appended file", got)
	}
	if got := readFile(t, name); got != "x\n" {
		t.Errorf("file = %q, want x", got)
	}
}
