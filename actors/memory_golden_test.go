package actors_test

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/record"
)

// recordingTarget is an actors.Target that keeps the messages posted to it,
// applying a filter of its own as a target handler's filters would.
type recordingTarget struct {
	mu    sync.Mutex
	level record.Level
	drop  func(msg string) bool
	got   []string
}

func (t *recordingTarget) Name() string        { return "target" }
func (t *recordingTarget) Level() record.Level { return t.level }
func (t *recordingTarget) Post(r *record.Record) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.drop == nil || !t.drop(r.Message) {
		t.got = append(t.got, r.Message)
	}
	return true
}

func (t *recordingTarget) take() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := t.got
	t.got = nil
	return out
}

// oneRecord is a batch of one record, as the handler actor hands a sink
// that encodes nothing.
func oneRecord(r *record.Record) *actors.Batch {
	return &actors.Batch{Ends: []int{0}, Records: []*record.Record{r}}
}

type memoryGolden struct {
	Python string `json:"python"`
	Memory []struct {
		Name         string       `json:"name"`
		Capacity     int          `json:"capacity"`
		FlushLevel   record.Level `json:"flushLevel"`
		FlushOnClose *bool        `json:"flushOnClose"`
		NoTarget     bool         `json:"noTarget"`
		TargetLevel  record.Level `json:"targetLevel"`
		TargetFilter bool         `json:"targetFilter"`
		Steps        []struct {
			Op    string       `json:"op"`
			Level record.Level `json:"level"`
			Msg   string       `json:"msg"`
		} `json:"steps"`
		Want []struct {
			Delivered []string `json:"delivered"`
			Held      int      `json:"held"`
		} `json:"want"`
	} `json:"memory"`
	Buffering []struct {
		Capacity         int   `json:"capacity"`
		ShouldFlushEmpty bool  `json:"shouldFlushEmpty"`
		HeldAfterEach    []int `json:"heldAfterEach"`
	} `json:"buffering"`
}

func loadMemoryGolden(t *testing.T) memoryGolden {
	t.Helper()
	b, err := os.ReadFile("testdata/memory.json")
	if err != nil {
		t.Fatal(err)
	}
	var g memoryGolden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

// TestMemoryFlushPointsMatchPython drives a Memory sink with the steps
// Python's MemoryHandler took in testdata/memory.json (made by
// gen_memory_golden.py) and checks that each step passes the same records
// on, in order, and leaves the same number held. At close, what Python
// keeps in its buffer Memory discards and counts.
func TestMemoryFlushPointsMatchPython(t *testing.T) {
	g := loadMemoryGolden(t)
	if len(g.Memory) == 0 {
		t.Fatal("empty golden")
	}
	for _, c := range g.Memory {
		t.Run(c.Name, func(t *testing.T) {
			o := actors.MemoryOptions{Capacity: c.Capacity, FlushLevel: c.FlushLevel}
			if c.FlushOnClose != nil && !*c.FlushOnClose {
				o.NoFlushOnClose = true
			}
			m, err := actors.NewMemory(o)
			if err != nil {
				t.Fatal(err)
			}
			tg := &recordingTarget{level: c.TargetLevel}
			if c.TargetFilter {
				tg.drop = func(msg string) bool { return strings.HasPrefix(msg, "b") }
			}
			hasTarget := !c.NoTarget
			if hasTarget {
				m.SetTargets([]actors.Target{tg})
			}
			for i, st := range c.Steps {
				want := c.Want[i]
				held := -1
				switch st.Op {
				case "emit":
					r := &record.Record{Level: st.Level, Message: st.Msg}
					b := oneRecord(r)
					if n, err := m.WriteBatch(b); n != 1 || err != nil || len(b.Failures()) != 0 {
						t.Fatalf("step %d: WriteBatch = %d, %v, failures %v", i, n, err, b.Failures())
					}
					held = m.Len()
				case "setTarget":
					m.SetTarget(tg)
					hasTarget = true
					held = m.Len()
				case "clearTarget":
					m.SetTarget(nil)
					hasTarget = false
					held = m.Len()
				case "close":
					err := m.Close()
					if hasTarget == (err != nil) || (err != nil && !errors.Is(err, actors.ErrNotFlushed)) {
						t.Errorf("close: %v", err)
					}
					held = int(m.Discarded())
				}
				if got := tg.take(); !slices.Equal(got, want.Delivered) {
					t.Errorf("step %d (%s %s): delivered %q, Python %q", i, st.Op, st.Msg, got, want.Delivered)
				}
				if held != want.Held {
					t.Errorf("step %d (%s %s): held %d, Python %d", i, st.Op, st.Msg, held, want.Held)
				}
			}
		})
	}
}

// TestBufferingMatchesPython checks shouldFlush on an empty buffer and the
// buffer's length after each record against Python's BufferingHandler.
func TestBufferingMatchesPython(t *testing.T) {
	g := loadMemoryGolden(t)
	for _, c := range g.Buffering {
		var flushed [][]string
		b, err := actors.NewBuffering(actors.BufferingOptions{Capacity: c.Capacity, Flush: func(rs []record.Record) error {
			var msgs []string
			for _, r := range rs {
				msgs = append(msgs, r.Message)
			}
			flushed = append(flushed, msgs)
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		if got := b.ShouldFlush(); got != c.ShouldFlushEmpty {
			t.Errorf("capacity %d: ShouldFlush on empty = %v, Python %v", c.Capacity, got, c.ShouldFlushEmpty)
		}
		for i, want := range c.HeldAfterEach {
			if _, err := b.WriteBatch(oneRecord(&record.Record{Message: "r"})); err != nil {
				t.Fatal(err)
			}
			if b.Len() != want {
				t.Errorf("capacity %d: after record %d held %d, Python %d", c.Capacity, i, b.Len(), want)
			}
		}
		held := b.Len()
		if err := b.Close(); err != nil || b.Len() != 0 {
			t.Errorf("close: %v, held %d", err, b.Len())
		}
		n := 0
		for _, f := range flushed {
			n += len(f)
		}
		if n != len(c.HeldAfterEach) || (held > 0 && len(flushed[len(flushed)-1]) != held) {
			t.Errorf("capacity %d: flushed %v", c.Capacity, flushed)
		}
	}
}
