package receiver

import (
	"bytes"
	"errors"

	"github.com/actorlog/actorlog/record"
)

// maxDatagram is the largest UDP payload.
const maxDatagram = 65535

// eachDatagram reads datagrams until the socket closes and passes each to
// f (valid until f returns); a datagram is its own exchange (Connections).
func (r *Receiver) eachDatagram(f func(d []byte)) {
	buf := make([]byte, maxDatagram+1)
	for {
		n, _, err := r.pc.ReadFrom(buf)
		if err != nil {
			if isClosedErr(err) {
				return
			}
			continue
		}
		r.stats.conns.Add(1)
		f(buf[:n])
	}
}

// udpLoop reads datagrams until the socket closes: each carries one frame,
// length prefix included, as Python's DatagramHandler sends it.
func (r *Receiver) udpLoop() {
	cache := loggers{}
	var dc record.Decoder
	var rd bytes.Reader
	var payload []byte
	var rec record.Record
	r.eachDatagram(func(d []byte) {
		rd.Reset(d)
		p, err := record.ReadFrame(&rd, payload, r.o.MaxFrame, r.key)
		switch {
		case errors.Is(err, record.ErrFrameTooLarge):
			r.stats.reject(reasonTooLarge)
			return
		case errors.Is(err, record.ErrBadTag):
			r.stats.reject(reasonBadTag)
			return
		case err != nil:
			r.stats.reject(reasonTruncated) // shorter than its length says
			return
		case rd.Len() != 0:
			r.stats.reject(reasonMalformed) // bytes after the frame
			return
		}
		payload = p[:0]
		if why, err := decodePayload(&dc, p, &rec); err != nil {
			r.stats.reject(why)
			return
		}
		r.stats.frames.Add(1)
		r.stats.bytes.Add(uint64(len(d)))
		r.router.handle(cache, nil, &rec)
	})
}
