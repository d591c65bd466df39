package record

import (
	"bytes"
	"log/slog"
	"testing"
	"time"
)

func benchRecord() Record {
	r := Record{Time: time.Now(), Level: LevelInfo, Logger: "app.db", Message: "query finished"}
	r.AddAttrs(slog.String("user", "bob"), slog.Int("rows", 42), slog.Float64("ms", 3.25), slog.Bool("cached", false))
	r.Origin = &Origin{Pathname: "/srv/app/db.go", Filename: "db.go", Module: "db", FuncName: "Query", Lineno: 120, Process: 1}
	return r
}

func BenchmarkAppendMsgpack(b *testing.B) {
	benchAppend(b, benchRecord())
}

// benchAppend encodes r b.N times into one buffer.
func benchAppend(b *testing.B, r Record) {
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendMsgpack(buf[:0], &r)
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkAppendFrameKeyed(b *testing.B) {
	r := benchRecord()
	key := NewFrameKey([]byte("shared key"))
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendFrame(buf[:0], &r, key)
	}
}

func BenchmarkCheckMsgpack(b *testing.B) {
	r := benchRecord()
	p := AppendMsgpack(nil, &r)
	b.ReportAllocs()
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		if err := checkMsgpack(p, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeMsgpack(b *testing.B) {
	r := benchRecord()
	p := AppendMsgpack(nil, &r)
	b.ReportAllocs()
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		if _, err := DecodeMsgpack(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadFrame(b *testing.B) {
	r := benchRecord()
	frame := AppendFrame(nil, &r, nil)
	rd := bytes.NewReader(frame)
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		rd.Reset(frame)
		p, err := ReadFrame(rd, buf, 0, nil)
		if err != nil {
			b.Fatal(err)
		}
		buf = p
	}
}

func BenchmarkDecoder(b *testing.B) {
	r := benchRecord()
	p := AppendMsgpack(nil, &r)
	var dc Decoder
	b.ReportAllocs()
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		if _, err := dc.Decode(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeReference is the decoder on msgpack/v5 that DecodeMsgpack
// replaced, for comparison.
func BenchmarkDecodeReference(b *testing.B) {
	r := benchRecord()
	p := AppendMsgpack(nil, &r)
	b.ReportAllocs()
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		if _, err := decodeMsgpackRef(p); err != nil {
			b.Fatal(err)
		}
	}
}

// localRecord is a record as an engine's logger makes it: no Origin, no
// caller captured.
func localRecord() Record {
	r := benchRecord()
	r.Origin = nil
	return r
}

// BenchmarkAppendMsgpackLocal encodes a record of this process, as a
// Socket handler does.
func BenchmarkAppendMsgpackLocal(b *testing.B) {
	benchAppend(b, localRecord())
}

// BenchmarkDecoderLocal decodes what BenchmarkAppendMsgpackLocal encodes,
// as a collector's receiver does.
func BenchmarkDecoderLocal(b *testing.B) {
	r := localRecord()
	p := AppendMsgpack(nil, &r)
	var dc Decoder
	var out Record
	b.ReportAllocs()
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		if err := dc.DecodeInto(&out, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendMsgpackWith encodes a record of a logger with bound
// attributes (slog's With, no group): a Scope.
func BenchmarkAppendMsgpackWith(b *testing.B) {
	r := localRecord()
	r.Scope = (*Scope)(nil).WithAttrs([]slog.Attr{slog.String("service", "api"), slog.Int("shard", 3)})
	benchAppend(b, r)
}
