package file

import (
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/clock"
)

// benchBatch is k records of about 100 bytes, as a handler formats them.
func benchBatch(k int) *actors.Batch {
	b := &actors.Batch{}
	for i := range k {
		b.Buf = fmt.Appendf(b.Buf, "2026-01-02 03:04:05,678 INFO app.db: request %06d served in 12.5ms user=alice path=/api/v1/items\n", i)
		b.Ends = append(b.Ends, len(b.Buf))
	}
	return b
}

func TestAllocsWriteBatch(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	dir := t.TempDir()
	clk := clock.NewFake(time.Unix(1700000000, 0))
	f, err := New(Options{Filename: filepath.Join(dir, "f.log")})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewRotating(RotatingOptions{Options: Options{Filename: filepath.Join(dir, "r.log")}, MaxBytes: 1 << 40, BackupCount: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	tr, err := NewTimedRotating(TimedOptions{Options: Options{Filename: filepath.Join(dir, "t.log"), Delay: true}, When: "D", Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	sinks := map[string]actors.Sink{"File": f, "Rotating": r, "TimedRotating": tr}
	budget := map[string]float64{"File": 0, "Rotating": 0, "TimedRotating": 0}
	if runtime.GOOS != "windows" {
		w, err := NewWatched(Options{Filename: filepath.Join(dir, "w.log")})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		sinks["Watched"] = w
		budget["Watched"] = 1 // the path given to stat(2) is copied to add its NUL
	}
	b := benchBatch(64)
	for name, s := range sinks {
		if _, err := s.WriteBatch(b); err != nil { // open, first write
			t.Fatal(err)
		}
		got := testing.AllocsPerRun(100, func() {
			if _, err := s.WriteBatch(b); err != nil {
				t.Fatal(err)
			}
		})
		if got > budget[name] {
			t.Errorf("%s.WriteBatch: %.1f allocs, budget %.0f", name, got, budget[name])
		}
	}
}
