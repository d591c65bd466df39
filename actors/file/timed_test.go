package file

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/actorlog/actorlog/clock"
)

func TestTimedWhenParsing(t *testing.T) {
	for _, w := range []string{"s", "m", "h", "d", "midnight", "Midnight", "w0", "W6", ""} {
		if _, err := parseWhen(w); err != nil {
			t.Errorf("%q: %v", w, err)
		}
	}
	for _, w := range []string{"X", "W", "W7", "w-1", "MIDNIGHTS"} {
		if _, err := NewTimedRotating(TimedOptions{Options: Options{Filename: "x", Delay: true}, When: w}); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("%q: %v, want ErrInvalidOptions", w, err)
		}
	}
	for _, o := range []TimedOptions{
		{Options: Options{Filename: "x"}, Interval: -1},
		{Options: Options{Filename: "x"}, BackupCount: -1},
		{Options: Options{Filename: "x", Mode: "w"}},
		{Options: Options{Filename: "x"}, AtTime: &TimeOfDay{Hour: 24}},
	} {
		if _, err := NewTimedRotating(o); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("%+v: %v, want ErrInvalidOptions", o, err)
		}
	}
	if _, err := ParseTimeOfDay("25:00"); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("ParseTimeOfDay(25:00) = %v", err)
	}
	if at, err := ParseTimeOfDay("01:30"); err != nil || at != (TimeOfDay{1, 30, 0}) {
		t.Errorf("ParseTimeOfDay(01:30) = %v, %v", at, err)
	}
}

// Checklist 64: an existing target is never overwritten; rolloverAt stays
// and the records keep going to the base file.
func TestTimedExistingTargetNotOverwritten(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "t.log")
	clk := clock.NewFake(time.Unix(1700000000, 0))
	tr, err := NewTimedRotating(TimedOptions{Options: Options{Filename: name, Delay: true}, When: "S", UTC: true, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	mustWrite(t, tr, "a")
	target := name + "." + time.Unix(1700000000, 0).UTC().Format("2006-01-02_15-04-05")
	if err := os.WriteFile(target, []byte("theirs\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	at := tr.rolloverAt
	clk.Advance(time.Second)
	mustWrite(t, tr, "b")
	clk.Advance(time.Second)
	mustWrite(t, tr, "c")
	if tr.rolloverAt != at {
		t.Errorf("rolloverAt moved from %d to %d", at, tr.rolloverAt)
	}
	if got := readFile(t, target); got != "theirs\n" {
		t.Errorf("target overwritten: %q", got)
	}
	if got := readFile(t, name); got != "a\nb\nc\n" {
		t.Errorf("base = %q", got)
	}
}

// A failed rotation (a rotator error) keeps the records in the base file and
// is retried at the next batch.
func TestTimedRotatorFails(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "t.log")
	clk := clock.NewFake(time.Unix(1700000000, 0))
	fail := true
	tr, err := NewTimedRotating(TimedOptions{
		Options: Options{Filename: name, Delay: true}, When: "S", UTC: true, Clock: clk,
		Rotator: func(src, dst string) error {
			if fail {
				return errors.New("no")
			}
			return os.Rename(src, dst)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	mustWrite(t, tr, "a")
	clk.Advance(time.Second)
	if n, err := tr.WriteBatch(batchOf("b")); n != 1 || !errors.Is(err, ErrRollover) {
		t.Fatalf("WriteBatch = %d, %v", n, err)
	}
	fail = false
	mustWrite(t, tr, "c")
	if got := dirFiles(t, dir); len(got) != 2 || got["t.log"] != "c\n" {
		t.Errorf("files %q", got)
	}
}
