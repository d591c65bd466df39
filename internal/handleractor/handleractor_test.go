package handleractor

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/filter"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func newSystem(t *testing.T) *actor.ActorSystem {
	t.Helper()
	sys := actor.NewActorSystem(
		actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return slog.New(slog.DiscardHandler) }),
		actor.WithDeadLetterThrottleInterval(time.Millisecond),
	)
	t.Cleanup(sys.Shutdown)
	return sys
}

func TestErrorReporterRateLimitsEachError(t *testing.T) {
	var out bytes.Buffer
	clk := clock.NewFake(time.Unix(1000, 0))
	r := NewErrorReporter(&out, clk)
	disk := errors.New("no space left on device")
	for i := 0; i < 5; i++ {
		r.Report("file", disk)
	}
	r.Report("file", errors.New("another error")) // a new kind: reported at once
	clk.Advance(11 * time.Second)
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

func TestSpawnRejectsBadInput(t *testing.T) {
	sys := newSystem(t)
	_, err := Spawn(sys, "x", actors.Null{}, actors.HandlerOptions{Mailbox: mailbox.Options{Capacity: -1}}, Config{})
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
	if most := formatHeldBatches(t); most < 2 {
		t.Fatal("no batch was formatted on several goroutines")
	}
}

// formatHeldBatches holds a handler while 3000 records queue up, so that
// they arrive in batches of 1024, checks that they are written in order,
// and returns the most parts a batch was formatted in (0: none in parts).
func formatHeldBatches(t *testing.T) int {
	sys := newSystem(t)
	var out bytes.Buffer
	f := &gateFormatter{release: make(chan struct{})}
	var most atomic.Int64
	h, err := Spawn(sys, "p", actors.NewStream(&out), actors.HandlerOptions{Formatter: f, Mailbox: mailbox.Options{Capacity: 5000}},
		Config{onParallel: func(parts int) {
			if int64(parts) > most.Load() {
				most.Store(int64(parts))
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
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
	return int(most.Load())
}

// countFormatter counts its calls.
type countFormatter struct{ calls atomic.Int64 }

func (f *countFormatter) Append(dst []byte, r *record.Record) []byte {
	f.calls.Add(1)
	return append(dst, r.Message...)
}

// A Null sink reads no bytes: its records are filtered and counted as
// written, never formatted.
func TestNullSinkSkipsFormatting(t *testing.T) {
	sys := newSystem(t)
	f := &countFormatter{}
	even := filter.Func(func(r *record.Record) bool { return r.Level%2 == 0 })
	h, err := Spawn(sys, "null", actors.Null{}, actors.HandlerOptions{Formatter: f, Filters: []filter.Filter{even}}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		r := record.Record{Level: record.Level(i), Message: "m"}
		h.Post(&r)
	}
	if err := h.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := h.Counts()
	if f.calls.Load() != 0 || c.Written != 500 || c.Filtered != 500 {
		t.Fatalf("formatter called %d times; written %d, filtered %d of 1000", f.calls.Load(), c.Written, c.Filtered)
	}
}

// With more processors a large run is formatted in more parts, joined in
// order.
func TestLargeBatchesAreFormattedInOnePartPerProcessor(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	if most := formatHeldBatches(t); most != 4 { // batches of 1024 records, 4 processors
		t.Fatalf("batches formatted in at most %d parts, want 4", most)
	}
}

// checkSink checks that each record of a batch is the text between its
// ends, and keeps the text.
type checkSink struct {
	out bytes.Buffer
	bad int
}

func (s *checkSink) WriteBatch(b *actors.Batch) (int, error) {
	start := 0
	for k, end := range b.Ends {
		line := string(b.Buf[start:end])
		if !strings.HasSuffix(line, b.Records[k].Message+"\n") {
			s.bad++
		}
		start = end
	}
	s.out.Write(b.Buf)
	return len(b.Ends), nil
}

func (s *checkSink) Close() error { return nil }

// panicFormatter panics on messages that are multiples of 7, and holds its
// first record until released. It yields at every record, so that the
// helpers of a batch get chunks whichever goroutine runs first.
type panicFormatter struct{ gateFormatter }

func (f *panicFormatter) Append(dst []byte, r *record.Record) []byte {
	dst = f.gateFormatter.Append(dst, r)
	runtime.Gosched()
	if n, _ := strconv.Atoi(r.Message); n%7 == 0 {
		panic("seven")
	}
	return dst
}

// Chunks formatted by several helpers, with records filtered out and
// formatter panics among them, are joined in order, each record's text,
// end and record together, and every record counted once.
func TestPartsJoinFilteredAndPanickedRecordsInOrder(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	sys := newSystem(t)
	s := &checkSink{}
	f := &panicFormatter{gateFormatter{release: make(chan struct{})}}
	odd := filter.Func(func(r *record.Record) bool { n, _ := strconv.Atoi(r.Message); return n%3 != 0 })
	var most atomic.Int64
	h, err := Spawn(sys, "j", s, actors.HandlerOptions{Formatter: f, Filters: []filter.Filter{odd}, Mailbox: mailbox.Options{Capacity: 5000}},
		Config{onParallel: func(parts int) { most.Store(max(most.Load(), int64(parts))) }})
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	const n = 3000
	for i := range n {
		r := record.Record{Message: strconv.Itoa(i)}
		h.Post(&r)
		switch {
		case i%3 == 0:
		case i%7 == 0:
			want.WriteString("!FORMAT-PANIC(seven) " + r.Message + "\n")
		default:
			want.WriteString(r.Message + "\n")
		}
	}
	close(f.release)
	if err := h.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if most.Load() < 2 {
		t.Fatal("no batch was formatted in parts")
	}
	if s.out.String() != want.String() || s.bad != 0 {
		t.Fatalf("text out of order or records not matching their text (%d)", s.bad)
	}
	c := h.Counts()
	if c.Written != n-n/3 || c.Filtered != n/3 {
		t.Fatalf("written %d, filtered %d", c.Written, c.Filtered)
	}
}

// A filter that panics on a helper goroutine does not end the process: the
// actor raises the panic again, supervision restarts it, and the batch is
// handled again whole.
func TestFilterPanicOnHelperIsSupervised(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	sys := newSystem(t)
	s := &checkSink{}
	f := &panicFormatter{gateFormatter{release: make(chan struct{})}}
	var armed, onHelper atomic.Bool
	armed.Store(true)
	boom := filter.Func(func(r *record.Record) bool {
		if r.Message == "2900" && armed.Load() {
			buf := make([]byte, 4096)
			if !strings.Contains(string(buf[:runtime.Stack(buf, false)]), "handleBatch") && armed.CompareAndSwap(true, false) {
				onHelper.Store(true)
				panic("filter bug")
			}
		}
		return true
	})
	h, err := Spawn(sys, "fp", s, actors.HandlerOptions{Formatter: f, Filters: []filter.Filter{boom}, Mailbox: mailbox.Options{Capacity: 5000}}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3000 {
		r := record.Record{Message: strconv.Itoa(i + 1)}
		h.Post(&r)
	}
	close(f.release)
	if err := h.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !onHelper.Load() {
		t.Skip("record 2900 was never filtered on a helper in this run")
	}
	c := h.Counts()
	if c.Written+c.DroppedTotal() != 3000 || h.Restarts() != 1 {
		t.Fatalf("counts %+v, %d restarts", c, h.Restarts())
	}
}
