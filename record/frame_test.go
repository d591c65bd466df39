package record

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"runtime"
	"sync"
	"testing"
	"testing/iotest"
)

// keyOf returns the FrameKey of secret, nil for nil.
func keyOf(secret []byte) *FrameKey {
	if secret == nil {
		return nil
	}
	return NewFrameKey(secret)
}

func TestFrameRoundTrip(t *testing.T) {
	r := recordWith(slog.String("k", "v"))
	for _, key := range [][]byte{nil, []byte("secret"), {}} {
		var stream []byte
		for range 3 {
			stream = AppendFrame(stream, &r, keyOf(key))
		}
		want := AppendMsgpack(nil, &r)
		// One byte at a time, as a slow peer sends it.
		in := iotest.OneByteReader(bytes.NewReader(stream))
		var buf []byte
		for i := range 3 {
			p, err := ReadFrame(in, buf, 0, keyOf(key))
			if err != nil {
				t.Fatalf("key %q frame %d: %v", key, i, err)
			}
			if !bytes.Equal(p, want) {
				t.Fatalf("key %q frame %d: payload differs", key, i)
			}
			buf = p
		}
		if _, err := ReadFrame(in, buf, 0, keyOf(key)); err != io.EOF {
			t.Errorf("key %q: at the end got %v, want io.EOF", key, err)
		}
	}
}

func TestFrameKey(t *testing.T) {
	r := recordWith(slog.String("k", "v"))
	k := NewFrameKey([]byte("secret"))
	var stream []byte
	for range 3 {
		stream = AppendFrame(stream, &r, k)
	}
	if want := AppendFrame(nil, &r, NewFrameKey([]byte("secret"))); !bytes.Equal(stream[:len(want)], want) {
		t.Fatal("frames under two FrameKeys of one secret differ")
	}
	if !bytes.Equal(AppendPayloadFrame(nil, AppendMsgpack(nil, &r), k), AppendFrame(nil, &r, k)) {
		t.Fatal("AppendPayloadFrame differs from AppendFrame")
	}
	in := bytes.NewReader(stream)
	var buf []byte
	for i := range 3 {
		p, err := ReadFrame(in, buf, 0, k)
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		buf = p
	}
	if _, err := ReadFrame(bytes.NewReader(stream), nil, 0, NewFrameKey([]byte("other"))); !errors.Is(err, ErrBadTag) {
		t.Errorf("wrong key: %v", err)
	}
	if raceEnabled {
		return
	}
	out := make([]byte, 0, 4096)
	if n := testing.AllocsPerRun(100, func() { out = AppendFrame(out[:0], &r, k) }); n != 0 {
		t.Errorf("AppendFrame with a FrameKey: %v allocs, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		in.Reset(stream)
		if buf, _ = ReadFrame(in, buf, 0, k); buf == nil {
			t.Fatal("ReadFrame failed")
		}
	}); n != 0 {
		t.Errorf("ReadFrame with a FrameKey: %v allocs, want 0", n)
	}
}

// TestFrameKeyConcurrent signs and checks frames under one FrameKey from
// several goroutines at once; run it under -race.
func TestFrameKeyConcurrent(t *testing.T) {
	k := NewFrameKey([]byte("secret"))
	r := recordWith(slog.String("k", "v"))
	want := AppendFrame(nil, &r, NewFrameKey([]byte("secret")))
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out, buf []byte
			for range 200 {
				out = AppendFrame(out[:0], &r, k)
				if !bytes.Equal(out, want) {
					errs <- errors.New("frame differs")
					return
				}
				var err error
				if buf, err = ReadFrame(bytes.NewReader(out), buf, 0, k); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestFrameLayout(t *testing.T) {
	r := recordWith()
	payload := AppendMsgpack(nil, &r)
	plain := AppendFrame(nil, &r, nil)
	if n := int(plain[0])<<24 | int(plain[1])<<16 | int(plain[2])<<8 | int(plain[3]); n != len(payload) || !bytes.Equal(plain[4:], payload) {
		t.Errorf("plain frame: length %d, want %d", n, len(payload))
	}
	keyed := AppendFrame(nil, &r, NewFrameKey([]byte("k")))
	if n := int(keyed[2])<<8 | int(keyed[3]); n != len(payload)+tagSize || !bytes.Equal(keyed[4:4+len(payload)], payload) {
		t.Errorf("keyed frame: length %d, want %d", n, len(payload)+tagSize)
	}
	if !bytes.Equal(AppendPayloadFrame(nil, payload, NewFrameKey([]byte("k"))), keyed) {
		t.Error("AppendPayloadFrame differs from AppendFrame")
	}
}

func TestReadFrameErrors(t *testing.T) {
	r := recordWith()
	keyed := AppendFrame(nil, &r, NewFrameKey([]byte("right")))
	flipped := bytes.Clone(keyed)
	flipped[10] ^= 1
	for _, tc := range []struct {
		name  string
		in    []byte
		limit int
		key   []byte
		err   error
	}{
		{"2^32-1 declared", []byte{0xff, 0xff, 0xff, 0xff}, 0, nil, ErrFrameTooLarge},
		{"limit+1 declared", []byte{0, 0, 0, 11, 1, 2}, 10, nil, ErrFrameTooLarge},
		{"default limit+1", []byte{0, 0x10, 0, 1}, 0, nil, ErrFrameTooLarge},
		{"truncated length", []byte{0, 0}, 0, nil, io.ErrUnexpectedEOF},
		{"truncated body", []byte{0, 0, 0, 5, 1, 2}, 0, nil, io.ErrUnexpectedEOF},
		{"wrong key", keyed, 0, []byte("wrong"), ErrBadTag},
		{"flipped bit", flipped, 0, []byte("right"), ErrBadTag},
		{"shorter than a tag", []byte{0, 0, 0, 3, 1, 2, 3}, 0, []byte("k"), ErrBadTag},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ReadFrame(bytes.NewReader(tc.in), nil, tc.limit, keyOf(tc.key))
			if !errors.Is(err, tc.err) || p != nil {
				t.Errorf("got %v (%d bytes), want %v", err, len(p), tc.err)
			}
		})
	}
}

// TestReadFrameGrowsWithData checks that a frame that declares the limit
// but stops early costs only what arrived (in chunks of readChunk), not the
// declared size.
func TestReadFrameGrowsWithData(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race")
	}
	in := append([]byte{0, 0x10, 0, 0}, make([]byte, 100)...) // declares 1 MiB
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 10 {
		if _, err := ReadFrame(bytes.NewReader(in), nil, 0, nil); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if got := (after.TotalAlloc - before.TotalAlloc) / 10; got > 2*readChunk {
		t.Errorf("a short frame declaring 1 MiB allocated %d bytes", got)
	}
	full := AppendPayloadFrame(nil, make([]byte, 300<<10), nil)
	if p, err := ReadFrame(bytes.NewReader(full), nil, 0, nil); err != nil || len(p) != 300<<10 {
		t.Fatalf("ReadFrame of 300 KiB: %v, %d bytes", err, len(p))
	}
}
