package recorder_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/recorder"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/record"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRecorder(t *testing.T) {
	rec := recorder.New()
	eng := engine.New(engine.Options{Synchronous: true, ErrorOutput: io.Discard})
	defer eng.Shutdown(context.Background())
	h, err := eng.NewHandler("rec", rec, actors.HandlerOptions{Formatter: format.MustPython("%(levelname)s %(message)s %(attrs)s", format.PythonOptions{})})
	if err != nil {
		t.Fatal(err)
	}
	root := eng.Logger("")
	root.SetLevel(record.LevelDebug)
	root.AddHandler(h)
	log := slog.New(eng.SlogHandler("app")).With("svc", "api").WithGroup("req")
	log.Info("start", "id", 7)
	log.Error("failed", slog.Group("db", "host", "h1"), "err", io.EOF)

	if rec.Len() != 2 {
		t.Fatalf("Len = %d", rec.Len())
	}
	if got := rec.FilterAttr("req.id", 7); len(got) != 1 || got[0].Message != "start" || got[0].Text != "INFO start svc=api req.id=7" {
		t.Errorf("FilterAttr(req.id, 7) = %+v", got)
	}
	e := rec.FilterLevel(record.LevelError)
	if len(e) != 1 || e[0].Logger != "app" {
		t.Fatalf("FilterLevel = %+v", e)
	}
	if v, ok := e[0].Attr("req.db.host"); !ok || v.String() != "h1" {
		t.Errorf("req.db.host = %v, %v", v, ok)
	}
	if got := rec.Messages(); len(got) != 2 || got[1] != "failed" {
		t.Errorf("Messages = %q", got)
	}
	if all := rec.TakeAll(); len(all) != 2 || rec.Len() != 0 {
		t.Errorf("TakeAll: %d, then Len %d", len(all), rec.Len())
	}
}
