package receiver

import (
	"bufio"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/internal/testio"
	"github.com/actorlog/actorlog/record"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// lines is a sink's output, safe to read while a handler writes.
type lines struct{ testio.SyncBuffer }

// objects returns each JSON line written so far.
func (l *lines) objects(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(l.String()))
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

func (l *lines) count() int { return strings.Count(l.String(), "\n") }

// collector is an engine whose root handler writes JSON lines.
type collector struct {
	eng *engine.Engine
	out *lines
}

func newCollector(t *testing.T) *collector {
	t.Helper()
	eng := engine.New(engine.Options{ErrorOutput: &lines{}, LastResort: &lines{}})
	out := &lines{}
	h, err := eng.NewHandler("out", actors.NewStream(out), actors.HandlerOptions{Formatter: format.NewJSON(format.JSONOptions{})})
	if err != nil {
		t.Fatal(err)
	}
	eng.Logger("").AddHandler(h)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = eng.Shutdown(ctx)
	})
	return &collector{eng: eng, out: out}
}

// listen starts a receiver on a free loopback port (or o.Listen).
func (c *collector) listen(t *testing.T, o Options) *Receiver {
	t.Helper()
	if o.Listen == "" {
		o.Listen = "127.0.0.1:0"
	}
	r, err := Listen(c.eng, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// waitFor polls cond, bounded in time: "did it happen", not a clock.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// flushUntil waits until n records were written.
func (c *collector) waitRecords(t *testing.T, n int) []map[string]any {
	t.Helper()
	waitFor(t, "records", func() bool {
		_ = c.eng.Flush(context.Background())
		return c.out.count() >= n
	})
	return c.out.objects(t)
}

func testRecord(i int) record.Record {
	var r record.Record
	r.Time = time.Unix(1700000000, 0)
	r.Level = record.LevelWarning
	r.Logger = "app.db"
	r.Message = "héllo ☃ " + strings.Repeat("x", i%7)
	r.AddAttrs()
	return r
}
