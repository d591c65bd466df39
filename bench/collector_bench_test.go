//go:build unix

package bench

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/file"
	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/receiver"
	"github.com/actorlog/actorlog/record"
)

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports CPU ns per record since start (sender and receiver:
// both run in this process).
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/record")
}

// startCollector starts a serve-style collector: a TCP receiver handing
// records to a root File handler writing JSON lines.
func startCollector(b *testing.B) (*engine.Engine, *receiver.Receiver) {
	b.Helper()
	f, err := file.New(file.Options{Filename: filepath.Join(b.TempDir(), "collected.log")})
	if err != nil {
		b.Fatal(err)
	}
	eng, _ := newActorlog(b, f, format.NewJSON(format.JSONOptions{}))
	eng.Logger("").SetLevel(record.LevelNotSet)
	r, err := receiver.Listen(eng, receiver.Options{Type: receiver.TCP, Listen: "127.0.0.1:0"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = r.Close() })
	return eng, r
}

// BenchmarkCollector: records logged in one engine, shipped by a Socket
// handler over loopback to a receiver, written by the collector's File
// handler; timed until the collector wrote the last one.
func BenchmarkCollector(b *testing.B) {
	for _, ack := range []bool{false, true} {
		name := "unacked"
		if ack {
			name = "acked"
		}
		b.Run(name, func(b *testing.B) {
			col, rcv := startCollector(b)
			host, port, _ := net.SplitHostPort(rcv.Addr())
			var p int
			for _, c := range port {
				p = p*10 + int(c-'0')
			}
			sock, err := anet.NewSocket(anet.SocketOptions{Host: host, Port: p, Ack: ack})
			if err != nil {
				b.Fatal(err)
			}
			eng := engine.New(engine.Options{ErrorOutput: io.Discard, NoLastResort: true})
			h, err := eng.NewHandler("socket", sock, actors.HandlerOptions{
				Mailbox: mailbox.Options{Overflow: mailbox.Block, BlockTimeout: time.Minute}, // the Socket's capacity
			})
			if err != nil {
				b.Fatal(err)
			}
			root := eng.Logger("")
			root.AddHandler(h)
			root.SetLevel(record.LevelInfo)
			b.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				_ = eng.Shutdown(ctx)
			})
			written := func() uint64 {
				s, _ := col.Stats().ForHandler("bench")
				return s.Written
			}
			base := written()
			b.ReportAllocs()
			start := cpuTime()
			b.ResetTimer()
			for range b.N {
				root.Log(record.LevelInfo, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
					slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
			}
			// With ack, the collector writes a window before acknowledging
			// it and the sender waits for acks when its window is full; the
			// sender books acks it has read at its next batch or tick, so
			// the end is when the collector has written the last record.
			want := base + uint64(b.N)
			for written() < want {
				time.Sleep(50 * time.Microsecond)
			}
			b.StopTimer()
			reportCPU(b, start)
			recordsPerSecond(b)
			if ack {
				b.ReportMetric(float64(b.N)/float64(max(rcv.Stats().AcksSent, 1)), "records/ack")
			}
		})
	}
}

// BenchmarkHandRolledCollector is the line a user could hand-roll: zerolog
// writing JSON lines into a buffered TCP connection, read by a Go receiver
// copying the lines into a buffered file. It decodes, routes and formats
// nothing on the receiving side.
func BenchmarkHandRolledCollector(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	out, err := os.Create(filepath.Join(b.TempDir(), "collected.log"))
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	lines := make(chan int, 1024)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		br := bufio.NewReaderSize(c, 64<<10)
		bw := bufio.NewWriterSize(out, 64<<10)
		n := 0
		for {
			line, err := br.ReadSlice('\n')
			if err != nil {
				_ = bw.Flush()
				close(lines)
				return
			}
			_, _ = bw.Write(line)
			n++
			if br.Buffered() == 0 {
				_ = bw.Flush()
				lines <- n
			}
		}
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	bw := bufio.NewWriterSize(c, 64<<10)
	log := zerolog.New(bw).With().Timestamp().Logger()
	b.ReportAllocs()
	start := cpuTime()
	b.ResetTimer()
	for range b.N {
		log.Info().Str(kPath, vPath).Int(kStatus, vStatus).Float64(kLatency, vLatency).Bool(kCached, vCached).Msg(msg)
	}
	_ = bw.Flush()
	for n := range lines {
		if n >= b.N {
			break
		}
	}
	b.StopTimer()
	reportCPU(b, start)
	recordsPerSecond(b)
	_ = c.Close()
	for range lines {
	}
}
