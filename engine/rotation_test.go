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

// TestProducersThroughRollovers logs from 8 goroutines through a Rotating
// handler that rolls over many times, and finds every (producer, seq) exactly
// once across all the files, no torn line, and no file over maxBytes.
func TestProducersThroughRollovers(t *testing.T) {
	const producers, each, maxBytes = 8, 5000, 64 << 10
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	sink, err := file.NewRotating(file.RotatingOptions{Options: file.Options{Filename: path}, MaxBytes: maxBytes, BackupCount: 1000})
	if err != nil {
		t.Fatal(err)
	}
	e := New(Options{ErrorOutput: &testio.SyncBuffer{}})
	h, err := e.NewHandler("rot", sink, actors.HandlerOptions{
		Formatter: format.MustPython("%(p)d %(seq)d %(message)s", format.PythonOptions{}),
		Mailbox:   mailbox.Options{Capacity: 512},
	})

	if err != nil {
		t.Fatal(err)
	}
	l := e.Logger("")
	l.SetLevel(record.LevelInfo)
	l.AddHandler(h)
	logFromProducers(l, producers, each, "through a rollover")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := e.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(path + "*")
	if len(files) < 10 {
		t.Fatalf("only %d files: the test did not roll over enough", len(files))
	}
	seen := make([][]bool, producers)
	for i := range seen {
		seen[i] = make([]bool, each)
	}
	total := 0
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > maxBytes {
			t.Errorf("%s has %d bytes, over maxBytes", name, len(data))
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			f := bytes.Fields(sc.Bytes())
			if len(f) != 5 {
				t.Fatalf("%s: torn line %q", name, sc.Text())
			}
			p, _ := strconv.Atoi(string(f[0]))
			seq, _ := strconv.Atoi(string(f[1]))
			if seen[p][seq] {
				t.Fatalf("producer %d seq %d twice", p, seq)
			}
			seen[p][seq] = true
			total++
		}
	}
	if total != producers*each {
		t.Fatalf("%d records in the files, want %d", total, producers*each)
	}
}
