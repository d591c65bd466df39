package handleractor

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/filter"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
	"github.com/actorlog/actorlog/supervision"
)

// oddSink answers each batch as its function says.
type oddSink struct {
	write func(b *actors.Batch) (int, error)
}

func (s *oddSink) WriteBatch(b *actors.Batch) (int, error) { return s.write(b) }
func (s *oddSink) Close() error                            { return nil }

// run posts msgs to a handler around sink in one batch and drains it.
func run(t *testing.T, sink actors.Sink, o actors.HandlerOptions, msgs ...string) (mailbox.Counts, []string) {
	t.Helper()
	sys := newSystem(t)
	var mu sync.Mutex
	var errs []string
	gate := make(chan struct{})
	o.Filters = append([]filter.Filter{filter.Func(func(r *record.Record) bool {
		if r.Message == "gate" {
			<-gate
		}
		return r.Message != "filtered" && r.Message != "gate"
	})}, o.Filters...)
	h, err := Spawn(sys, "odd", sink, o, Config{Errors: func(_ string, err error) {
		mu.Lock()
		defer mu.Unlock()
		errs = append(errs, err.Error())
	}})
	if err != nil {
		t.Fatal(err)
	}
	r := record.Record{Message: "gate"}
	h.Post(&r) // holds the actor while the others queue into one batch
	for _, m := range msgs {
		r := record.Record{Message: m}
		h.Post(&r)
	}
	close(gate)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = h.Drain(ctx)
	mu.Lock()
	defer mu.Unlock()
	return h.Counts(), errs
}

func TestFailOddInput(t *testing.T) {
	sink := &oddSink{write: func(b *actors.Batch) (int, error) {
		if b.Len() == 0 {
			return 0, nil
		}
		b.Fail(-1, "x", nil)                      // outside: ignored
		b.Fail(b.Len(), "x", nil)                 // outside: ignored
		b.Fail(0, "refused", errors.New("550"))   // counted
		b.Fail(0, "too_large", errors.New("dup")) // twice: counted once
		b.Fail(1, "", nil)                        // "" is error
		return b.Len() + 5, nil                   // above Len: Len
	}}
	c, errs := run(t, sink, actors.HandlerOptions{}, "a", "b", "filtered", "c")
	if c.Accepted != 5 || c.Written != 1 || c.Filtered != 2 || c.Dropped["refused"] != 1 || c.Dropped[mailbox.ReasonError] != 1 || c.InFlight() != 0 {
		t.Fatalf("counts %+v", c)
	}
	if len(errs) != 1 || !strings.Contains(errs[0], "record dropped (refused): 550") {
		t.Fatalf("errors %q", errs)
	}
}

func TestRetryKeepsFailuresAndRetriesTheRest(t *testing.T) {
	var mu sync.Mutex
	var got []string
	tries := 0
	sink := &oddSink{write: func(b *actors.Batch) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		tries++
		if tries == 1 && b.Len() == 3 {
			got = append(got, b.Records[0].Message)
			b.Fail(1, "too_large", nil)
			b.Fail(2, "too_large", nil) // past written: ignored, retried
			return 2, actors.Retry(errors.New("peer went away"))
		}
		for i := range b.Len() {
			got = append(got, b.Records[i].Message)
		}
		return b.Len(), nil
	}}
	fast := supervision.Options{RetryStart: time.Millisecond, RetryMax: time.Millisecond}
	c, _ := run(t, sink, actors.HandlerOptions{Supervision: fast}, "a", "big", "filtered", "b")
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(got, ",") != "a,b" || c.Written != 2 || c.Filtered != 2 || c.Dropped["too_large"] != 1 || c.InFlight() != 0 {
		t.Fatalf("sink got %v, counts %+v", got, c)
	}
}

// encoderSink encodes records itself and refuses "bad".
type encoderSink struct {
	oddSink
}

func (encoderSink) AppendRecord(dst []byte, r *record.Record) ([]byte, error) {
	switch r.Message {
	case "bad":
		return append(dst, "half"...), errors.New("unsupported")
	case "panics":
		panic("encoder bug")
	}
	return append(dst, "<"+r.Message+">"...), nil
}

func TestEncoderReplacesFormatterAndTerminator(t *testing.T) {
	var out strings.Builder
	sink := &encoderSink{oddSink{write: func(b *actors.Batch) (int, error) {
		out.Write(b.Buf)
		return b.Len(), nil
	}}}
	c, errs := run(t, sink, actors.HandlerOptions{Terminator: "\r\n"}, "a", "bad", "panics", "b")
	if out.String() != "<a><b>" || c.Written != 2 || c.Dropped[mailbox.ReasonError] != 2 || c.InFlight() != 0 {
		t.Fatalf("wrote %q, counts %+v", out.String(), c)
	}
	if len(errs) != 2 || !strings.Contains(errs[0], "cannot encode it: unsupported") || !strings.Contains(errs[1], "encoder panic: encoder bug") {
		t.Fatalf("errors %q", errs)
	}
}

// stuckFormatter blocks on "stuck" until released.
type stuckFormatter struct {
	entered, release chan struct{}
}

func (f *stuckFormatter) Append(dst []byte, r *record.Record) []byte {
	if r.Message == "stuck" {
		close(f.entered)
		<-f.release
	}
	return append(dst, r.Message...)
}

// closingSink counts its writes and says when it is closed.
type closingSink struct {
	writes int
	closed chan struct{}
}

func (s *closingSink) WriteBatch(b *actors.Batch) (int, error) { s.writes++; return b.Len(), nil }
func (s *closingSink) Close() error                            { close(s.closed); return nil }

func TestDrainAbandonsAnActorBlockedInItsFormatter(t *testing.T) {
	sys := newSystem(t)
	f := &stuckFormatter{entered: make(chan struct{}), release: make(chan struct{})}
	sink := &closingSink{closed: make(chan struct{})}
	h, err := Spawn(sys, "f", sink, actors.HandlerOptions{Formatter: f}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"stuck", "a", "b"} {
		r := record.Record{Message: m}
		h.Post(&r)
	}
	<-f.entered
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := h.Drain(ctx); err == nil || !strings.Contains(err.Error(), "abandoned") {
		t.Fatalf("Drain: %v", err)
	}
	if c := h.Counts(); c.Accepted != 3 || c.Dropped[mailbox.ReasonShutdown] != 3 || c.InFlight() != 0 || c.Written != 0 {
		t.Fatalf("counts %+v", c)
	}
	close(f.release)
	select {
	case <-sink.closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the abandoned actor did not close its sink")
	}
	if c := h.Counts(); sink.writes != 0 || c.Written != 0 || c.Dropped[mailbox.ReasonShutdown] != 3 {
		t.Fatalf("after release: %d writes, counts %+v", sink.writes, c)
	}
}
