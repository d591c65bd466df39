package receiver

import (
	"bytes"
	"errors"

	"github.com/actorlog/actorlog/record"
)

// maxDatagram is the largest UDP payload.
const maxDatagram = 65535

// udpLoop reads datagrams until the socket closes: each carries one frame,
// length prefix included, as Python's DatagramHandler sends it.
func (r *Receiver) udpLoop() {
	buf := make([]byte, maxDatagram+1)
	cache := loggers{}
	var rd bytes.Reader
	var payload []byte
	for {
		n, _, err := r.pc.ReadFrom(buf)
		if err != nil {
			if isClosedErr(err) {
				return
			}
			continue
		}
		r.stats.conns.Add(1) // a datagram is its own exchange
		d := buf[:n]
		rd.Reset(d)
		p, err := record.ReadFrame(&rd, payload, r.o.MaxFrame, r.key)
		switch {
		case errors.Is(err, record.ErrFrameTooLarge):
			r.stats.reject(reasonTooLarge)
			continue
		case errors.Is(err, record.ErrBadTag):
			r.stats.reject(reasonBadTag)
			continue
		case err != nil:
			r.stats.reject(reasonTruncated) // shorter than its length says
			continue
		case rd.Len() != 0:
			r.stats.reject(reasonMalformed) // bytes after the frame
			continue
		}
		payload = p[:0]
		rec, why, err := decodePayload(p)
		if err != nil {
			r.stats.reject(why)
			continue
		}
		r.stats.frames.Add(1)
		r.stats.bytes.Add(uint64(n))
		r.router.handle(cache, nil, &rec)
	}
}
