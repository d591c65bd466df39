package engine

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/file"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/internal/testio"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// TestMillionRecordsFromEightGoroutines logs 1,000,000 records from 8
// goroutines through a File handler with the Block policy, shuts down, and
// reads back exactly 1,000,000 whole lines: every (goroutine, seq) pair once,
// in order per goroutine.
func TestMillionRecordsFromEightGoroutines(t *testing.T) {
	const goroutines, total = 8, 1_000_000
	each := total / goroutines
	path := filepath.Join(t.TempDir(), "million.log")
	sink, err := file.New(file.Options{Filename: path})
	if err != nil {
		t.Fatal(err)
	}
	e := New(Options{ErrorOutput: &testio.SyncBuffer{}})
	h, err := e.NewHandler("file", sink, actors.HandlerOptions{
		Formatter: format.MustPython("%(p)d %(seq)d %(message)s", format.PythonOptions{}),
		Mailbox:   mailbox.Options{Capacity: 4096, Overflow: mailbox.Block},
	})

	if err != nil {
		t.Fatal(err)
	}
	l := e.Logger("load")
	l.SetLevel(record.LevelInfo)
	l.AddHandler(h)
	logFromProducers(l, goroutines, each, "payload")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := e.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	st, _ := e.Stats().ForHandler("file")
	if st.Written != total || st.DroppedTotal() != 0 || st.InFlight != 0 {
		t.Fatalf("stats %+v", st)
	}

	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	next := make([]int, goroutines)
	sc := bufio.NewScanner(f)
	lines := 0
	for sc.Scan() {
		lines++
		fields := bytes.Fields(sc.Bytes())
		if len(fields) != 3 || string(fields[2]) != "payload" {
			t.Fatalf("line %d torn: %q", lines, sc.Text())
		}
		g, err1 := strconv.Atoi(string(fields[0]))
		seq, err2 := strconv.Atoi(string(fields[1]))
		if err1 != nil || err2 != nil || g < 0 || g >= goroutines {
			t.Fatalf("line %d: %q", lines, sc.Text())
		}
		if seq != next[g] {
			t.Fatalf("goroutine %d: seq %d after %d", g, seq, next[g]-1)
		}
		next[g]++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if lines != total {
		t.Fatalf("%d lines, want %d", lines, total)
	}
}
