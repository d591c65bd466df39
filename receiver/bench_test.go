package receiver

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/record"
)

// discardEngine is an engine whose root handler discards every record, shut
// down at the end of the benchmark.
func discardEngine(b *testing.B) *engine.Engine {
	eng := engine.New(engine.Options{ErrorOutput: io.Discard, NoLastResort: true})
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = eng.Shutdown(ctx)
	})
	h, err := eng.NewHandler("discard", actors.NewStream(io.Discard), actors.HandlerOptions{})
	if err != nil {
		b.Fatal(err)
	}
	eng.Logger("").AddHandler(h)
	return eng
}

// BenchmarkFrame is the receiver's cost per frame: the structure check and
// decode of a msgpack frame, and its routing to the logger of its name
// (handed to a handler that discards it).
func BenchmarkFrame(b *testing.B) {
	eng := discardEngine(b)
	r := testRecord(3)
	r.AddAttrs(slog.String("path", "/api/v1/users"), slog.Int("status", 200), slog.Float64("latency_ms", 12.345), slog.Bool("cached", true))
	payload := record.AppendMsgpack(nil, &r)
	rt := router{eng: eng, budget: 10}
	cache := loggers{}
	var dc record.Decoder
	var rec record.Record
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodePayload(&dc, payload, &rec); err != nil {
			b.Fatal(err)
		}
		rt.handle(cache, nil, &rec)
	}
}

// BenchmarkParseSyslog is the syslog receiver's parse of one message into
// a record: RFC 3164 as rsyslog forwards it, RFC 5424 with structured data.
func BenchmarkParseSyslog(b *testing.B) {
	now := time.Now()
	for _, c := range []struct{ name, msg string }{
		{"rfc3164", "<30>Nov 29 12:00:00 build-host sshd[4242]: Accepted publickey for zoë from 10.0.0.1 port 52100"},
		{"rfc5424", `<165>1 2026-11-29T12:00:00.123456+01:00 build-host web 4242 req [attrs@32473 path="/api/v1/users" status="200" user="zoë"] GET /api/v1/users done`},
	} {
		b.Run(c.name, func(b *testing.B) {
			msg := []byte(c.msg)
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := parseSyslog(msg, "syslog", now); !ok {
					b.Fatal("refused")
				}
			}
		})
	}
}

// BenchmarkSyslogTCP is a syslog receiver's throughput over loopback TCP
// with octet counting: parse, route, and a handler that discards.
func BenchmarkSyslogTCP(b *testing.B) {
	eng := discardEngine(b)
	rcv, err := Listen(eng, Options{Type: Syslog, Listen: "127.0.0.1:0"})
	if err != nil {
		b.Fatal(err)
	}
	defer rcv.Close()
	msg := `<165>1 2026-11-29T12:00:00.123456+01:00 build-host web 4242 req [attrs@32473 status="200"] GET /api/v1/users done`
	frame := []byte(strconv.Itoa(len(msg)) + " " + msg)
	c, err := net.Dial("tcp", rcv.Addr())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	w := bufio.NewWriterSize(c, 64<<10)
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N { // not b.Loop: the wait for the receiver below is timed too
		_, _ = w.Write(frame)
	}
	_ = w.Flush()
	for rcv.Stats().Frames < uint64(b.N) {
		time.Sleep(time.Millisecond) // until the receiver has read them all
	}
}
