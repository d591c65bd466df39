package main

import (
	"context"
	"errors"
	"io"
	"os"
	"syscall"
	"testing"
	"time"
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
