package engine

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/filter"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/internal/testio"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// TestHandleSkipsTheLoggerLevel: a record made elsewhere goes through the
// logger's filters and to every handler at the handler's own level, whatever
// the logger's level, as Python's Logger.handle.
func TestHandleSkipsTheLoggerLevel(t *testing.T) {
	e := newEngine(t, Options{})
	var out testio.SyncBuffer
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
	var out testio.SyncBuffer
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

// TestHandleBatchIsHandleInOrder: a batch gives every handler the records
// that Handle for each would (the logger's filters once per record, each
// handler at its own level, the logger's level skipped), in order, across
// chunks; a tracked batch settles as tracked records do.
func TestHandleBatchIsHandleInOrder(t *testing.T) {
	pyFmt := format.MustPython("%(levelname)s:%(message)s", format.PythonOptions{})
	run := func(batch bool, tracked bool) (string, string, uint64) {
		e := newEngine(t, Options{})
		info, infoOut := addStream(t, e, "info", actors.HandlerOptions{Level: record.LevelInfo, Formatter: pyFmt})
		warn, warnOut := addStream(t, e, "warn", actors.HandlerOptions{Level: record.LevelWarning, Formatter: pyFmt})
		app := e.Logger("app")
		app.AddHandler(info)
		app.AddHandler(warn)
		app.SetLevel(record.LevelCritical)
		var calls uint64
		app.AddFilter(filter.Func(func(r *record.Record) bool { calls++; return !strings.HasSuffix(r.Message, "7") }))
		rs := make([]record.Record, 600) // more than one chunk
		levels := []record.Level{record.LevelDebug, record.LevelInfo, record.LevelWarning, record.LevelError}
		for i := range rs {
			rs[i] = record.Record{Logger: "app", Level: levels[i*7%4], Message: strconv.Itoa(i)}
		}
		tr := e.NewTracker()
		switch {
		case batch && tracked:
			tr.HandleBatch(app, rs)
		case batch:
			app.HandleBatch(rs)
		case tracked:
			for i := range rs {
				tr.Handle(app, &rs[i])
			}
		default:
			for i := range rs {
				app.Handle(&rs[i])
			}
		}
		if tracked {
			if err := waitSettle(t, tr.Settle()); err != nil {
				t.Fatal(err)
			}
		} else {
			flush(t, e)
		}
		return infoOut.String(), warnOut.String(), calls
	}
	for _, tracked := range []bool{false, true} {
		info, warn, calls := run(false, tracked)
		binfo, bwarn, bcalls := run(true, tracked)
		if binfo != info || bwarn != warn || bcalls != calls {
			t.Fatalf("tracked %v: HandleBatch wrote %d and %d bytes with %d filter calls, Handle %d and %d with %d",
				tracked, len(binfo), len(bwarn), bcalls, len(info), len(warn), calls)
		}
		if strings.Count(info, "\n") < 300 || strings.Count(warn, "\n") < 200 || strings.Contains(warn, "INFO") {
			t.Fatalf("tracked %v: unexpected output: %d info lines, %d warning lines", tracked, strings.Count(info, "\n"), strings.Count(warn, "\n"))
		}
	}
}

// TestHandleBatchToNoHandlerGoesToTheLastResort: with no handler a batch's
// records at WARNING and above go to the last resort, as Handle's.
func TestHandleBatchToNoHandlerGoesToTheLastResort(t *testing.T) {
	var last testio.SyncBuffer
	e := newEngine(t, Options{LastResort: &last})
	e.Logger("x").HandleBatch([]record.Record{
		{Logger: "x", Level: record.LevelInfo, Message: "quiet"},
		{Logger: "x", Level: record.LevelError, Message: "loud"},
	})
	if got := last.String(); got != "loud\n" {
		t.Fatalf("last resort got %q", got)
	}
}
