package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actorlog/actorlog/internal/testio"
)

var fixedTime = time.Date(2024, 3, 31, 2, 59, 59, 999_000_000, time.UTC)

func fixedNow() time.Time { return fixedTime }

func TestChanLoggerWritesJSON(t *testing.T) {
	var out bytes.Buffer
	l := NewChanLogger(&out, ChanOptions{Now: fixedNow})
	l.Log(slog.LevelInfo, "a \"quoted\"\n\tline\x01 \xff é",
		slog.String("s", "v\\"), slog.Int("i", -3), slog.Float64("f", 1.5), slog.Bool("b", true))
	l.Log(slog.LevelWarn, "more than four",
		slog.Int("a", 1), slog.Int("b", 2), slog.Int("c", 3), slog.Int("d", 4), slog.Uint64("e", 5),
		slog.Duration("dur", time.Second), slog.Time("t", fixedTime), slog.Any("any", []int{1}))
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines: %q", len(lines), out.String())
	}
	want := []map[string]any{
		{"time": "2024-03-31T02:59:59.999Z", "level": "INFO", "msg": "a \"quoted\"\n\tline\x01 \ufffd é",
			"s": "v\\", "i": -3.0, "f": 1.5, "b": true},
		{"time": "2024-03-31T02:59:59.999Z", "level": "WARN", "msg": "more than four",
			"a": 1.0, "b": 2.0, "c": 3.0, "d": 4.0, "e": 5.0, "dur": 1e9, "t": "2024-03-31T02:59:59.999Z", "any": "[1]"},
	}
	for i, line := range lines {
		var got map[string]any
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatalf("line %d %q: %v", i, line, err)
		}
		if len(got) != len(want[i]) {
			t.Errorf("line %d: got %v, want %v", i, got, want[i])
		}
		for k, v := range want[i] {
			if got[k] != v {
				t.Errorf("line %d key %q: got %#v, want %#v", i, k, got[k], v)
			}
		}
	}
}

func TestChanLoggerFlushAndConcurrency(t *testing.T) {
	var out testio.SyncBuffer
	l := NewChanLogger(&out, ChanOptions{Capacity: 4, BufferSize: 1 << 20})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 100 {
				l.Log(slog.LevelInfo, "m", slog.Int("g", g), slog.Int("i", i))
			}
		})
	}
	wg.Wait()
	l.Flush()
	if n := strings.Count(out.String(), "\n"); n != 400 {
		t.Errorf("after Flush: %d lines, want 400", n)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestChanLoggerReportsWriteError(t *testing.T) {
	l := NewChanLogger(failWriter{}, ChanOptions{})
	l.Log(slog.LevelInfo, "lost")
	if err := l.Close(); !errors.Is(err, errWrite) {
		t.Fatalf("Close: %v, want %v", err, errWrite)
	}
}

func TestChanLoggerAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	l := NewChanLogger(discard{}, ChanOptions{})
	defer l.Close()
	n := testing.AllocsPerRun(1000, func() {
		l.Log(slog.LevelInfo, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
			slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
	})
	if n != 0 {
		t.Errorf("Log with four attributes: %v allocs, want 0", n)
	}
}

var errWrite = errors.New("write failed")

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
