package main

import (
	"context"
	"errors"
	"io"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/record"
)

// stuckSink blocks in WriteBatch until released, as a sink blocked in a
// system call does.
type stuckSink struct {
	entered chan struct{} // gets a value when WriteBatch begins
	release chan struct{}
}

var _ actors.Sink = (*stuckSink)(nil)

func (s *stuckSink) WriteBatch(b *actors.Batch) (int, error) {
	select {
	case s.entered <- struct{}{}:
	default:
	}
	<-s.release
	return b.Len(), nil
}

func (s *stuckSink) Close() error { return nil }

// stuckEngine returns an engine whose one handler is blocked writing a
// record; the cleanup releases it and waits for the engine to stop.
func stuckEngine(t *testing.T) *engine.Engine {
	t.Helper()
	eng := engine.New(engine.Options{ErrorOutput: io.Discard})
	sink := &stuckSink{entered: make(chan struct{}, 1), release: make(chan struct{})}
	h, err := eng.NewHandler("stuck", sink, actors.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	eng.Logger("").AddHandler(h)
	eng.Logger("").Log(record.LevelError, "blocked")
	recv(t, sink.entered, "write of the stuck sink")
	t.Cleanup(func() {
		close(sink.release)
		_ = eng.Shutdown(context.Background()) // waits for the first Shutdown to end
	})
	return eng
}

func TestShutdownAbandonsADrainPastItsDeadline(t *testing.T) {
	eng := stuckEngine(t)
	start := time.Now()
	err := shutdown(eng, 50*time.Millisecond, nil)
	if took := time.Since(start); took > waitTimeout {
		t.Errorf("shutdown took %v with a 50ms timeout", took)
	}
	if err == nil {
		t.Error("no error from a drain that could not finish")
	}
}

func TestShutdownStopsOnASecondSignal(t *testing.T) {
	eng := stuckEngine(t)
	stop := make(chan os.Signal, 1)
	stop <- syscall.SIGTERM
	start := time.Now()
	err := shutdown(eng, time.Hour, stop)
	if took := time.Since(start); took > waitTimeout || !errors.Is(err, errAbandoned) {
		t.Errorf("shutdown after %v: %v, want %v", took, err, errAbandoned)
	}
}
