//go:build unix

package receiver

import (
	"context"
	"io"
	"log/slog"
	"net"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/record"
)

// BenchmarkStreamTCP is a tcp receiver's throughput over loopback: frames
// of records as a Socket handler sends them (each with its caller and its
// own created), read, decoded and handed on in runs to a handler that does
// nothing with them. The writer sends prepared bytes, so the process's CPU
// per record (cpu-ns/record) is mostly the receiver's.
func BenchmarkStreamTCP(b *testing.B) {
	eng := engine.New(engine.Options{ErrorOutput: io.Discard, NoLastResort: true})
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = eng.Shutdown(ctx)
	})
	h, err := eng.NewHandler("null", actors.Null{}, actors.HandlerOptions{})
	if err != nil {
		b.Fatal(err)
	}
	eng.Logger("").AddHandler(h)
	rcv, err := Listen(eng, Options{Type: TCP, Listen: "127.0.0.1:0"})
	if err != nil {
		b.Fatal(err)
	}
	defer rcv.Close()
	var pcs [1]uintptr
	runtime.Callers(1, pcs[:])
	const chunk = 256
	var frames []byte
	t0 := time.Unix(1700000000, 0)
	for i := range chunk {
		r := record.Record{Time: t0.Add(time.Duration(i) * time.Millisecond), Level: record.LevelInfo, Logger: "app.db", Message: "request served", PC: pcs[0]}
		r.AddAttrs(slog.String("path", "/api/v1/users"), slog.Int("status", 200), slog.Float64("latency_ms", 12.345), slog.Int("seq", i))
		frames = record.AppendFrame(frames, &r, nil)
	}
	c, err := net.Dial("tcp", rcv.Addr())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	b.SetBytes(int64(len(frames) / chunk))
	b.ReportAllocs()
	var ru0 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	b.ResetTimer()
	for n := 0; n < b.N; n += chunk { // not b.Loop: the wait for the receiver below is timed too
		_, _ = c.Write(frames)
	}
	want := uint64((b.N + chunk - 1) / chunk * chunk)
	for rcv.Stats().Frames < want {
		time.Sleep(100 * time.Microsecond) // until the receiver has read them all
	}
	b.StopTimer()
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := ru.Utime.Nano() + ru.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano()
	b.ReportMetric(float64(cpu)/float64(want), "cpu-ns/record")
	b.ReportMetric(float64(want)/b.Elapsed().Seconds(), "records/s")
}
