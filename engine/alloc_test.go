package engine

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// TestHotPathAllocations pins the caller's allocation budget: nothing for a
// record with a message and four attributes, whether logged natively or
// through slog, nothing for a run of records handed over at once, and
// nothing for a disabled level.
func TestHotPathAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race")
	}
	e := New(Options{ErrorOutput: io.Discard})
	defer e.Shutdown(context.Background())
	h, err := e.NewHandler("null", actors.NewStream(io.Discard), actors.HandlerOptions{
		Formatter: format.NewJSON(format.JSONOptions{}),
		Mailbox:   mailbox.Options{Overflow: mailbox.DropNewest},
	})

	if err != nil {
		t.Fatal(err)
	}
	l := e.Logger("app")
	l.SetLevel(record.LevelInfo)
	l.AddHandler(h)
	sl := slog.New(e.SlogHandler("app"))
	ctx := context.Background()
	run := make([]record.Record, 300)
	for i := range run {
		run[i] = record.Record{Logger: "app", Level: record.LevelInfo, Message: "decoded"}
	}
	cases := map[string]func(){
		"native": func() {
			l.Log(record.LevelInfo, "request done", slog.String("user", "ann"), slog.Int("status", 200), slog.Float64("ms", 1.5), slog.Bool("cached", true))
		},
		"slog LogAttrs": func() {
			sl.LogAttrs(ctx, slog.LevelInfo, "request done", slog.String("user", "ann"), slog.Int("status", 200), slog.Float64("ms", 1.5), slog.Bool("cached", true))
		},
		"HandleBatch":     func() { l.HandleBatch(run) },
		"disabled native": func() { l.Log(record.LevelDebug, "no", slog.Int("x", 1)) },
		"disabled slog":   func() { sl.LogAttrs(ctx, slog.LevelDebug, "no", slog.Int("x", 1)) },
	}
	for name, f := range cases {
		if n := testing.AllocsPerRun(1000, f); n != 0 {
			t.Errorf("%s: %v allocs per call, want 0", name, n)
		}
	}
}
