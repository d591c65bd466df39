package bench

import (
	"bufio"
	"context"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// frameSink is the minimal receiver of the Socket benchmarks: it reads each
// frame into a reused buffer (length checked, nothing decoded), counts it
// and, when the sender says hello, acknowledges each run of frames it had
// buffered, as actorlog's receivers batch their acks.
type frameSink struct {
	ln     net.Listener
	frames atomic.Int64
	target int64
	done   chan struct{}
	wg     sync.WaitGroup
}

func newFrameSink(b *testing.B, target int) *frameSink {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	fs := &frameSink{ln: ln, target: int64(target), done: make(chan struct{})}
	fs.wg.Add(1)
	go fs.accept()
	b.Cleanup(func() { ln.Close(); fs.wg.Wait() })
	return fs
}

func (fs *frameSink) accept() {
	defer fs.wg.Done()
	for {
		c, err := fs.ln.Accept()
		if err != nil {
			return
		}
		fs.wg.Add(1)
		go fs.read(c)
	}
}

func (fs *frameSink) read(c net.Conn) {
	defer fs.wg.Done()
	defer c.Close()
	br := bufio.NewReaderSize(c, 256<<10)
	buf := make([]byte, 0, 4096)
	var count uint64
	var ack []byte
	acking := false
	for {
		p, err := record.ReadFrame(br, buf, 0, nil)
		if err != nil {
			return
		}
		buf = p
		if anet.IsControl(p) {
			acking = true
			ack = anet.AppendAck(ack[:0], 0, nil)
			c.Write(ack)
			continue
		}
		count++
		if fs.frames.Add(1) == fs.target {
			close(fs.done)
		}
		if acking && br.Buffered() == 0 {
			ack = anet.AppendAck(ack[:0], count, nil)
			if _, err := c.Write(ack); err != nil {
				return
			}
		}
	}
}

// BenchmarkSocket: b.N records through the engine and a Socket handler
// over loopback to frameSink; the timed part ends when the receiver has
// read the last frame. Without ack (Python's stream) and with ack
// (acknowledged delivery, the default 4 MiB window).
func BenchmarkSocket(b *testing.B) {
	for _, ack := range []bool{false, true} {
		name := "noack"
		if ack {
			name = "ack"
		}
		b.Run(name, func(b *testing.B) {
			fs := newFrameSink(b, b.N)
			_, p, _ := net.SplitHostPort(fs.ln.Addr().String())
			port, _ := strconv.Atoi(p)
			s, err := anet.NewSocket(anet.SocketOptions{Host: "127.0.0.1", Port: port, Ack: ack})
			if err != nil {
				b.Fatal(err)
			}
			eng := engine.New(engine.Options{NoLastResort: true})
			h, err := eng.NewHandler("bench", s, actors.HandlerOptions{Mailbox: mailbox.Options{Overflow: mailbox.Block, BlockTimeout: time.Minute}})
			if err != nil {
				b.Fatal(err)
			}
			l := eng.Logger("")
			l.AddHandler(h)
			l.SetLevel(record.LevelInfo)
			b.Cleanup(func() { shutdownQuietly(eng) })
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				l.Log(record.LevelInfo, msg, slog.String(kPath, vPath), slog.Int(kStatus, vStatus),
					slog.Float64(kLatency, vLatency), slog.Bool(kCached, vCached))
			}
			select {
			case <-fs.done:
			case <-time.After(time.Minute):
				b.Fatalf("receiver read %d of %d frames", fs.frames.Load(), b.N)
			}
			b.StopTimer()
			recordsPerSecond(b)
			if st, _ := eng.Stats().ForHandler("bench"); st.DroppedTotal() != 0 {
				b.Fatalf("dropped %v", st.Dropped)
			}
		})
	}
}

func shutdownQuietly(eng *engine.Engine) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = eng.Shutdown(ctx)
}
