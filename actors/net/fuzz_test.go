package net

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/actorlog/actorlog/record"
)

// FuzzParseHello: any payload gives a hello that re-encodes to a payload
// ParseHello reads back the same, or an error wrapping ErrProtocol.
func FuzzParseHello(f *testing.F) {
	f.Add(AppendHello(nil, Hello{Session: testSession, Base: 9}, nil)[4:])
	f.Add([]byte("\x94\xa5hello\x01\xc4\x100123456789abcdef\x00"))
	f.Add([]byte("\x94\xa5hello\x02\xc4\x10"))
	f.Add([]byte("\xdd\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, p []byte) {
		h, err := ParseHello(p)
		if err != nil {
			if !errors.Is(err, ErrProtocol) {
				t.Fatalf("%x: %v", p, err)
			}
			return
		}
		if !IsControl(p) {
			t.Fatalf("%x parsed but is not a control frame", p)
		}
		h2, err := ParseHello(AppendHello(nil, h, nil)[4:])
		if err != nil || h2 != h {
			t.Fatalf("%x: %+v re-parsed as %+v, %v", p, h, h2, err)
		}
	})
}

// FuzzParseAck: as FuzzParseHello, for an ack's payload.
func FuzzParseAck(f *testing.F) {
	f.Add(AppendAck(nil, 1<<40, nil)[4:])
	f.Add([]byte("\x92\xa3ack\x05"))
	f.Add([]byte("\x92\xa3ack\xcf\x00"))
	f.Add([]byte("\xdc\x00\x02\xa3ack\xcc\xff"))
	f.Fuzz(func(t *testing.T, p []byte) {
		n, err := ParseAck(p)
		if err != nil {
			if !errors.Is(err, ErrProtocol) {
				t.Fatalf("%x: %v", p, err)
			}
			return
		}
		if m, err := ParseAck(AppendAck(nil, n, nil)[4:]); err != nil || m != n {
			t.Fatalf("%x: %d re-parsed as %d, %v", p, n, m, err)
		}
	})
}

// FuzzAckReader: any byte stream, with or without a key, ends in a known
// error after at most one ack per 5 bytes, and never reads a frame over
// MaxControlFrame.
func FuzzAckReader(f *testing.F) {
	key := record.NewFrameKey([]byte("k"))
	f.Add(AppendAck(AppendAck(nil, 1, nil), 2, nil), false)
	f.Add(AppendAck(nil, 3, key), true)
	f.Add([]byte("\xff\xff\xff\xff"), false)
	f.Add([]byte("\x00\x00\x00\x60\x92"), true)
	f.Fuzz(func(t *testing.T, s []byte, keyed bool) {
		var k *record.FrameKey
		if keyed {
			k = key
		}
		a := NewAckReader(bytes.NewReader(s), k)
		for i := 0; ; i++ {
			if i > len(s)/5 {
				t.Fatalf("%d acks from %d bytes", i, len(s))
			}
			_, err := a.Next()
			if err == nil {
				continue
			}
			if err != io.EOF && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, ErrProtocol) &&
				!errors.Is(err, record.ErrBadTag) && !errors.Is(err, record.ErrFrameTooLarge) {
				t.Fatalf("unexpected error %v", err)
			}
			if cap(a.buf) > MaxControlFrame {
				t.Fatalf("buffer grew to %d", cap(a.buf))
			}
			return
		}
	})
}
