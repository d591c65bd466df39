package actors

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func batchOf(lines ...string) *Batch {
	b := &Batch{}
	for _, l := range lines {
		b.Buf = append(b.Buf, l...)
		b.Ends = append(b.Ends, len(b.Buf))
	}
	return b
}

// shortWriter accepts at most n bytes, then fails.
type shortWriter struct {
	n   int
	got bytes.Buffer
}

func (w *shortWriter) Write(p []byte) (int, error) {
	if len(p) <= w.n {
		w.n -= len(p)
		return w.got.Write(p)
	}
	k := w.n
	w.n = 0
	w.got.Write(p[:k])
	return k, io.ErrShortWrite
}

func TestStreamReportsWholeRecordsOnShortWrite(t *testing.T) {
	w := &shortWriter{n: 9}
	s := NewStream(w)
	n, err := s.WriteBatch(batchOf("abc\n", "defg\n", "hij\n"))
	if n != 2 || !errors.Is(err, io.ErrShortWrite) {
		t.Fatalf("wrote %d, %v; want 2 whole records and the error", n, err)
	}
}

func TestStreamFlushesBufferedWriters(t *testing.T) {
	var out bytes.Buffer
	bw := bufio.NewWriter(&out)
	s := NewStream(bw)
	if n, err := s.WriteBatch(batchOf("a\n", "b\n")); n != 2 || err != nil {
		t.Fatal(n, err)
	}
	if out.Len() != 0 {
		t.Fatal("bufio wrote early")
	}
	if err := s.Close(); err != nil || out.String() != "a\nb\n" {
		t.Fatalf("after Close: %q, %v", out.String(), err)
	}
	if NewStream(nil).Writer() == nil {
		t.Fatal("nil writer must mean stderr")
	}
}

func TestNullCountsEverything(t *testing.T) {
	if n, err := (Null{}).WriteBatch(batchOf("a\n", "b\n", "c\n")); n != 3 || err != nil {
		t.Fatal(n, err)
	}
}

func TestBatchRecordBoundaries(t *testing.T) {
	b := batchOf("one\n", "two\n")
	if b.Len() != 2 || string(b.Record(0)) != "one\n" || string(b.Record(1)) != "two\n" {
		t.Fatalf("records %q %q", b.Record(0), b.Record(1))
	}
	b.Reset()
	if b.Len() != 0 || len(b.Buf) != 0 {
		t.Fatal("Reset kept records")
	}
}

func TestErrorReporterRateLimitsEachError(t *testing.T) {
	var out bytes.Buffer
	now := time.Unix(1000, 0)
	r := &ErrorReporter{W: &out, Interval: 10 * time.Second, Now: func() time.Time { return now }}
	disk := errors.New("no space left on device")
	for i := 0; i < 5; i++ {
		r.Report("file", disk)
	}
	r.Report("file", errors.New("another error")) // a new kind: reported at once
	now = now.Add(11 * time.Second)
	r.Report("file", disk)
	want := "--- Logging error ---\nhandler \"file\": no space left on device\n" +
		"--- Logging error ---\nhandler \"file\": another error\n" +
		"--- Logging error ---\nhandler \"file\": no space left on device (repeated 4 more times)\n"
	if out.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", out.String(), want)
	}
	var nilReporter *ErrorReporter
	nilReporter.Report("x", disk) // never panics
}

func TestRetryWrapping(t *testing.T) {
	base := errors.New("reset by peer")
	err := Retry(base)
	if !IsRetry(err) || !errors.Is(err, base) || err.Error() != base.Error() {
		t.Fatalf("Retry(%v) = %v", base, err)
	}
	if Retry(nil) != nil || IsRetry(base) {
		t.Fatal("Retry(nil) or IsRetry(plain) wrong")
	}
}

func TestSpawnRejectsBadInput(t *testing.T) {
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return slog.New(slog.DiscardHandler) }))
	defer sys.Shutdown()
	if _, err := Spawn(sys, "x", nil, HandlerOptions{}, nil); !errors.Is(err, ErrNoSink) {
		t.Fatalf("nil sink: %v", err)
	}
	_, err := Spawn(sys, "x", Null{}, HandlerOptions{Mailbox: mailbox.Options{Capacity: -1}}, nil)
	if !errors.Is(err, mailbox.ErrInvalidOptions) || !strings.Contains(err.Error(), "Capacity") {
		t.Fatalf("bad capacity: %v", err)
	}
}

// gateFormatter holds its first record until released, so that the records
// posted meanwhile queue up into large batches.
type gateFormatter struct {
	release chan struct{}
	once    sync.Once
}

func (f *gateFormatter) Append(dst []byte, r *record.Record) []byte {
	f.once.Do(func() { <-f.release })
	return append(dst, r.Message...)
}

func TestLargeBatchesAreFormattedInParallel(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one processor: batches are formatted on the actor alone")
	}
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return slog.New(slog.DiscardHandler) }))
	defer sys.Shutdown()
	var out bytes.Buffer
	f := &gateFormatter{release: make(chan struct{})}
	h, err := Spawn(sys, "p", NewStream(&out), HandlerOptions{Formatter: f, Mailbox: mailbox.Options{Capacity: 5000}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := parallelBatches.Load()
	var want strings.Builder
	for i := 0; i < 3000; i++ {
		r := record.Record{Message: strconv.Itoa(i)}
		h.Post(&r)
		want.WriteString(r.Message + "\n")
	}
	close(f.release)
	if err := h.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if out.String() != want.String() {
		t.Fatal("records out of order")
	}
	if parallelBatches.Load() == before {
		t.Fatal("no batch was formatted on two goroutines")
	}
}
