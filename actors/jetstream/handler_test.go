package jetstream_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/jetstream"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/internal/natstest"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
	"github.com/actorlog/actorlog/supervision"
)

// newHandler starts an engine with one JetStream handler on logger "app".
func newHandler(t *testing.T, o jetstream.Options, mb mailbox.Options) (*engine.Engine, *engine.Logger, *jetstream.Sink) {
	t.Helper()
	s, err := jetstream.New(o)
	if err != nil {
		t.Fatal(err)
	}
	e := engine.New(engine.Options{NoLastResort: true})
	h, err := e.NewHandler("js", s, actors.HandlerOptions{
		Mailbox:     mb,
		Supervision: supervision.Options{RetryStart: 50 * time.Millisecond, RetryFactor: 2, RetryMax: 500 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	l := e.Logger("app")
	l.SetLevel(record.LevelInfo)
	l.AddHandler(h)
	return e, l, s
}

func shutdown(t *testing.T, e *engine.Engine) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := e.Shutdown(ctx); err != nil {
		t.Errorf("shutdown: %v", err)
	}
}

func TestPublishR3(t *testing.T) {
	c := natstest.Start(t, 3)
	for _, batch := range []int{1, 256} {
		t.Run(fmt.Sprintf("batchRecords=%d", batch), func(t *testing.T) {
			stream := fmt.Sprintf("B%d", batch)
			o := jetstream.Options{StreamOptions: jetstream.StreamOptions{
				Servers: c.URLs(), Stream: stream, SubjectPrefix: "b" + fmt.Sprint(batch), CreateStream: true, Replicas: 3,
			}, BatchRecords: batch, Key: "secret"}
			e, l, s := newHandler(t, o, mailbox.Options{})
			const n = 5000
			for i := range n {
				l.Log(record.LevelInfo, "hello", slog.Int("seq", i))
			}
			e.Logger("app.db").Log(record.LevelWarning, "sub", slog.Int("seq", n))
			shutdown(t, e)
			counts, subjects := readStream(t, c.URLs(), stream, n+1, record.NewFrameKey([]byte("secret")))
			for i := range n + 1 {
				if counts[int64(i)] != 1 {
					t.Fatalf("seq %d arrived %d times", i, counts[int64(i)])
				}
			}
			if subjects["b"+fmt.Sprint(batch)+".app.db"] == 0 || subjects["b"+fmt.Sprint(batch)+".app"] == 0 {
				t.Errorf("subjects = %v", subjects)
			}
			t.Logf("stats %+v, subjects %d", s.Stats(), len(subjects))
		})
	}
}
