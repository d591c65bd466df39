//go:build unix

package bench

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/file"
	"github.com/actorlog/actorlog/actors/jetstream"
	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/internal/natstest"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/receiver"
	"github.com/actorlog/actorlog/record"
)

// BenchmarkCollector measures records/s end to end, from one producer's
// Logger.Log to the collectors' files (the file handlers' Written counts),
// on one machine:
//
//   - socket: a Socket handler (ack: true) to one tcp receiver writing a file;
//   - jetstream-record: a JetStream handler publishing a message per record
//     to an R3 stream of a 3-node cluster, two collectors (a shared durable
//     consumer) each writing a file;
//   - jetstream-batchN: the same with a message per batch of up to N
//     records (frames back to back, one Nats-Msg-Id per batch); 1024 is
//     the handler's default. Messages are Snappy-compressed (the default)
//     but for -plain.
//
// Each reports records/s, timed from the first record logged (after one
// record went through, so that connections and the stream exist) to the
// last written, and cpu-ns/record: the CPU time of this process (producer
// and collectors) plus, for jetstream, the three servers' (srv-cpu-ns/record
// alone), per record. Everything shares the machine's cores.
//
// Run: cd bench && go test -run '^$' -bench JetStreamCollector -benchtime 200000x -count 3
func BenchmarkJetStreamCollector(b *testing.B) {
	b.Run("socket", func(b *testing.B) {
		dir := b.TempDir()
		c := newFileCollector(b, dir, "c")
		rcv, err := receiver.Listen(c.eng, receiver.Options{Type: receiver.TCP, Listen: "127.0.0.1:0"})
		if err != nil {
			b.Fatal(err)
		}
		host, port := splitAddr(b, rcv.Addr())
		s, err := anet.NewSocket(anet.SocketOptions{Host: host, Port: port, Ack: true})
		if err != nil {
			b.Fatal(err)
		}
		runCollector(b, s, []*fileCollector{c}, func() { rcv.Close() }, nil)
	})
	cl := natstest.Start(b, 3)
	for vi, v := range []struct {
		name  string
		batch int
		comp  string
	}{
		{"jetstream-record", 1, ""},
		{"jetstream-batch256", 256, ""},
		{"jetstream-batch1024", 1024, ""},
		{"jetstream-batch1024-plain", 1024, jetstream.CompressNone},
		{"jetstream-batch2048", 2048, ""},
	} {
		run := 0
		batch := v.batch
		b.Run(v.name, func(b *testing.B) {
			run++
			so := jetstream.StreamOptions{Servers: cl.URLs(), Stream: fmt.Sprintf("%s_%d", v.name, run),
				SubjectPrefix: fmt.Sprintf("v%d_%d", vi, run), CreateStream: true, Replicas: 3}
			dir := b.TempDir()
			var cs []*fileCollector
			var rs []*receiver.JetStreamReceiver
			for i := range 2 {
				c := newFileCollector(b, dir, fmt.Sprint("c", i))
				r, err := receiver.ListenJetStream(c.eng, receiver.JetStreamOptions{StreamOptions: so})
				if err != nil {
					b.Fatal(err)
				}
				cs, rs = append(cs, c), append(rs, r)
			}
			s, err := jetstream.New(jetstream.Options{StreamOptions: so, BatchRecords: batch, Compression: v.comp})
			if err != nil {
				b.Fatal(err)
			}
			runCollector(b, s, cs, func() {
				for _, r := range rs {
					r.Close()
				}
			}, cl.CPUTime)
		})
	}
}

// fileCollector is one collector: an engine whose root logger writes a file.
type fileCollector struct{ eng *engine.Engine }

func newFileCollector(b *testing.B, dir, name string) *fileCollector {
	e := engine.New(engine.Options{NoLastResort: true})
	f, err := file.New(file.Options{Filename: filepath.Join(dir, name+".log")})
	if err != nil {
		b.Fatal(err)
	}
	h, err := e.NewHandler("file", f, actors.HandlerOptions{})
	if err != nil {
		b.Fatal(err)
	}
	e.Logger("").AddHandler(h)
	return &fileCollector{eng: e}
}

func (c *fileCollector) written() uint64 {
	st, _ := c.eng.Stats().ForHandler("file")
	return st.Written
}

// runCollector logs b.N records through sink and waits until the
// collectors wrote them all. srvCPU, when not nil, is the CPU time of the
// servers between the producer and the collectors.
func runCollector(b *testing.B, sink actors.Sink, cs []*fileCollector, closeReceivers func(), srvCPU func() time.Duration) {
	p := engine.New(engine.Options{NoLastResort: true})
	h, err := p.NewHandler("out", sink, actors.HandlerOptions{
		Mailbox: mailbox.Options{Capacity: 65536, MaxBatch: 4096, Overflow: mailbox.Block, BlockTimeout: time.Minute}})
	if err != nil {
		b.Fatal(err)
	}
	l := p.Logger("app")
	l.SetLevel(record.LevelInfo)
	l.AddHandler(h)
	// One record first: the connections are made and the stream exists
	// before the clock starts.
	l.Log(record.LevelInfo, "warm up", slog.Int("seq", -1), slog.String("path", "/api/v1/items"))
	waitWritten(b, cs, 1)
	b.ResetTimer()
	if srvCPU == nil {
		srvCPU = func() time.Duration { return 0 }
	}
	cpu0, srv0 := cpuTime(), srvCPU()
	start := time.Now()
	for i := range b.N {
		l.Log(record.LevelInfo, "request served", slog.Int("seq", i), slog.String("path", "/api/v1/items"))
	}
	waitWritten(b, cs, uint64(b.N)+1)
	el := time.Since(start)
	srv := srvCPU() - srv0
	cpu := cpuTime() - cpu0 + srv
	b.StopTimer()
	b.ReportMetric(float64(b.N)/el.Seconds(), "records/s")
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/record")
	if srv > 0 {
		b.ReportMetric(float64(srv)/float64(b.N), "srv-cpu-ns/record")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = p.Shutdown(ctx)
	closeReceivers()
	for _, c := range cs {
		_ = c.eng.Shutdown(ctx)
	}
}

// waitWritten waits until the collectors' files hold n records, at most
// 2 min.
func waitWritten(b *testing.B, cs []*fileCollector, n uint64) {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var w uint64
		for _, c := range cs {
			w += c.written()
		}
		if w >= n {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("collectors wrote %d of %d", w, n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func splitAddr(b *testing.B, a string) (string, int) {
	i := len(a) - 1
	for a[i] != ':' {
		i--
	}
	port, err := strconv.Atoi(a[i+1:])
	if err != nil {
		b.Fatal(err)
	}
	return a[:i], port
}
