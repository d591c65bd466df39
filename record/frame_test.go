package record

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"runtime"
	"testing"
	"testing/iotest"
)

func TestFrameRoundTrip(t *testing.T) {
	r := recordWith(slog.String("k", "v"))
	for _, key := range [][]byte{nil, []byte("secret"), {}} {
		var stream []byte
		for range 3 {
			stream = AppendFrame(stream, &r, key)
		}
		want := AppendMsgpack(nil, &r)
		// One byte at a time, as a slow peer sends it.
		in := iotest.OneByteReader(bytes.NewReader(stream))
		var buf []byte
		for i := range 3 {
			p, err := ReadFrame(in, buf, 0, key)
			if err != nil {
				t.Fatalf("key %q frame %d: %v", key, i, err)
			}
			if !bytes.Equal(p, want) {
				t.Fatalf("key %q frame %d: payload differs", key, i)
			}
			buf = p
		}
		if _, err := ReadFrame(in, buf, 0, key); err != io.EOF {
			t.Errorf("key %q: at the end got %v, want io.EOF", key, err)
		}
	}
}

func TestFrameKey(t *testing.T) {
	r := recordWith(slog.String("k", "v"))
	k := NewFrameKey([]byte("secret"))
	var stream []byte
	for range 3 {
		stream = k.AppendFrame(stream, &r)
	}
	if want := AppendFrame(nil, &r, []byte("secret")); !bytes.Equal(stream[:len(want)], want) {
		t.Fatal("FrameKey.AppendFrame differs from AppendFrame")
	}
	if !bytes.Equal(k.AppendFramePayload(nil, AppendMsgpack(nil, &r)), AppendFrame(nil, &r, []byte("secret"))) {
		t.Fatal("FrameKey.AppendFramePayload differs from AppendFrame")
	}
	in := bytes.NewReader(stream)
	var buf []byte
	for i := range 3 {
		p, err := k.ReadFrame(in, buf, 0)
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		buf = p
	}
	if _, err := NewFrameKey([]byte("other")).ReadFrame(bytes.NewReader(stream), nil, 0); !errors.Is(err, ErrBadTag) {
		t.Errorf("wrong key: %v", err)
	}
	if raceEnabled {
		return
	}
	out := make([]byte, 0, 4096)
	if n := testing.AllocsPerRun(100, func() { out = k.AppendFrame(out[:0], &r) }); n != 0 {
		t.Errorf("FrameKey.AppendFrame: %v allocs, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		in.Reset(stream)
		if buf, _ = k.ReadFrame(in, buf, 0); buf == nil {
			t.Fatal("ReadFrame failed")
		}
	}); n != 0 {
		t.Errorf("FrameKey.ReadFrame: %v allocs, want 0", n)
	}
}

func TestFrameLayout(t *testing.T) {
	r := recordWith()
	payload := AppendMsgpack(nil, &r)
	plain := AppendFrame(nil, &r, nil)
	if n := int(plain[0])<<24 | int(plain[1])<<16 | int(plain[2])<<8 | int(plain[3]); n != len(payload) || !bytes.Equal(plain[4:], payload) {
		t.Errorf("plain frame: length %d, want %d", n, len(payload))
	}
	keyed := AppendFrame(nil, &r, []byte("k"))
	if n := int(keyed[2])<<8 | int(keyed[3]); n != len(payload)+TagSize || !bytes.Equal(keyed[4:4+len(payload)], payload) {
		t.Errorf("keyed frame: length %d, want %d", n, len(payload)+TagSize)
	}
	if !bytes.Equal(AppendFramePayload(nil, payload, []byte("k")), keyed) {
		t.Error("AppendFramePayload differs from AppendFrame")
	}
}

func TestReadFrameErrors(t *testing.T) {
	r := recordWith()
	keyed := AppendFrame(nil, &r, []byte("right"))
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
			p, err := ReadFrame(bytes.NewReader(tc.in), nil, tc.limit, tc.key)
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
	full := AppendFramePayload(nil, make([]byte, 300<<10), nil)
	if p, err := ReadFrame(bytes.NewReader(full), nil, 0, nil); err != nil || len(p) != 300<<10 {
		t.Fatalf("ReadFrame of 300 KiB: %v, %d bytes", err, len(p))
	}
}
