package net

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/record"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var testSession = [SessionSize]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}

// The bytes documented in doc.go, exactly.
func TestHelloBytes(t *testing.T) {
	got := AppendHello(nil, Hello{Session: testSession, Base: 0x0102}, nil)
	want := unhex(t, "0000002b 94 a568656c6c6f cf0000000000000001 c410 000102030405060708090a0b0c0d0e0f cf0000000000000102")
	if !bytes.Equal(got, want) {
		t.Fatalf("hello\n got %x\nwant %x", got, want)
	}
	h, err := ParseHello(got[4:])
	if err != nil || h != (Hello{Version: 1, Session: testSession, Base: 0x0102}) {
		t.Fatalf("ParseHello = %+v, %v", h, err)
	}
}

func TestAckBytes(t *testing.T) {
	got := AppendAck([]byte("x"), 0x0a0b0c0d, nil)
	want := unhex(t, "78 0000000e 92 a361636b cf000000000a0b0c0d")
	if !bytes.Equal(got, want) {
		t.Fatalf("ack\n got %x\nwant %x", got, want)
	}
	n, err := ParseAck(got[5:])
	if err != nil || n != 0x0a0b0c0d {
		t.Fatalf("ParseAck = %d, %v", n, err)
	}
}

// With a key the control frames are tagged as records are: record.ReadFrame
// with the key reads them, and a wrong key is refused.
func TestControlFramesKeyed(t *testing.T) {
	key := record.NewFrameKey([]byte("secret"))
	var stream []byte
	stream = AppendHello(stream, Hello{Session: testSession, Base: 7}, key)
	stream = AppendAck(stream, 42, key)
	if len(stream) != 4+43+32+4+14+32 {
		t.Fatalf("keyed frames are %d bytes", len(stream))
	}
	r := bytes.NewReader(stream)
	p, err := record.ReadFrame(r, nil, MaxControlFrame, key)
	if err != nil {
		t.Fatal(err)
	}
	if !IsControl(p) {
		t.Fatal("hello is not a control frame")
	}
	if h, err := ParseHello(p); err != nil || h.Base != 7 || h.Session != testSession {
		t.Fatalf("ParseHello = %+v, %v", h, err)
	}
	if n, err := NewAckReader(r, key).Next(); err != nil || n != 42 {
		t.Fatalf("ack = %d, %v", n, err)
	}
	_, err = NewAckReader(bytes.NewReader(AppendAck(nil, 1, key)), record.NewFrameKey([]byte("other"))).Next()
	if !errors.Is(err, record.ErrBadTag) {
		t.Fatalf("wrong key: %v", err)
	}
	_, err = NewAckReader(bytes.NewReader(AppendAck(nil, 1, nil)), key).Next()
	if !errors.Is(err, record.ErrBadTag) {
		t.Fatalf("untagged ack with a key: %v", err)
	}
}

// What Python's msgpack.packb writes for the same messages (compact ints)
// is accepted.
func TestCompactIntegers(t *testing.T) {
	acks := map[string]uint64{
		"92 a3 61636b 00":                 0,
		"92 a3 61636b 7f":                 127,
		"92 a3 61636b cc80":               128,
		"92 a3 61636b cd0100":             256,
		"92 a3 61636b ce00010000":         65536,
		"92 a3 61636b cfffffffffffffffff": 1<<64 - 1,
		"dc0002 a3 61636b 05":             5,
		"dd00000002 a3 61636b 06":         6,
	}
	for h, want := range acks {
		n, err := ParseAck(unhex(t, h))
		if err != nil || n != want {
			t.Errorf("%s: %d, %v; want %d", h, n, err, want)
		}
	}
	hello := unhex(t, "94 a568656c6c6f 01 c410 000102030405060708090a0b0c0d0e0f 00")
	if h, err := ParseHello(hello); err != nil || h.Base != 0 || h.Version != 1 {
		t.Errorf("compact hello: %+v, %v", h, err)
	}
}

func TestParseErrors(t *testing.T) {
	bad := map[string]string{
		"":                                "empty",
		"92":                              "truncated",
		"93 a3 61636b 01 02":              "three elements",
		"82 a3 61636b 01":                 "a map",
		"92 a3 61636b d0ff":               "a negative number",
		"92 a3 61636b cb3ff0000000000000": "a float",
		"92 a3 61636b cf0001":             "a cut number",
		"92 a3 61636b 01 00":              "trailing bytes",
		"92 a4 61636b73 01":               "another kind",
		"92 d903 61636b 01":               "kind as str 8",
		"92 a5 68656c6c6f 01":             "a hello",
		"dc00":                            "cut array 16",
		"dd000000":                        "cut array 32",
	}
	for h, why := range bad {
		if _, err := ParseAck(unhex(t, h)); !errors.Is(err, ErrProtocol) {
			t.Errorf("ack %s (%s): %v", h, why, err)
		}
	}
	good := "94 a568656c6c6f 01 c410 000102030405060708090a0b0c0d0e0f 00"
	badHello := map[string]string{
		"94 a568656c6c6f 02 c410 000102030405060708090a0b0c0d0e0f 00":    "version 2",
		"94 a568656c6c6f 00 c410 000102030405060708090a0b0c0d0e0f 00":    "version 0",
		"94 a568656c6c6f 01 c40f 000102030405060708090a0b0c0d0e 00":      "15-byte session",
		"94 a568656c6c6f 01 c510 000102030405060708090a0b0c0d0e0f 00":    "bin 16",
		"94 a568656c6c6f 01 c410 000102030405060708090a0b0c0d0e0f":       "no base",
		"95 a568656c6c6f 01 c410 000102030405060708090a0b0c0d0e0f 00 00": "five elements",
		"94 a568656c6c6f 01 c410 000102030405060708090a0b0c0d0e":         "cut session",
		"92 a3 61636b 01": "an ack",
	}
	if _, err := ParseHello(unhex(t, good)); err != nil {
		t.Fatal(err)
	}
	for h, why := range badHello {
		if _, err := ParseHello(unhex(t, h)); !errors.Is(err, ErrProtocol) {
			t.Errorf("hello %s (%s): %v", h, why, err)
		}
	}
}

func TestIsControl(t *testing.T) {
	r := record.Record{Message: "m"}
	for _, c := range []struct {
		p    []byte
		want bool
	}{
		{record.AppendMsgpack(nil, &r), false},
		{[]byte{0x80}, false},                           // empty msgpack map
		{[]byte("}q\x00(X\x04\x00\x00\x00name"), false}, // pickle protocol 1
		{[]byte{0x80, 0x04, 0x95}, false},               // pickle protocol 4
		{[]byte("(dp0\n"), false},                       // pickle protocol 0
		{nil, false},
		{AppendAck(nil, 1, nil)[4:], true},
		{AppendHello(nil, Hello{}, nil)[4:], true},
		{[]byte{0xdc, 0, 2}, true},
		{[]byte{0xdd, 0, 0, 0, 2}, true},
	} {
		if got := IsControl(c.p); got != c.want {
			t.Errorf("IsControl(% x) = %v", c.p, got)
		}
	}
}

func TestAckReaderStream(t *testing.T) {
	var s []byte
	for i := uint64(0); i < 5; i++ {
		s = AppendAck(s, i*10, nil)
	}
	a := NewAckReader(bytes.NewReader(s), nil)
	for i := uint64(0); i < 5; i++ {
		n, err := a.Next()
		if err != nil || n != i*10 {
			t.Fatalf("ack %d = %d, %v", i, n, err)
		}
	}
	if _, err := a.Next(); err != io.EOF {
		t.Fatalf("end: %v", err)
	}
	if _, err := NewAckReader(bytes.NewReader(s[:7]), nil).Next(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("cut: %v", err)
	}
	big := unhex(t, "00000061")
	if _, err := NewAckReader(bytes.NewReader(big), nil).Next(); !errors.Is(err, record.ErrFrameTooLarge) {
		t.Fatalf("oversize: %v", err)
	}
	rec := record.AppendPayloadFrame(nil, []byte{0x81, 0xa1, 'a', 0x01}, nil)
	if _, err := NewAckReader(bytes.NewReader(rec), nil).Next(); !errors.Is(err, ErrProtocol) {
		t.Fatalf("a record where an ack was due: %v", err)
	}
}

func TestProtocolAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	key := record.NewFrameKey([]byte("k"))
	buf := make([]byte, 0, 256)
	stream := bytes.Repeat(AppendAck(nil, 9, key), 1000)
	rd := bytes.NewReader(stream)
	a := NewAckReader(rd, key)
	allocs := testing.AllocsPerRun(200, func() {
		buf = AppendHello(buf[:0], Hello{Base: 1}, key)
		buf = AppendAck(buf[:0], 3, key)
		if _, err := ParseHello(AppendHello(buf[:0], Hello{}, nil)[4:]); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Next(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per hello, ack and read", allocs)
	}
}
