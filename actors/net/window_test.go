package net

import (
	"io"
	"log/slog"
	stdnet "net"
	"testing"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/record"
)

// The window keeps frames in order across releases and compactions.
func TestWindow(t *testing.T) {
	var w window
	frames := []byte("aabbbcdddd")
	w.add(frames, []int{2, 5, 6, 10}, 0)
	if w.len() != 4 || w.bytes() != 10 || w.next() != 4 {
		t.Fatalf("len %d bytes %d next %d", w.len(), w.bytes(), w.next())
	}
	if n := w.release(2); n != 2 || string(w.frames()) != "cdddd" || w.first != 2 {
		t.Fatalf("release: %d %q", n, w.frames())
	}
	w.add([]byte("ee"), []int{4}, 2) // the frame "ee", at offsets 2 to 4 of its batch
	if string(w.frames()) != "cddddee" || w.len() != 3 {
		t.Fatalf("add: %q %d", w.frames(), w.len())
	}
	if n := w.release(2); n != 0 {
		t.Fatalf("release below first: %d", n)
	}
	if n := w.release(100); n != 3 || w.len() != 0 || w.bytes() != 0 || w.first != 5 {
		t.Fatalf("release all: %d %+v", n, w)
	}
}

// The loss bound counts every frame written after the newest write that
// began a window's worth of bytes or more before the end (so at least the
// last write's frames).
func TestLossBound(t *testing.T) {
	var m lossMarks
	sent := uint64(0)
	for range 10 { // ten writes of 100 bytes, 10 frames each
		m.mark(sent)
		m.add(100)
		sent += 10
	}
	for _, c := range []struct {
		window int64
		want   uint64
	}{{0, 10}, {100, 10}, {150, 20}, {1000, 100}, {5000, 100}} {
		if got := m.bound(sent, c.window); got != c.want {
			t.Errorf("window %d: %d, want %d", c.window, got, c.want)
		}
	}
	for range 100 { // the ring forgets old marks: the bound only grows
		m.mark(sent)
		m.add(100)
		sent += 10
	}
	if got := m.bound(sent, 1<<20); got != sent {
		t.Errorf("beyond the ring: %d, want %d", got, sent)
	}
}

// A Socket's steady state allocates nothing: encoding a record into a
// reused batch and writing it (with ack, the window too).
func TestSocketAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	for _, ack := range []bool{false, true} {
		ln, err := stdnet.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
			io.Copy(io.Discard, c) // acks never come: the window only grows
		}()
		s, err := NewSocket(SocketOptions{Host: "127.0.0.1", Port: ln.Addr().(*stdnet.TCPAddr).Port, Ack: ack})
		if err != nil {
			t.Fatal(err)
		}
		r := record.Record{Logger: "app", Level: record.LevelInfo, Message: "request handled"}
		r.AddAttrs(slog.String("path", "/api"), slog.Int("status", 200))
		b := &actors.Batch{}
		write := func() {
			b.Reset()
			b.Buf, _ = s.AppendRecord(b.Buf, &r)
			b.Ends = append(b.Ends, len(b.Buf))
			if _, err := s.WriteBatch(b); err != nil {
				t.Fatal(err)
			}
		}
		for range 2000 { // grow the window's storage first
			write()
		}
		s.win.release(s.win.next()) // as an ack would
		if allocs := testing.AllocsPerRun(500, write); allocs != 0 {
			t.Errorf("ack %v: %v allocations per record", ack, allocs)
		}
		s.o.AckTimeout = 1 // Close does not wait for acks that never come
		s.Close()
		ln.Close()
		<-done
	}
}
