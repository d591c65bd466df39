package engine

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"testing/slogtest"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/internal/testio"
	"github.com/actorlog/actorlog/record"
)

// TestSlogtest runs the standard library's conformance suite against the
// engine's slog.Handler, reading back what a JSON handler actor wrote.
func TestSlogtest(t *testing.T) {
	var (
		e   *Engine
		out *testio.SyncBuffer
	)
	newHandler := func(t *testing.T) slog.Handler {
		e = New(Options{ErrorOutput: &testio.SyncBuffer{}, LastResort: &testio.SyncBuffer{}})
		t.Cleanup(func() { _ = e.Shutdown(context.Background()) })
		out = &testio.SyncBuffer{}
		h, err := e.NewHandler("json", actors.NewStream(out), actors.HandlerOptions{Formatter: format.NewJSON(format.JSONOptions{})})
		if err != nil {
			t.Fatal(err)
		}
		root := e.Logger("")
		root.SetLevel(record.LevelDebug)
		root.AddHandler(h)
		return e.SlogHandler("")
	}
	result := func(t *testing.T) map[string]any {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := e.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(strings.NewReader(out.String()))
		var m map[string]any
		n := 0
		for sc.Scan() {
			n++
			m = nil
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Fatalf("line %q: %v", sc.Text(), err)
			}
		}
		if n != 1 {
			t.Fatalf("want one record, got %d lines: %q", n, out.String())
		}
		return m
	}
	slogtest.Run(t, newHandler, result)
}
