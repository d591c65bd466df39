package receiver

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"slices"
)

// errBadCount is an octet count that is not one: no digits, a leading zero,
// or no space after it.
var errBadCount = errors.New("receiver: syslog: bad octet count")

// errTooLarge is a message over MaxFrame.
var errTooLarge = errors.New("receiver: syslog: message too large")

// readChunk is how much of a message's storage is grown at a time, so that
// storage grows with the bytes that actually arrive.
const readChunk = 64 << 10

// maxCountDigits bounds an octet count's digits (MaxFrameLimit has 8).
const maxCountDigits = 10

// readOctetCounted reads one RFC 6587 octet-counted message (MSG-LEN SP
// SYSLOG-MSG) from br into buf[:0]. A count over max is refused before the
// message is read (too_large); a count that is not one is malformed. Both
// leave the stream unreadable: the caller closes the connection. io.EOF
// with reason 0 is a clean end between messages.
func readOctetCounted(br *bufio.Reader, buf []byte, max int) ([]byte, reason, error) {
	n, digits := 0, 0
	for {
		c, err := br.ReadByte()
		if err != nil {
			if digits == 0 && err == io.EOF {
				return nil, reasonNone, io.EOF
			}
			return nil, streamReason(err), err
		}
		if c == ' ' && digits > 0 {
			break
		}
		if !isDigit(c) || (digits == 0 && c == '0') || digits == maxCountDigits {
			return nil, reasonMalformed, errBadCount
		}
		digits++
		n = n*10 + int(c-'0')
		if n > max {
			return nil, reasonTooLarge, errTooLarge
		}
	}
	buf = buf[:0]
	for len(buf) < n {
		k := min(n-len(buf), readChunk)
		buf = slices.Grow(buf, k)
		m, err := io.ReadFull(br, buf[len(buf):len(buf)+k])
		buf = buf[:len(buf)+m]
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, streamReason(err), err
		}
	}
	return buf, reasonNone, nil
}

// Line ends: either, until a connection in FramingAuto shows which one it
// uses.
const (
	endLF     = "\n"
	endNUL    = "\x00"
	endEither = "\n\x00"
)

// readLine reads one message ended by a byte of ends (LF: RFC 6587 3.4.2;
// NUL: Python's SysLogHandler over TCP) from br into buf[:0], without its
// end, which it returns (-1 when the stream ended). A line longer than max
// is skipped as it arrives, never stored, and reported with reason
// too_large and a nil error: the next line can be read. Data the peer's
// close cuts short is a message of its own. io.EOF with reason 0 is a
// clean end.
func readLine(br *bufio.Reader, buf []byte, max int, ends string) ([]byte, int, reason, error) {
	buf = buf[:0]
	tooLarge, got := false, false
	for {
		if br.Buffered() == 0 {
			if _, err := br.Peek(1); err != nil {
				switch {
				case err != io.EOF:
					return nil, -1, streamReason(err), err
				case tooLarge:
					return nil, -1, reasonTooLarge, nil
				case got:
					return buf, -1, reasonNone, nil
				}
				return nil, -1, reasonNone, io.EOF
			}
		}
		b, _ := br.Peek(br.Buffered())
		got = true
		i := bytes.IndexAny(b, ends)
		n := i
		if i < 0 {
			n = len(b)
		}
		if !tooLarge {
			if len(buf)+n > max {
				tooLarge, buf = true, buf[:0]
			} else {
				buf = append(buf, b[:n]...)
			}
		}
		if i >= 0 {
			end := int(b[i])
			_, _ = br.Discard(i + 1)
			if tooLarge {
				return nil, end, reasonTooLarge, nil
			}
			return buf, end, reasonNone, nil
		}
		_, _ = br.Discard(n)
	}
}

// streamReason is the reason to count for a read error inside a message.
func streamReason(err error) reason {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return reasonTimeout
	}
	return reasonTruncated
}

// serveSyslog reads syslog messages from one TCP connection until it ends
// or fails: octet-counted or LF-framed, as Options.Framing says or, with
// FramingAuto, as the connection's first byte says.
func (r *Receiver) serveSyslog(c net.Conn) {
	br := bufio.NewReaderSize(c, readBuf)
	cache := loggers{}
	framing := r.o.Framing
	// With FramingAuto a connection's first line says whether its lines
	// end with LF or NUL: Python's messages end with NUL and may hold LFs.
	ends := endEither
	learn := framing == FramingAuto
	var buf []byte
	for {
		now := r.clk.Now()
		if br.Buffered() == 0 {
			_ = c.SetReadDeadline(now.Add(r.o.IdleTimeout))
			if _, err := br.Peek(1); err != nil {
				if errors.Is(err, os.ErrDeadlineExceeded) {
					r.stats.reject(reasonIdle)
				}
				return
			}
			now = r.clk.Now()
		}
		_ = c.SetReadDeadline(now.Add(r.o.ReadTimeout))
		if framing == FramingAuto {
			framing = FramingLF
			if b, _ := br.Peek(1); len(b) == 1 && isDigit(b[0]) {
				framing = FramingOctetCounting
			}
		}
		var msg []byte
		var why reason
		var err error
		if framing == FramingOctetCounting {
			msg, why, err = readOctetCounted(br, buf, r.o.MaxFrame)
		} else {
			var end int
			msg, end, why, err = readLine(br, buf, r.o.MaxFrame, ends)
			if learn && end >= 0 {
				ends, learn = endLF, false
				if end == 0 {
					ends = endNUL
				}
			}
		}
		if why != reasonNone {
			r.stats.reject(why)
		}
		if err != nil {
			return
		}
		if msg == nil {
			continue
		}
		if cap(msg) <= 1<<20 {
			buf = msg[:0]
		}
		r.syslogMessage(cache, msg, len(msg))
	}
}

// syslogUDPLoop reads datagrams until the socket closes: each is one
// syslog message.
func (r *Receiver) syslogUDPLoop() {
	cache := loggers{}
	r.eachDatagram(func(d []byte) {
		if len(d) > r.o.MaxFrame {
			r.stats.reject(reasonTooLarge)
			return
		}
		r.syslogMessage(cache, d, len(d))
	})
}

// syslogMessage parses one message (size bytes on the wire) and hands its
// record on; one that is empty once its trailer is gone is ignored.
func (r *Receiver) syslogMessage(cache loggers, msg []byte, size int) {
	if len(trimTrailer(msg)) == 0 {
		return
	}
	rec, ok := parseSyslog(msg, r.o.NamePrefix, r.clk.Now())
	if !ok {
		r.stats.reject(reasonMalformed)
		return
	}
	r.stats.frames.Add(1)
	r.stats.bytes.Add(uint64(size))
	r.router.handle(cache, nil, &rec)
}
