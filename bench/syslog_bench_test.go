package bench

import (
	"io"
	stdsyslog "log/syslog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/actors/syslog"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// syslogSink is a local syslog receiver that reads and discards: a TCP
// listener draining each connection, or a UDP socket.
type syslogSink struct {
	addr string
	stop func()
}

func newSyslogSink(b *testing.B, network string) *syslogSink {
	b.Helper()
	var wg sync.WaitGroup
	if network == "udp" {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		_ = pc.(*net.UDPConn).SetReadBuffer(4 << 20)
		wg.Go(func() {
			buf := make([]byte, 65536)
			for {
				if _, _, err := pc.ReadFrom(buf); err != nil {
					return
				}
			}
		})
		r := &syslogSink{addr: pc.LocalAddr().String(), stop: func() { pc.Close(); wg.Wait() }}
		b.Cleanup(r.stop)
		return r
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() { _, _ = io.Copy(io.Discard, c) })
		}
	})
	r := &syslogSink{addr: ln.Addr().String(), stop: func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	}}
	b.Cleanup(r.stop)
	return r
}

// BenchmarkSyslog sends b.N records of the same message to a local
// receiver: actorlog's syslog handler (RFC 5424, octet counting on TCP)
// through the engine, flushed inside the timed part, against the standard
// library's log/syslog writing each message as it is logged.
func BenchmarkSyslog(b *testing.B) {
	for _, network := range []string{"udp", "tcp"} {
		b.Run(network+"/actorlog", func(b *testing.B) {
			r := newSyslogSink(b, network)
			addr, err := syslog.ParseAddress(r.addr)
			if err != nil {
				b.Fatal(err)
			}
			socktype := "dgram"
			if network == "tcp" {
				socktype = "stream"
			}
			s, err := syslog.New(syslog.Options{Address: addr, Socktype: socktype, Format: syslog.FormatRFC5424,
				Facility: "local0", AppName: "bench", SDID: "-"})
			if err != nil {
				b.Fatal(err)
			}
			// A Block mailbox: the sink's own default drops rather than
			// wait, and every record must be sent.
			eng, root := newActorlogWith(b, s, actors.HandlerOptions{
				Mailbox: mailbox.Options{Overflow: mailbox.Block, BlockTimeout: time.Minute}})
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				root.Log(record.LevelInfo, msg)
			}
			flushActorlog(b, eng, b.N)
			b.StopTimer()
			recordsPerSecond(b)
		})
		b.Run(network+"/log-syslog", func(b *testing.B) {
			r := newSyslogSink(b, network)
			w, err := stdsyslog.Dial(network, r.addr, stdsyslog.LOG_INFO|stdsyslog.LOG_LOCAL0, "bench")
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = w.Close() })
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := w.Info(msg); err != nil && network == "tcp" {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			recordsPerSecond(b)
		})
	}
}
