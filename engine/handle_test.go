package engine

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/filter"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// TestHandleSkipsTheLoggerLevel: a record made elsewhere goes through the
// logger's filters and to every handler at the handler's own level, whatever
// the logger's level, as Python's Logger.handle.
func TestHandleSkipsTheLoggerLevel(t *testing.T) {
	e := newEngine(t, Options{})
	var out syncBuffer
	h, err := e.NewHandler("out", actors.NewStream(&out), actors.HandlerOptions{
		Level: record.LevelInfo, Formatter: format.MustPython("%(name)s:%(levelname)s:%(message)s", format.PythonOptions{}),
	})
	if err != nil {
		t.Fatal(err)
	}
	e.Logger("").AddHandler(h)
	app := e.Logger("app")
	app.SetLevel(record.LevelCritical)
	app.AddFilter(filter.Func(func(r *record.Record) bool { return !strings.Contains(r.Message, "secret") }))
	for _, r := range []record.Record{
		{Logger: "app", Level: record.LevelWarning, Message: "below the logger's level, kept"},
		{Logger: "app", Level: record.LevelDebug, Message: "below the handler's level"},
		{Logger: "app", Level: record.LevelError, Message: "a secret, filtered"},
	} {
		app.Handle(&r)
	}
	dis := e.Logger("off")
	dis.SetDisabled(true)
	dis.Handle(&record.Record{Logger: "off", Level: record.LevelError, Message: "disabled"})
	if err := e.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "app:WARNING:below the logger's level, kept\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func waitSettle(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("Settle did not answer")
		return nil
	}
}

// TestTrackerSettles: a window settles once every handler reached has
// written and flushed its records, and fails when one was dropped.
func TestTrackerSettles(t *testing.T) {
	e := newEngine(t, Options{})
	var out syncBuffer
	h, err := e.NewHandler("out", actors.NewStream(&out), actors.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e.Logger("").AddHandler(h)
	tr := e.NewTracker()
	if tr.Pending() {
		t.Fatal("a new tracker is pending")
	}
	if err := waitSettle(t, tr.Settle()); err != nil {
		t.Fatalf("empty window: %v", err)
	}
	app := e.Logger("app")
	for range 100 {
		tr.Handle(app, &record.Record{Logger: "app", Level: record.LevelInfo, Message: "m"})
	}
	if err := waitSettle(t, tr.Settle()); err != nil {
		t.Fatal(err)
	}
	// Written before Settle answered, with no Flush of ours.
	if n := strings.Count(out.String(), "\n"); n != 100 {
		t.Errorf("%d lines written at settle, want 100", n)
	}

	// A handler that drops: a failing sink.
	bad, err := e.NewHandler("bad", failingSink{}, actors.HandlerOptions{Mailbox: mailbox.Options{Overflow: mailbox.DropNewest}})
	if err != nil {
		t.Fatal(err)
	}
	e.Logger("db").AddHandler(bad)
	tr.Handle(e.Logger("db"), &record.Record{Logger: "db", Level: record.LevelInfo, Message: "lost"})
	if err := waitSettle(t, tr.Settle()); !errors.Is(err, ErrNotWritten) {
		t.Fatalf("a dropped record settled with %v, want ErrNotWritten", err)
	}
	// The next window starts afresh.
	tr.Handle(app, &record.Record{Logger: "app", Level: record.LevelInfo, Message: "m"})
	if err := waitSettle(t, tr.Settle()); err != nil {
		t.Fatal(err)
	}
}

type failingSink struct{}

func (failingSink) WriteBatch(*actors.Batch) (int, error) { return 0, errors.New("disk on fire") }
func (failingSink) Close() error                          { return nil }
