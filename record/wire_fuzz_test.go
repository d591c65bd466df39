package record

import (
	"bytes"
	"errors"
	"io"
	"math"
	"testing"

	"github.com/vmihailenco/msgpack/v5"
)

// addTableSeeds adds the encodings of the round-trip table.
func addTableSeeds(f *testing.F) {
	for _, tc := range wireCases {
		r := tc.rec()
		f.Add(AppendMsgpack(nil, &r))
	}
}

// FuzzCheckMsgpack: the checker never panics, and whatever it accepts
// msgpack/v5 can walk to the end without error (or a panic, or unbounded
// allocation, which would crash the fuzzer).
func FuzzCheckMsgpack(f *testing.F) {
	addTableSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := checkMsgpack(b, 0); err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooDeep) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		rd := bytes.NewReader(b)
		d := msgpack.NewDecoder(rd)
		if err := d.Skip(); err != nil {
			t.Fatalf("checked input, but msgpack/v5 fails: %v", err)
		}
		if rd.Len() != 0 {
			t.Fatalf("checked input, but msgpack/v5 leaves %d bytes", rd.Len())
		}
		_, _ = DecodeMsgpack(b)
	})
}

// FuzzDecodeMsgpack: the decoder never panics, and a payload that decodes
// re-encodes to a payload that decodes to an equal record, which re-encodes
// to the same bytes.
func FuzzDecodeMsgpack(f *testing.F) {
	addTableSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		r1, err := DecodeMsgpack(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooDeep) && !errors.Is(err, ErrBadRecord) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		b2 := AppendMsgpack(nil, &r1)
		r2, err := DecodeMsgpack(b2)
		if err != nil {
			t.Fatalf("re-encoded record does not decode: %v\n%x", err, b2)
		}
		if d1, d2 := wireDump(&r1), wireDump(&r2); d1 != d2 {
			t.Fatalf("records differ:\n%s\n%s", d1, d2)
		}
		if b3 := AppendMsgpack(nil, &r2); !bytes.Equal(b2, b3) {
			t.Fatalf("re-encoding is not stable:\n%x\n%x", b2, b3)
		}
	})
}

// wireDump prints what the wire carries of a record.
func wireDump(r *Record) string {
	created, _ := CreatedMsecs(r.Time)
	var b []byte
	b = append(b, r.Logger+"|"+r.Message+"|"+r.Level.String()+"|"+r.ErrText+"|"+r.Stack+"|"...)
	b = appendFloat(b, created)
	if o := r.Origin; o != nil {
		b = append(b, "|"+o.Pathname+"|"+o.Filename+"|"+o.Module+"|"+o.FuncName+"|"+o.ThreadName+"|"+o.ProcessName+"|"+o.TaskName+"|"...)
		b = appendInt(b, int64(o.Lineno))
		b = appendInt(b, o.Thread)
		b = appendInt(b, o.Process)
		b = appendUint(b, math.Float64bits(o.RelativeCreated))
	}
	return string(b) + "|" + dumpAttrs(recordAttrs(r))
}

// FuzzReadFrame: reading frames from any byte stream never panics, never
// returns a payload over the limit, and returns exactly the frames a plain
// splitter finds (tags verified).
func FuzzReadFrame(f *testing.F) {
	r := recordWith()
	f.Add(AppendFrame(AppendFrame(nil, &r, nil), &r, nil), false, uint16(0))
	key := NewFrameKey([]byte("fuzz key"))
	f.Add(AppendFrame(nil, &r, key), true, uint16(0))
	f.Add([]byte{0, 0, 0, 3, 1, 2, 3, 0, 0}, false, uint16(2))
	f.Fuzz(func(t *testing.T, data []byte, keyed bool, limit uint16) {
		k := key
		if !keyed {
			k = nil
		}
		in := bytes.NewReader(data)
		rest := data
		var buf []byte
		for {
			p, err := ReadFrame(in, buf, int(limit), k)
			if err != nil {
				if err == io.EOF && len(rest) != 0 {
					t.Fatalf("io.EOF with %d bytes left", len(rest))
				}
				return
			}
			max := int(limit)
			if max == 0 {
				max = DefaultFrameLimit
			}
			if len(p) > max {
				t.Fatalf("payload of %d bytes over the limit %d", len(p), max)
			}
			frame := AppendPayloadFrame(nil, p, k)
			if !bytes.HasPrefix(rest, frame) {
				t.Fatalf("frame does not match the stream")
			}
			rest = rest[len(frame):]
			buf = p
		}
	})
}
