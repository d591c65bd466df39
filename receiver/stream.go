package receiver

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"time"

	anet "github.com/actorlog/actorlog/actors/net"
	"github.com/actorlog/actorlog/record"
)

// acceptLoop accepts stream connections until the listener closes.
func (r *Receiver) acceptLoop() {
	for {
		c, err := r.ln.Accept()
		if err != nil {
			if isClosedErr(err) {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			// EMFILE and the like: wait a little rather than spin.
			r.pause()
			continue
		}
		select {
		case r.slots <- struct{}{}:
		default:
			r.stats.reject(reasonMaxConns)
			_ = c.Close()
			continue
		}
		if !r.track(c) {
			<-r.slots
			_ = c.Close()
			return
		}
		r.stats.conns.Add(1)
		r.stats.open.Add(1)
		r.wg.Go(func() {
			defer func() {
				r.untrack(c)
				_ = c.Close()
				r.stats.open.Add(-1)
				<-r.slots
			}()
			r.serveStream(c)
		})
	}
}

// pause waits before accepting again after an error that is not the
// listener's end.
func (r *Receiver) pause() {
	done := make(chan struct{})
	t := r.clk.AfterFunc(50*time.Millisecond, func() { close(done) })
	defer t.Stop()
	<-done
}

// readBuf is the size of a connection's read buffer.
const readBuf = 64 << 10

// frameReader reads frames from a stream under the receiver's deadlines: an
// idle deadline while waiting for a frame's first byte, a read deadline for
// the rest of it.
type frameReader struct {
	r   *Receiver
	c   net.Conn
	br  *bufio.Reader
	buf []byte
}

func newFrameReader(r *Receiver, c net.Conn) *frameReader {
	return &frameReader{r: r, c: c, br: bufio.NewReaderSize(c, readBuf), buf: make([]byte, 0, 4096)}
}

// next returns the next frame's payload (valid until the next call), or an
// error with the reason to count (0 and io.EOF at a clean end).
func (f *frameReader) next() ([]byte, reason, error) {
	now := f.r.clk.Now()
	if f.br.Buffered() == 0 {
		_ = f.c.SetReadDeadline(now.Add(f.r.o.IdleTimeout))
		if _, err := f.br.Peek(1); err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return nil, reasonIdle, err
			}
			return nil, 0, io.EOF
		}
		now = f.r.clk.Now()
	}
	_ = f.c.SetReadDeadline(now.Add(f.r.o.ReadTimeout))
	p, err := record.ReadFrame(f.br, f.buf, f.r.o.MaxFrame, f.r.key)
	if err != nil {
		switch {
		case err == io.EOF:
			return nil, 0, io.EOF
		case errors.Is(err, record.ErrFrameTooLarge):
			return nil, reasonTooLarge, err
		case errors.Is(err, record.ErrBadTag):
			return nil, reasonBadTag, err
		case errors.Is(err, os.ErrDeadlineExceeded):
			return nil, reasonTimeout, err
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, reasonTruncated, err
		}
		return nil, reasonTruncated, err
	}
	if cap(p) <= 1<<20 {
		f.buf = p[:0]
	}
	return p, 0, nil
}

// serveStream reads frames from one connection until it ends or fails.
// Every frame is a record, except the acknowledgement protocol's hello,
// after which the connection acknowledges (see ack.go).
func (r *Receiver) serveStream(c net.Conn) {
	fr := newFrameReader(r, c)
	cache := loggers{}
	var ack *acker
	defer func() {
		if ack != nil {
			ack.stop()
		}
	}()
	for {
		p, why, err := fr.next()
		if err != nil {
			if why != reasonNone {
				r.stats.reject(why)
			}
			return
		}
		last := fr.br.Buffered() == 0
		if anet.IsControl(p) {
			h, ok := parseHello(p)
			if !ok || ack != nil {
				r.stats.reject(reasonProtocol)
				return
			}
			if ack = r.startAck(c, h); ack == nil {
				return
			}
			continue
		}
		rec, why, err := decodePayload(p)
		if err != nil {
			r.stats.reject(why)
			if ack != nil && !ack.skip(last) {
				return
			}
			continue
		}
		r.stats.frames.Add(1)
		r.stats.bytes.Add(uint64(len(p)) + 4)
		if ack == nil {
			r.router.handle(cache, nil, &rec)
			continue
		}
		if !ack.handle(cache, &rec, last) {
			return
		}
	}
}
