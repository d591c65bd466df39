package mail

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
	"github.com/actorlog/actorlog/supervision"
)

var t0 = time.Date(2026, 11, 23, 18, 45, 36, 0, time.UTC)

func bodyOf(t *testing.T, m received) string {
	t.Helper()
	_, body := headers(m.Data)
	return strings.ReplaceAll(body, "\r\n", "\n")
}

// TestDigest: one mail for every Capacity records, one for what the
// interval gathered, one at Close; the subject is the first record's.
func TestDigest(t *testing.T) {
	ts := startServer(t, serverOptions{})
	o := opts(ts)
	o.Capacity = 3
	o.Interval = time.Minute
	o.Clock = clock.NewFake(t0)
	o.SubjectFunc = func(r *record.Record) string { return "first: " + r.Message }
	s := newSMTP(t, o)
	if n, err := s.WriteBatch(batchOf("r1", "r2")); n != 2 || err != nil {
		t.Fatalf("WriteBatch = %d, %v", n, err)
	}
	if len(ts.got()) != 0 || s.TickInterval() != time.Minute {
		t.Fatalf("a digest of 2 of 3 went out, or no tick asked for (%v)", s.TickInterval())
	}
	if n, err := s.WriteBatch(batchOf("r3", "r4")); n != 2 || err != nil {
		t.Fatalf("WriteBatch = %d, %v", n, err)
	}
	if err := s.Tick(t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if s.TickInterval() != 0 {
		t.Fatal("a tick asked for with nothing held")
	}
	if _, err := s.WriteBatch(batchOf("r5", "r6", "r7")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteBatch(batchOf("r8")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	got := ts.got()
	var bodies, subjects []string
	for _, m := range got {
		bodies = append(bodies, bodyOf(t, m))
		subjects = append(subjects, header(t, m.Data, "Subject"))
	}
	want := []string{"r1\nr2\nr3\n", "r4\n", "r5\nr6\nr7\n", "r8\n"}
	if fmt.Sprint(bodies) != fmt.Sprint(want) {
		t.Fatalf("digests %q, want %q", bodies, want)
	}
	if subjects[1] != "first: r4" {
		t.Fatalf("subjects %q", subjects)
	}
}

// TestDigestKeptWhileTheServerIsDown: a digest that cannot be sent is kept
// and the records behind it wait for the back-off; nothing is sent twice.
func TestDigestKeptWhileTheServerIsDown(t *testing.T) {
	ts := startServer(t, serverOptions{})
	ts.tempFail = 2
	o := opts(ts)
	o.Capacity = 2
	s := newSMTP(t, o)
	defer s.Close()
	n, err := s.WriteBatch(batchOf("a", "b"))
	if n != 2 || err == nil || actors.IsRetry(err) {
		t.Fatalf("WriteBatch = %d, %v; want 2 held and the failure reported", n, err)
	}
	n, err = s.WriteBatch(batchOf("c"))
	if n != 0 || !actors.IsRetry(err) {
		t.Fatalf("WriteBatch = %d, %v; want 0 and a retry", n, err)
	}
	if n, err = s.WriteBatch(batchOf("c")); n != 1 || err != nil {
		t.Fatalf("retried WriteBatch = %d, %v", n, err)
	}
	got := ts.got()
	if len(got) != 1 || bodyOf(t, got[0]) != "a\nb\n" {
		t.Fatalf("got %+v", got)
	}
}

// TestDigestStorm: through the engine, driven by a fake clock, an error
// storm of 1000 records sends 10 mails, the interval sends the rest, and
// Shutdown the last.
func TestDigestStorm(t *testing.T) {
	ts := startServer(t, serverOptions{})
	fake := clock.NewFake(t0)
	o := opts(ts)
	o.Capacity = 100
	o.Interval = time.Minute
	o.Clock = fake
	e := newEngine(t)
	h, err := e.NewHandler("digest", newSMTP(t, o), actors.HandlerOptions{
		Clock:       fake,
		Mailbox:     mailbox.Options{Capacity: 2048}, // room for the whole storm
		Supervision: supervision.Options{Clock: clock.System()},
	})
	if err != nil {
		t.Fatal(err)
	}
	l := e.Logger("")
	l.AddHandler(h)
	for i := range 1050 {
		l.Log(record.LevelError, fmt.Sprint("boom ", i))
	}
	flush(t, e)
	if got := len(ts.got()); got != 10 {
		t.Fatalf("%d mails after the storm, want 10", got)
	}
	fake.Advance(time.Minute)
	flush(t, e)
	got := ts.got()
	if len(got) != 11 || strings.Count(bodyOf(t, got[10]), "\n") != 50 {
		t.Fatalf("%d mails after the interval, want 11 with 50 records in the last", len(got))
	}
	l.Log(record.LevelError, "last")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	got = ts.got()
	if len(got) != 12 || bodyOf(t, got[11]) != "last\n" {
		t.Fatalf("%d mails after Shutdown, want 12 ending with the last record", len(got))
	}
	lines := 0
	for _, m := range got {
		lines += strings.Count(bodyOf(t, m), "\n")
	}
	if lines != 1051 {
		t.Fatalf("%d records mailed, want 1051", lines)
	}
}

// TestDigestRefusedForGood: a digest the server refuses with 5xx is
// reported and dropped, and the records after it start a new one.
func TestDigestRefusedForGood(t *testing.T) {
	ts := startServer(t, serverOptions{})
	ts.rejectData = true
	o := opts(ts)
	o.Capacity = 2
	s := newSMTP(t, o)
	n, err := s.WriteBatch(batchOf("a", "b", "c"))
	if n != 3 || err == nil || actors.IsRetry(err) {
		t.Fatalf("WriteBatch = %d, %v; want 3 taken and the lost digest reported", n, err)
	}
	ts.mu.Lock()
	ts.rejectData = false
	ts.mu.Unlock()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got := ts.got(); len(got) != 1 || bodyOf(t, got[0]) != "c\n" {
		t.Fatalf("got %+v, want the digest of c alone", got)
	}
}
