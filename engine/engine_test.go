package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/filter"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/internal/testio"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
	"github.com/actorlog/actorlog/supervision"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func newEngine(t *testing.T, o Options) *Engine {
	t.Helper()
	if o.ErrorOutput == nil {
		o.ErrorOutput = &testio.SyncBuffer{}
	}
	if o.LastResort == nil {
		o.LastResort = &testio.SyncBuffer{}
	}
	e := New(o)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = e.Shutdown(ctx)
	})
	return e
}

func addStream(t *testing.T, e *Engine, name string, o actors.HandlerOptions) (*Handler, *testio.SyncBuffer) {
	t.Helper()
	return addStreamTo(t, e, name, &testio.SyncBuffer{}, o)
}

func addStreamTo(t *testing.T, e *Engine, name string, buf *testio.SyncBuffer, o actors.HandlerOptions) (*Handler, *testio.SyncBuffer) {
	t.Helper()
	h, err := e.NewHandler(name, actors.NewStream(buf), o)
	if err != nil {
		t.Fatal(err)
	}
	return h, buf
}

func flush(t *testing.T, e *Engine) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.Flush(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestHierarchyLevelsAndPropagate(t *testing.T) {
	e := newEngine(t, Options{NoLastResort: true})
	rootH, rootOut := addStream(t, e, "root", actors.HandlerOptions{Formatter: format.MustPython("%(name)s:%(levelname)s:%(message)s", format.PythonOptions{})})
	dbH, dbOut := addStream(t, e, "db", actors.HandlerOptions{Level: record.LevelInfo})
	e.Logger("").AddHandler(rootH)
	e.Logger("").SetLevel(record.LevelDebug)
	e.Logger("app.db").AddHandler(dbH)
	app := e.Logger("app")
	db := e.Logger("app.db")
	pool := e.Logger("app.db.pool") // no level: inherits app.db's chain

	app.Log(record.LevelDebug, "app debug")
	db.Log(record.LevelDebug, "db debug")   // below the db handler's level: root only
	pool.Log(record.LevelInfo, "pool info") // both, through propagation
	db.SetPropagate(false)
	db.Log(record.LevelWarning, "db warning") // db handler only
	app.SetLevel(record.LevelError)
	pool.Log(record.LevelWarning, "filtered by app's level") // effective level ERROR
	flush(t, e)

	wantRoot := "app:DEBUG:app debug\napp.db:DEBUG:db debug\napp.db.pool:INFO:pool info\n"
	if got := rootOut.String(); got != wantRoot {
		t.Errorf("root handler got\n%s\nwant\n%s", got, wantRoot)
	}
	if got, want := dbOut.String(), "pool info\ndb warning\n"; got != want {
		t.Errorf("db handler got %q, want %q", got, want)
	}
	if got := pool.EffectiveLevel(); got != record.LevelError {
		t.Errorf("effective level %v", got)
	}
}

func TestRootDefaultsToWarningAndLastResort(t *testing.T) {
	last := &testio.SyncBuffer{}
	e := newEngine(t, Options{LastResort: last})
	l := e.Logger("x")
	l.Log(record.LevelInfo, "not shown")
	l.Log(record.LevelWarning, "Final chance!")
	if got := last.String(); got != "Final chance!\n" {
		t.Fatalf("last resort wrote %q", got)
	}
}

func TestNoLastResortSaysSoOnce(t *testing.T) {
	errOut := &testio.SyncBuffer{}
	e := newEngine(t, Options{NoLastResort: true, ErrorOutput: errOut})
	e.Logger("").Log(record.LevelError, "nowhere to go")
	e.Logger("app").Log(record.LevelError, "nor this")
	if got := errOut.String(); got != "No handlers could be found for logger \"root\"\n" {
		t.Fatalf("error output %q", got)
	}
	if n := e.Stats().Unhandled; n != 2 {
		t.Fatalf("unhandled = %d", n)
	}
}

func TestFilters(t *testing.T) {
	e := newEngine(t, Options{})
	h, out := addStream(t, e, "h", actors.HandlerOptions{Filters: []filter.Filter{filter.Name("a.b")}})
	root := e.Logger("")
	root.AddHandler(h)
	root.SetLevel(record.LevelDebug)
	e.Logger("a").AddFilter(filter.Func(func(r *record.Record) bool { return !strings.Contains(r.Message, "secret") }))
	e.Logger("a").Log(record.LevelInfo, "not a.b")
	e.Logger("a.b").Log(record.LevelInfo, "a.b passes")
	e.Logger("a").Log(record.LevelInfo, "secret in a") // the logger filter stops it
	e.Logger("a.b").Log(record.LevelInfo, "secret in a.b passes: logger filters do not apply to children")
	flush(t, e)
	want := "a.b passes\nsecret in a.b passes: logger filters do not apply to children\n"
	if got := out.String(); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	st, _ := e.Stats().ForHandler("h")
	if st.Filtered != 1 || st.Written != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestLoggingAfterShutdownIsCountedAndNeverBlocks(t *testing.T) {
	errOut := &testio.SyncBuffer{}
	e := newEngine(t, Options{ErrorOutput: errOut})
	h, out := addStream(t, e, "h", actors.HandlerOptions{Mailbox: mailbox.Options{Capacity: 1}})
	l := e.Logger("")
	l.AddHandler(h)
	l.Log(record.LevelError, "before")
	if err := e.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		l.Log(record.LevelError, "after") // capacity 1 + Block: would block if not refused
	}
	slog.New(e.SlogHandler("")).Error("after, through slog")
	if got := out.String(); got != "before\n" {
		t.Fatalf("got %q", got)
	}
	st, _ := e.Stats().ForHandler("h")
	if st.Written != 1 || st.Dropped["closed"] != 11 || st.InFlight != 0 {
		t.Fatalf("stats %+v", st)
	}
	if err := e.Flush(context.Background()); err != nil {
		t.Fatalf("Flush after Shutdown: %v", err)
	}
	if _, err := e.NewHandler("late", actors.Null{}, actors.HandlerOptions{}); !errors.Is(err, ErrShutdown) {
		t.Fatalf("NewHandler after Shutdown: %v", err)
	}
	if n := strings.Count(errOut.String(), "after Shutdown"); n != 1 {
		t.Fatalf("warned %d times, want once: %q", n, errOut.String())
	}
}

func TestConcurrentShutdownIsIdempotent(t *testing.T) {
	e := newEngine(t, Options{})
	sink := &stuckSink{release: make(chan struct{}), entered: make(chan struct{})}
	h, _ := e.NewHandler("slow", sink, actors.HandlerOptions{})
	e.Logger("").AddHandler(h)
	e.Logger("").Log(record.LevelError, "x")
	<-sink.entered
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	errs := make(chan error, 10)
	for i := 0; i < 10; i++ {
		go func() { errs <- e.Shutdown(ctx) }()
	}
	time.AfterFunc(50*time.Millisecond, func() { close(sink.release) })
	first := <-errs
	for i := 1; i < 10; i++ {
		if err := <-errs; err != first {
			t.Fatalf("Shutdown results differ: %v and %v", first, err)
		}
	}
	if err := e.Shutdown(context.Background()); err != first {
		t.Fatalf("a later Shutdown returned %v, want %v", err, first)
	}
}

// poisonSink panics every time it is handed a record containing "poison".
// With hold set, its first write waits until hold is closed (after closing
// entered), so that the records logged meanwhile queue up into one batch.
type poisonSink struct {
	hold, entered chan struct{}
	once          sync.Once
	mu            sync.Mutex
	got           []string
}

func (s *poisonSink) WriteBatch(b *actors.Batch) (int, error) {
	if s.hold != nil {
		s.once.Do(func() {
			close(s.entered)
			<-s.hold
		})
	}
	for i := 0; i < b.Len(); i++ {
		if strings.Contains(string(b.Record(i)), "poison") {
			panic("cannot write this")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < b.Len(); i++ {
		s.got = append(s.got, strings.TrimSuffix(string(b.Record(i)), "\n"))
	}
	return b.Len(), nil
}
func (s *poisonSink) Close() error { return nil }

func TestPoisonRecordIsGivenUpAfterThreeCrashes(t *testing.T) {
	e := newEngine(t, Options{})
	sink := &poisonSink{}
	h, _ := e.NewHandler("p", sink, actors.HandlerOptions{
		Mailbox:     mailbox.Options{MaxBatch: 1},
		Supervision: supervision.Options{RetryStart: time.Millisecond, RetryMax: time.Millisecond},
	})

	l := e.Logger("")
	l.AddHandler(h)
	for _, m := range []string{"a", "poison", "b"} {
		l.Log(record.LevelError, m)
	}
	flush(t, e)
	sink.mu.Lock()
	got := strings.Join(sink.got, ",")
	sink.mu.Unlock()
	if got != "a,b" {
		t.Fatalf("sink got %s", got)
	}
	st, _ := e.Stats().ForHandler("p")
	if st.Restarts != 3 || st.Dropped["error"] != 1 || st.Written != 2 {
		t.Fatalf("stats %+v", st)
	}
}

// stuckSink blocks in WriteBatch until released, then says it wrote the
// whole batch; Close closes closed when it is set.
type stuckSink struct {
	release chan struct{}
	entered chan struct{}
	closed  chan struct{}
	once    sync.Once
}

func newStuckSink() *stuckSink {
	return &stuckSink{release: make(chan struct{}), entered: make(chan struct{}), closed: make(chan struct{})}
}

func (s *stuckSink) WriteBatch(b *actors.Batch) (int, error) {
	s.once.Do(func() { close(s.entered) })
	<-s.release
	return b.Len(), nil
}

func (s *stuckSink) Close() error {
	if s.closed != nil {
		close(s.closed)
	}
	return nil
}

func TestShutdownDeadlineCountsWhatIsLost(t *testing.T) {
	e := newEngine(t, Options{})
	sink := &stuckSink{release: make(chan struct{}), entered: make(chan struct{})}
	h, err := e.NewHandler("stuck", sink, actors.HandlerOptions{Mailbox: mailbox.Options{MaxBatch: 1}})
	if err != nil {
		t.Fatal(err)
	}
	l := e.Logger("")
	l.AddHandler(h)
	for i := 0; i < 5; i++ {
		l.Log(record.LevelError, "r")
	}
	<-sink.entered
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	flushErr := e.Flush(ctx)
	if flushErr == nil || !strings.Contains(flushErr.Error(), "records not yet handled") {
		t.Fatalf("Flush error = %v", flushErr)
	}
	go func() { time.Sleep(100 * time.Millisecond); close(sink.release) }()
	err = e.Shutdown(ctx)
	if err == nil || !strings.Contains(err.Error(), "dropped at shutdown") {
		t.Fatalf("Shutdown error = %v", err)
	}
	st, _ := e.Stats().ForHandler("stuck")
	if st.InFlight != 0 || st.Accepted != st.Written+st.DroppedTotal() || st.Dropped["shutdown"] == 0 {
		t.Fatalf("stats %+v", st)
	}
}

// panicSink panics on the first write of a record containing "boom".
type panicSink struct {
	mu       sync.Mutex
	got      []string
	panicked bool
}

func (s *panicSink) WriteBatch(b *actors.Batch) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < b.Len(); i++ {
		line := string(b.Record(i))
		if strings.Contains(line, "boom") && !s.panicked {
			s.panicked = true
			panic("sink exploded")
		}
	}
	for i := 0; i < b.Len(); i++ {
		s.got = append(s.got, strings.TrimSuffix(string(b.Record(i)), "\n"))
	}
	return b.Len(), nil
}
func (s *panicSink) Close() error { return nil }

func TestSinkPanicRestartsWithoutLosingTheQueue(t *testing.T) {
	e := newEngine(t, Options{})
	sink := &panicSink{}
	h, err := e.NewHandler("p", sink, actors.HandlerOptions{
		Mailbox:     mailbox.Options{MaxBatch: 2},
		Supervision: supervision.Options{RetryStart: time.Millisecond, RetryMax: time.Millisecond},
	})

	if err != nil {
		t.Fatal(err)
	}
	l := e.Logger("")
	l.AddHandler(h)
	for _, m := range []string{"1", "2", "boom", "4", "5", "6"} {
		l.Log(record.LevelError, m)
	}
	flush(t, e)
	sink.mu.Lock()
	got := strings.Join(sink.got, ",")
	sink.mu.Unlock()
	if got != "1,2,boom,4,5,6" {
		t.Fatalf("sink got %s", got)
	}
	st, _ := e.Stats().ForHandler("p")
	if st.Restarts != 1 || st.Written != 6 {
		t.Fatalf("stats %+v", st)
	}
}

// retrySink fails with a Retry error a few times after writing part of a batch.
type retrySink struct {
	mu       sync.Mutex
	got      []string
	failures int
	// hold, when set, keeps the first batch waiting until it is closed, so
	// that the records logged meanwhile queue behind it and reach the sink
	// in batches of several, whatever the scheduling.
	hold chan struct{}
}

func (s *retrySink) WriteBatch(b *actors.Batch) (int, error) {
	if s.hold != nil {
		<-s.hold
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failures > 0 && b.Len() > 1 {
		s.failures--
		s.got = append(s.got, strings.TrimSuffix(string(b.Record(0)), "\n"))
		return 1, actors.Retry(errors.New("peer went away"))
	}
	for i := 0; i < b.Len(); i++ {
		s.got = append(s.got, strings.TrimSuffix(string(b.Record(i)), "\n"))
	}
	return b.Len(), nil
}
func (s *retrySink) Close() error { return nil }

func TestRetryResumesAfterWhatWasWritten(t *testing.T) {
	errOut := &testio.SyncBuffer{}
	e := newEngine(t, Options{ErrorOutput: errOut})
	hold := make(chan struct{})
	sink := &retrySink{failures: 3, hold: hold}
	h, err := e.NewHandler("net", sink, actors.HandlerOptions{
		Supervision: supervision.Options{RetryStart: time.Millisecond, RetryMax: 2 * time.Millisecond},
	})

	if err != nil {
		t.Fatal(err)
	}
	l := e.Logger("")
	l.AddHandler(h)
	var want []string
	for i := 0; i < 8; i++ {
		want = append(want, fmt.Sprint(i))
	}
	// "0" may go alone in the first batch, which the sink holds while the
	// rest queue: they come as one batch of seven, which fails three times
	// after writing its first record.
	for _, m := range want {
		l.Log(record.LevelError, m)
	}
	close(hold)
	flush(t, e)
	sink.mu.Lock()
	got := strings.Join(sink.got, ",")
	sink.mu.Unlock()
	if got != strings.Join(want, ",") {
		t.Fatalf("sink got %s, want each once in order", got)
	}
	st, _ := e.Stats().ForHandler("net")
	if st.Written != 8 || st.Restarts != 3 || st.Errors != 3 {
		t.Fatalf("stats %+v", st)
	}
	if !strings.Contains(errOut.String(), "--- Logging error ---\nhandler \"net\": peer went away") {
		t.Fatalf("error output %q", errOut.String())
	}
}

// failSink fails every write without Retry.
type failSink struct{}

func (failSink) WriteBatch(*actors.Batch) (int, error) { return 0, errors.New("disk on fire") }
func (failSink) Close() error                          { return nil }

func TestSinkErrorsAreCountedAndReportedAtALimitedRate(t *testing.T) {
	errOut := &testio.SyncBuffer{}
	e := newEngine(t, Options{ErrorOutput: errOut})
	h, _ := e.NewHandler("bad", failSink{}, actors.HandlerOptions{})
	l := e.Logger("")
	l.AddHandler(h)
	for i := 0; i < 50; i++ {
		l.Log(record.LevelError, "x")
		flush(t, e)
	}
	st, _ := e.Stats().ForHandler("bad")
	if st.Dropped["error"] != 50 || st.Errors != 50 {
		t.Fatalf("stats %+v", st)
	}
	if n := strings.Count(errOut.String(), "--- Logging error ---"); n != 1 {
		t.Fatalf("reported %d times, want once within the interval:\n%s", n, errOut.String())
	}
}

type panicFormatter struct{}

func (panicFormatter) Append(dst []byte, r *record.Record) []byte {
	if r.Message == "bad" {
		panic("formatter bug")
	}
	return append(dst, r.Message...)
}

func TestFormatterPanicBecomesVisibleText(t *testing.T) {
	e := newEngine(t, Options{})
	h, out := addStream(t, e, "h", actors.HandlerOptions{Formatter: panicFormatter{}})
	l := e.Logger("")
	l.AddHandler(h)
	l.Log(record.LevelError, "good")
	l.Log(record.LevelError, "bad")
	l.Log(record.LevelError, "good again")
	flush(t, e)
	want := "good\n!FORMAT-PANIC(formatter bug) bad\ngood again\n"
	if got := out.String(); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestStatsAddUpWhileLogging(t *testing.T) {
	e := newEngine(t, Options{})
	h, err := e.NewHandler("n", actors.Null{}, actors.HandlerOptions{Mailbox: mailbox.Options{Capacity: 64, Overflow: mailbox.DropOldest}})
	if err != nil {
		t.Fatal(err)
	}
	l := e.Logger("")
	l.AddHandler(h)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20000; i++ {
				l.Log(record.LevelError, "m")
			}
		}()
	}
	check := func() {
		st, _ := e.Stats().ForHandler("n")
		lost := st.Dropped["oldest"] + st.Dropped["error"] + st.Dropped["shutdown"]
		refused := st.Dropped["full"] + st.Dropped["timeout"] + st.Dropped["closed"]
		if st.Accepted != st.Written+st.Filtered+lost+st.InFlight || st.Received != st.Accepted+refused {
			t.Errorf("stats do not add up: %+v", st)
		}
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
			check()
		}
	}
	flush(t, e)
	check()
	st, _ := e.Stats().ForHandler("n")
	if st.InFlight != 0 || st.Received != 80000 {
		t.Fatalf("after flush: %+v", st)
	}
}

func TestProtoactorLogsStayOffStdStreams(t *testing.T) {
	// With ActorLogs off (the default) protoactor's logger is a discard
	// handler; with it on, warnings go to ErrorOutput and nowhere else.
	errOut := &testio.SyncBuffer{}
	e := newEngine(t, Options{ActorLogs: true, ErrorOutput: errOut})
	e.sys.Logger().Warn("from protoactor")
	if !strings.Contains(errOut.String(), "from protoactor") || !strings.Contains(errOut.String(), "lib=protoactor") {
		t.Fatalf("error output %q", errOut.String())
	}
	quiet := newEngine(t, Options{})
	if quiet.sys.Logger().Handler().Enabled(context.Background(), slog.LevelError) {
		t.Fatal("protoactor's logger is on by default")
	}
}

func TestWriterBridge(t *testing.T) {
	e := newEngine(t, Options{})
	h, out := addStream(t, e, "h", actors.HandlerOptions{Formatter: format.MustPython("%(levelname)s %(message)s", format.PythonOptions{})})
	e.Logger("std").AddHandler(h)
	w := e.Writer("std", record.LevelWarning)
	fmt.Fprintln(w, "from the log package")
	flush(t, e)
	if got := out.String(); got != "WARNING from the log package\n" {
		t.Fatalf("got %q", got)
	}
}

func TestDuplicateHandlerName(t *testing.T) {
	e := newEngine(t, Options{})
	if _, err := e.NewHandler("a", actors.Null{}, actors.HandlerOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.NewHandler("a", actors.Null{}, actors.HandlerOptions{}); !errors.Is(err, ErrDuplicateHandler) {
		t.Fatalf("err = %v", err)
	}
}

func TestNewHandlerRejectsANilSink(t *testing.T) {
	e := newEngine(t, Options{})
	if _, err := e.NewHandler("x", nil, actors.HandlerOptions{}); !errors.Is(err, ErrNoSink) {
		t.Fatalf("nil sink: %v", err)
	}
}
