package receiver

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"

	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/record"
)

// streamSeeds are hostile streams: length bombs, nesting bombs, opcode
// bombs and a hello, besides good frames.
func streamSeeds() [][]byte {
	frame := func(p []byte) []byte { return append(binary.BigEndian.AppendUint32(nil, uint32(len(p))), p...) }
	r := testRecord(3)
	seeds := [][]byte{
		record.AppendFrame(nil, &r, nil),
		binary.BigEndian.AppendUint32(nil, 0xffffffff),                     // length bomb
		frame([]byte{0x81, 0xa1, 'x', 0xdd, 0xff, 0xff, 0xff, 0xff}),       // array32 count bomb
		frame(append(bytes.Repeat([]byte{0x81, 0xa1, 'k'}, 200), 0xc0)),    // nesting bomb
		frame([]byte("}(X\x01\x00\x00\x00xcos\nsystem\n(S'true'\ntRu.")),   // opcode bomb
		frame([]byte("}q\x00(X\x01\x00\x00\x00a]q\x01h\x01h\x01h\x01eu.")), // memo references
		frame([]byte(strings.Repeat("]", 300) + ".")),                      // pickle nesting
		anet.AppendHello(nil, anet.Hello{}, nil),
		anet.AppendAck(nil, 7, nil),
	}
	return seeds
}

// FuzzStream feeds a byte stream to the stream receiver's reading and
// decoding: no input panics, and each frame is a record or a counted
// rejection.
func FuzzStream(f *testing.F) {
	for _, s := range streamSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rd := bytes.NewReader(data)
		var buf []byte
		var dc record.Decoder
		for range 1000 {
			p, err := record.ReadFrame(rd, buf, 1<<16, nil)
			if err != nil {
				if err != io.EOF && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, record.ErrFrameTooLarge) {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			buf = p[:0]
			if anet.IsControl(p) {
				_, _ = parseHello(p)
				continue
			}
			var rec record.Record
			if why, err := decodePayload(&dc, p, &rec); err != nil && why == reasonNone {
				t.Fatalf("error %v without a reason", err)
			}
		}
	})
}

// FuzzForm feeds HTTP bodies to the form and JSON decoders.
func FuzzForm(f *testing.F) {
	f.Add("name=py.app&msg=hello&levelno=20&created=1700000000.5&args=None&user=zo%C3%AB", false)
	f.Add("levelno=99999999999999999999&created=nan", false)
	f.Add(strings.Repeat("a=1&", 1000), false)
	f.Add("%zz=%", false)
	f.Add(`[{"name":"a","msg":"m","levelno":20,"x":{"y":[1,2.5,null,true]}}]`, true)
	f.Add(strings.Repeat("[", 5000)+strings.Repeat("]", 5000), true)
	f.Add(`{"name":"a","n":1e400,"big":123456789012345678901234567890}`, true)
	f.Fuzz(func(t *testing.T, body string, isJSON bool) {
		var why reason
		var err error
		if isJSON {
			_, why, err = jsonRecords([]byte(body))
		} else {
			_, why, err = formRecords(body)
		}
		if err != nil && why == reasonNone {
			t.Fatalf("error %v without a reason", err)
		}
	})
}

// FuzzJetStreamMessage feeds a jetstream message's payload (frames back to
// back, from the stream: untrusted) to the receiver's frame splitter: it
// must never panic, and never hand on more records than the payload could
// hold.
func FuzzJetStreamMessage(f *testing.F) {
	r := record.Record{Logger: "app.db", Message: "hello", Level: record.LevelInfo}
	var two []byte
	two = record.AppendFrame(two, &r, nil)
	two = record.AppendFrame(two, &r, nil)
	f.Add(two)
	f.Add(two[:len(two)-3])                          // truncated
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x80})      // length bomb
	f.Add(append([]byte{0, 0, 0, 3}, 0xdd, 0xff, 0)) // array32 count bomb
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		eachFrame(data, 1<<20, nil, func(*record.Record) { n++ }, func(reason) {})
		if n > len(data)/5 {
			t.Fatalf("%d records from %d bytes", n, len(data))
		}
	})
}
