package receiver

import (
	"bufio"
	"encoding/binary"
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
			if r.o.Type == Syslog {
				r.serveSyslog(c)
			} else {
				r.serveStream(c)
			}
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
	if p, ok := f.buffered(); ok {
		return p, 0, nil
	}
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
	if p, ok := f.buffered(); ok {
		return p, 0, nil
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

// buffered returns the next frame's payload straight from the read buffer
// (valid until the next call) when all of it is there and it has no tag to
// check: then no read, and so no deadline, is involved. Otherwise ok is false
// and record.ReadFrame reads it.
func (f *frameReader) buffered() (p []byte, ok bool) {
	if f.r.key != nil || f.br.Buffered() < 4 {
		return nil, false
	}
	hdr, _ := f.br.Peek(4)
	n := int(binary.BigEndian.Uint32(hdr))
	if n > f.r.o.MaxFrame || f.br.Buffered() < 4+n {
		return nil, false
	}
	b, _ := f.br.Peek(4 + n)
	_, _ = f.br.Discard(4 + n)
	return b[4:], true
}

// whole reports whether the next frame is all in the read buffer: reading
// it then waits for nothing. A run of records is handed on before a read
// that may wait.
func (f *frameReader) whole() bool {
	if f.br.Buffered() < 4 {
		return false
	}
	hdr, _ := f.br.Peek(4)
	return f.br.Buffered()-4 >= int(binary.BigEndian.Uint32(hdr))
}

// serveStream reads frames from one connection until it ends or fails.
// Every frame is a record, except the acknowledgement protocol's hello,
// after which the connection acknowledges (see ack.go).
func (r *Receiver) serveStream(c net.Conn) {
	fr := newFrameReader(r, c)
	b := batcher{rt: &r.router, cache: loggers{}}
	var dc record.Decoder
	var ack *acker
	// Frames and bytes are counted here and added to the shared counters
	// when the read buffer is drained (and at the end): two atomic adds a
	// read rather than a frame.
	var frames, bytes uint64
	count := func() {
		if frames > 0 {
			r.stats.frames.Add(frames)
			r.stats.bytes.Add(bytes)
			frames, bytes = 0, 0
		}
	}
	defer func() {
		// The records decoded before a frame that ends the connection
		// are handed on (without acknowledgement, they were read).
		b.flush()
		count()
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
			// Records before the hello are not acknowledged.
			b.flush()
			if ack = r.startAck(c, h); ack == nil {
				return
			}
			b.t = ack.tracker
			if last {
				count()
			}
			continue
		}
		why, err = decodePayload(&dc, p, b.slot())
		if err != nil {
			r.stats.reject(why)
		} else {
			b.added()
			frames++
			bytes += uint64(len(p)) + 4
		}
		if last {
			count()
		}
		if ack != nil {
			ok := false
			if err != nil {
				ok = ack.skip(&b, last)
			} else {
				ok = ack.handle(&b, last)
			}
			if !ok {
				return
			}
		}
		if !fr.whole() {
			// The next frame is not all here: hand the run on rather
			// than keep it while the read waits.
			b.flush()
		}
	}
}
