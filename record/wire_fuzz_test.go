package record

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
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
		b = appendUint(b, math.Float64bits(r.RelativeCreated()))
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

// FuzzDecodeMatchesReference: the one-pass decoder gives what the decoder on
// msgpack/v5 gave, for every input: the same record, or the same error.
func FuzzDecodeMatchesReference(f *testing.F) {
	addTableSeeds(f)
	for _, b := range referenceSeeds {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r1, err1 := DecodeMsgpack(b)
		r2, err2 := decodeMsgpackRef(b)
		if (err1 == nil) != (err2 == nil) || (err1 != nil && err1.Error() != err2.Error()) {
			t.Fatalf("errors differ: %v, reference %v\n%x", err1, err2, b)
		}
		if err1 != nil {
			return
		}
		if d1, d2 := refDump(&r1), refDump(&r2); d1 != d2 {
			t.Fatalf("records differ:\n%s\nreference:\n%s\n%x", d1, d2, b)
		}
		// A Decoder makes the same record, twice in a row (the second from
		// its blocks), and keeps it when the payload's bytes change.
		var dc Decoder
		want := refDump(&r1)
		for range 2 {
			p := bytes.Clone(b)
			r3, err := dc.Decode(p)
			if err != nil {
				t.Fatalf("Decoder: %v", err)
			}
			clear(p)
			if d3 := refDump(&r3); d3 != want {
				t.Fatalf("Decoder's record differs:\n%s\nwant:\n%s\n%x", d3, want, b)
			}
		}
	})
}

// refDump prints every field DecodeMsgpack fills.
func refDump(r *Record) string {
	return fmt.Sprintf("%d %d %#v %#v", r.Time.UnixNano(), r.Level, originOf(r), wireDump(r))
}

// originOf is r's Origin with its RelativeCreated, wherever the record
// keeps it (a Decoder's records keep their own).
func originOf(r *Record) Origin {
	o := *r.Origin
	o.RelativeCreated, o.relInRecord = r.RelativeCreated(), false
	return o
}

// referenceSeeds are shapes the table does not cover: every integer and
// float width, bin, nested arrays and maps, timestamps, keys of every kind,
// nil fields, fields of the wrong type.
var referenceSeeds = [][]byte{
	{0x81, 0xa1, 'a', 0xcc, 0xff},
	{0x85, 0xa1, 'a', 0xcd, 0xff, 0xff, 0xa1, 'b', 0xce, 0xff, 0xff, 0xff, 0xff, 0xa1, 'c', 0xcf, 0xff, 0, 0, 0, 0, 0, 0, 1, 0xa1, 'd', 0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0, 0xa1, 'e', 0xd0, 0x80},
	{0x83, 0xa1, 'f', 0xca, 0x3f, 0xc0, 0, 0, 0xa1, 'g', 0xd1, 0x80, 0, 0xa1, 'h', 0xd2, 0x80, 0, 0, 0},
	{0x82, 0xa1, 'b', 0xc4, 0x02, 0xff, 0xfe, 0xa1, 'e', 0xc4, 0x00},
	{0x81, 0xa1, 'a', 0x93, 0x01, 0x92, 0xc0, 0xc3, 0x82, 0x01, 0xc2, 0xc0, 0xa1, 'x'},
	{0x81, 0xa1, 'g', 0x84, 0xc0, 0x01, 0xc3, 0x02, 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0x03, 0xa0, 0x81, 0xa1, 'z', 0x04},
	{0x82, 0xa1, 't', 0xd6, 0xff, 0x5f, 0, 0, 0, 0xa1, 'u', 0xd7, 0xff, 0x00, 0x00, 0x00, 0x04, 0x5f, 0, 0, 0},
	{0x81, 0xa1, 'v', 0xc7, 0x0c, 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0x5f, 0, 0, 0},
	{0x84, 0xa3, 'm', 's', 'g', 0xcb, 0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18, 0xa4, 'n', 'a', 'm', 'e', 0xc0, 0xa7, 'l', 'e', 'v', 'e', 'l', 'n', 'o', 0xc0, 0xa9, 'l', 'e', 'v', 'e', 'l', 'n', 'a', 'm', 'e', 0xa8, 'L', 'e', 'v', 'e', 'l', ' ', '1', '7'},
	{0x82, 0xa3, 'm', 's', 'g', 0xc3, 0xa7, 'c', 'r', 'e', 'a', 't', 'e', 'd', 0xcf, 0, 0, 0, 0, 0x60, 0, 0, 0},
	{0x81, 0xa3, 'm', 's', 'g', 0xd7, 0xff, 0x00, 0x00, 0x00, 0x04, 0x5f, 0, 0, 0},
	{0x82, 0xa4, 'a', 'r', 'g', 's', 0x92, 0x81, 0x01, 0x02, 0xd6, 0xff, 0, 0, 0, 0, 0xa5, 'a', 't', 't', 'r', '_', 0xc4, 0x01, 0x80},
	{0x82, 0xa6, 'l', 'i', 'n', 'e', 'n', 'o', 0xce, 0xff, 0xff, 0xff, 0xff, 0xa7, 'p', 'r', 'o', 'c', 'e', 's', 's', 0xa1, '1'},
	{0x82, 0xa1, 'k', 0x81, 0xa0, 0x81, 0xa1, 'y', 0x01, 0xa1, 'k', 0x80},
	{0x81, 0xa2, 0xff, 'k', 0xa2, 0xc3, 0x28},
	{0x81, 0xda, 0, 1, 'k', 0xdc, 0, 1, 0xdd, 0, 0, 0, 1, 0xde, 0, 1, 0x01, 0xdf, 0, 0, 0, 1, 0xd9, 1, 'x', 0xdb, 0, 0, 0, 0},
}

// FuzzDecoderStream: one Decoder fed a stream of payloads, good and bad in
// any order, makes for each what DecodeMsgpack makes, although it reads the
// payloads in place and shares text with the previous record; the records
// it made stay as they were while it goes on and the payloads' bytes change.
func FuzzDecoderStream(f *testing.F) {
	seeds := [][]byte{}
	for _, tc := range wireCases {
		r := tc.rec()
		seeds = append(seeds, AppendMsgpack(nil, &r))
	}
	seeds = append(seeds, referenceSeeds...)
	for i := range seeds {
		f.Add(seeds[i], seeds[(i+1)%len(seeds)], seeds[(i+3)%len(seeds)])
	}
	f.Fuzz(func(t *testing.T, a, b, c []byte) {
		checkDecoderStream(t, [][]byte{a, b, a, c, b, b, a})
	})
}

// checkDecoderStream: one Decoder fed the payloads of seq in turn makes for
// each what DecodeMsgpack makes (the same record, or the same error), and
// the records it made stay as they were while it goes on and the payloads'
// bytes change.
func checkDecoderStream(t *testing.T, seq [][]byte) {
	t.Helper()
	var dc Decoder
	var got []Record
	var want []string
	for k, in := range seq {
		r1, err1 := DecodeMsgpack(in)
		p := bytes.Clone(in)
		r2, err2 := dc.Decode(p)
		clear(p)
		if (err1 == nil) != (err2 == nil) || (err1 != nil && err1.Error() != err2.Error()) {
			t.Fatalf("payload %d: errors differ: Decoder %v, DecodeMsgpack %v\n%x", k, err2, err1, in)
		}
		if err1 != nil {
			continue
		}
		w := streamDump(&r1)
		if d := streamDump(&r2); d != w {
			t.Fatalf("payload %d: Decoder's record differs:\n%s\nwant:\n%s\n%x", k, d, w, in)
		}
		got, want = append(got, r2), append(want, w)
	}
	for i := range got {
		if d := streamDump(&got[i]); d != want[i] {
			t.Fatalf("record %d changed:\n%s\nwant:\n%s", i, d, want[i])
		}
	}
}

// streamDump is refDump without fmt, which is slow on the long strings the
// fuzzer makes.
func streamDump(r *Record) string {
	return strconv.FormatInt(r.Time.UnixNano(), 10) + " " + strconv.Itoa(int(r.Level)) + " " + wireDump(r)
}
