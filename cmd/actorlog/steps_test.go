package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/actorlog/actorlog/engine"
)

// waitTimeout bounds a wait for something that must happen; nothing
// waits for it to pass.
const waitTimeout = 10 * time.Second

func recv[T any](t *testing.T, c <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(waitTimeout):
		t.Fatalf("no %s within %v", what, waitTimeout)
		var zero T
		return zero
	}
}

func TestReopenerCoalescesABurst(t *testing.T) {
	began, release := make(chan struct{}, 10), make(chan struct{})
	calls := 0
	r := startReopener(func(context.Context) error { calls++; <-release; return nil }, time.Minute,
		func() { began <- struct{}{} }, func(error) {})
	defer r.stop(waitTimeout)
	if !r.request() {
		t.Fatal("first request refused")
	}
	recv(t, began, "first reopen")
	taken := 0
	for i := 0; i < 300; i++ {
		if r.request() {
			taken++
		}
	}
	if taken != 1 {
		t.Errorf("%d of 300 requests pending during a reopen, want 1", taken)
	}
	release <- struct{}{}
	recv(t, began, "second reopen")
	release <- struct{}{}
	r.stop(waitTimeout)
	if calls != 2 {
		t.Errorf("%d reopens for a burst of 301 requests, want 2", calls)
	}
}

func TestReopenerStopCancelsTheRunningReopen(t *testing.T) {
	began, ended := make(chan struct{}, 1), make(chan error, 1)
	r := startReopener(func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }, time.Hour,
		func() { began <- struct{}{} }, func(err error) { ended <- err })
	r.request()
	recv(t, began, "reopen")
	start := time.Now()
	r.stop(waitTimeout)
	if d := time.Since(start); d >= waitTimeout {
		t.Errorf("stop took %v", d)
	}
	if err := recv(t, ended, "end of the reopen"); !errors.Is(err, context.Canceled) {
		t.Errorf("reopen ended with %v, want context.Canceled", err)
	}
}

// The control loop sees a stop signal however many reopen signals come
// before it, since a reopen never runs on it.
func TestRunLoopSeesStopAfterReopenFlood(t *testing.T) {
	release := make(chan struct{})
	r := startReopener(func(context.Context) error { <-release; return nil }, time.Hour, func() {}, func(error) {})
	sigs := &signals{stop: make(chan os.Signal, 1), reopen: make(chan os.Signal, 1)}
	got := make(chan os.Signal, 1)
	go func() { got <- runLoop(sigs, r) }()
	for i := 0; i < 1000; i++ {
		sigs.reopen <- syscall.SIGHUP // blocks until the loop took the previous one
	}
	sigs.stop <- syscall.SIGTERM
	if s := recv(t, got, "return of runLoop"); s != syscall.SIGTERM {
		t.Errorf("runLoop returned %v", s)
	}
	close(release)
	r.stop(waitTimeout)
}

func TestStoppableReturnsOnStop(t *testing.T) {
	stop, release := make(chan os.Signal, 1), make(chan struct{})
	defer close(release)
	stop <- syscall.SIGTERM
	v, sig, err := stoppable(stop, func() (int, error) { <-release; return 1, nil })
	if v != 0 || sig != syscall.SIGTERM || err != nil {
		t.Errorf("stoppable = %v, %v, %v", v, sig, err)
	}
	v, sig, err = stoppable(make(chan os.Signal), func() (int, error) { return 7, io.EOF })
	if v != 7 || sig != nil || err != io.EOF {
		t.Errorf("stoppable = %v, %v, %v", v, sig, err)
	}
}

func TestSendSummaryString(t *testing.T) {
	h := func(name string, w, d, u uint64) engine.HandlerStats {
		hs := engine.HandlerStats{Name: name, Received: w + d + u, Written: w, InFlight: u}
		if d > 0 {
			hs.Dropped = map[string]uint64{"error": d}
		}
		return hs
	}
	for _, c := range []struct {
		sent int64
		hs   []engine.HandlerStats
		want string
	}{
		{0, nil, "sent 0, written 0, dropped 0"},
		{6, []engine.HandlerStats{h("f", 6, 0, 0)}, "sent 6, written 6, dropped 0"},
		{6, []engine.HandlerStats{h("console", 6, 0, 0), h("file", 6, 0, 0)}, "sent 6, written 6 (console 6, file 6), dropped 0"},
		{6, []engine.HandlerStats{h("console", 6, 0, 0), h("file", 3, 3, 0)}, "sent 6, written 3 (console 6, file 3), dropped 3 (file 3)"},
		{6, []engine.HandlerStats{h("a", 6, 0, 0), {Name: "quiet"}}, "sent 6, written 6, dropped 0"},
		{100, []engine.HandlerStats{h("pipe", 10, 20, 70)}, "sent 100, written 10, dropped 20, unfinished 70"},
		{9, []engine.HandlerStats{h("a", 9, 0, 0), h("b", 1, 0, 8)}, "sent 9, written 1 (a 9, b 1), dropped 0, unfinished 8 (b 8)"},
	} {
		if got := summarize(c.sent, engine.Stats{Handlers: c.hs}).String(); got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
	}
}

func TestParseSendFlags(t *testing.T) {
	for _, c := range []struct {
		args  []string
		code  int
		done  bool
		count int
	}{
		{[]string{"hi"}, 0, false, -1},
		{[]string{"--count", "0"}, 0, false, 0},
		{[]string{"--count", "3", "hi"}, 0, false, 3},
		{[]string{"--count", "-1"}, exitUsage, true, 0},
		{[]string{"--timeout", "0s"}, exitUsage, true, 0},
		{[]string{"--level", "nope"}, exitUsage, true, 0},
		{[]string{"--help"}, exitOK, true, 0},
	} {
		o, code, done := parseSendFlags(c.args, io.Discard, io.Discard)
		if code != c.code || done != c.done || !done && o.count != c.count {
			t.Errorf("%q: code %d done %v count %d", c.args, code, done, o.count)
		}
	}
	o, _, _ := parseSendFlags([]string{"--level", "warning", "a", "b"}, io.Discard, io.Discard)
	if o.level.String() != "WARNING" || o.message != "a b" || o.timeout != sendTimeout {
		t.Errorf("options %+v", o)
	}
}

func TestParseServeFlags(t *testing.T) {
	if o, _, done := parseServeFlags(nil, io.Discard, io.Discard); done || o.timeout != serveTimeout {
		t.Errorf("defaults: done %v, %+v", done, o)
	}
	for _, args := range [][]string{{"extra"}, {"--timeout", "-1s"}} {
		if _, code, done := parseServeFlags(args, io.Discard, io.Discard); !done || code != exitUsage {
			t.Errorf("%q: code %d done %v", args, code, done)
		}
	}
}

func TestEachRecord(t *testing.T) {
	collect := func(o sendOptions, stdin string, quit chan struct{}) []string {
		var got []string
		err := o.eachRecord(strings.NewReader(stdin), quit, func(msg string, attrs []slog.Attr) {
			var b strings.Builder
			b.WriteString(msg)
			for _, a := range attrs {
				b.WriteString(" " + a.String())
			}
			got = append(got, b.String())
			if len(got) == 2 && quit != nil {
				close(quit)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	attrs := attrFlag{slog.String("k", "v")}
	for _, c := range []struct {
		o     sendOptions
		stdin string
		quit  bool
		want  string
	}{
		{sendOptions{count: 0, message: "m"}, "", false, ""},
		{sendOptions{count: 2, attrs: attrs}, "", false, "test record seq=1 k=v|test record seq=2 k=v"},
		{sendOptions{count: 5, message: "m"}, "", true, "m seq=1|m seq=2"},
		{sendOptions{count: -1, message: "one"}, "ignored\n", false, "one"},
		{sendOptions{count: -1}, "a\nb\nc\n", false, "a|b|c"},
		{sendOptions{count: -1}, "a\nb\nc\nd\n", true, "a|b"},
	} {
		var quit chan struct{}
		if c.quit {
			quit = make(chan struct{})
		}
		if got := strings.Join(collect(c.o, c.stdin, quit), "|"); got != c.want {
			t.Errorf("%+v stdin %q: got %q, want %q", c.o, c.stdin, got, c.want)
		}
	}
}
