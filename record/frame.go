package record

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync"
)

// DefaultFrameLimit is the largest frame ReadFrame accepts when given a limit
// of 0: 1 MiB, length prefix excluded, tag included.
const DefaultFrameLimit = 1 << 20

// tagSize is the size of a frame's HMAC-SHA256 tag.
const tagSize = sha256.Size

// FrameKey is a shared secret that authenticates frames: AppendFrame ends a
// frame with the HMAC-SHA256 of its payload under the key, and ReadFrame
// refuses a frame whose tag does not match. A nil *FrameKey means frames
// without a tag, Python's own framing.
//
// A FrameKey is immutable and safe for concurrent use: one key may serve
// every connection of a receiver. It keeps its HMAC states for reuse, so
// signing and checking allocate nothing in the steady state.
type FrameKey struct {
	macs sync.Pool // of *frameMAC
}

// frameMAC is one HMAC state of a FrameKey, with room for a tag.
type frameMAC struct {
	h   hash.Hash
	sum [tagSize]byte
}

// NewFrameKey returns a FrameKey for secret, which it copies.
func NewFrameKey(secret []byte) *FrameKey {
	secret = bytes.Clone(secret)
	if secret == nil {
		secret = []byte{}
	}
	k := &FrameKey{}
	k.macs.New = func() any { return &frameMAC{h: hmac.New(sha256.New, secret)} }
	return k
}

// tag appends the HMAC of payload under k to dst.
func (k *FrameKey) tag(dst, payload []byte) []byte {
	m := k.macs.Get().(*frameMAC)
	m.h.Reset()
	m.h.Write(payload)
	dst = m.h.Sum(dst)
	k.macs.Put(m)
	return dst
}

// verify reports whether tag is payload's HMAC under k, in constant time.
func (k *FrameKey) verify(payload, tag []byte) bool {
	m := k.macs.Get().(*frameMAC)
	m.h.Reset()
	m.h.Write(payload)
	ok := hmac.Equal(m.h.Sum(m.sum[:0]), tag)
	k.macs.Put(m)
	return ok
}

// AppendFrame appends r as one wire frame: a 4-byte big-endian length N, then
// N bytes. With a nil key the N bytes are AppendMsgpack's map, exactly the
// framing of Python's SocketHandler and DatagramHandler. With a key they are
// the map followed by its 32-byte HMAC-SHA256 under key.
//
// AppendFrame allocates nothing beyond growing dst (see AppendMsgpack).
func AppendFrame(dst []byte, r *Record, key *FrameKey) []byte {
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0)
	dst = AppendMsgpack(dst, r)
	return sealFrame(dst, start, key)
}

// AppendPayloadFrame appends payload, already encoded, as one wire frame, as
// AppendFrame does for a record: the 4-byte big-endian length, the payload,
// and with a non-nil key its HMAC-SHA256 tag. It frames the messages of
// protocols that share the record stream, such as the acknowledgement
// protocol of actors/net, so that one ReadFrame loop (and one key) reads them
// all. payload must not overlap dst's spare capacity.
func AppendPayloadFrame(dst, payload []byte, key *FrameKey) []byte {
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0)
	dst = append(dst, payload...)
	return sealFrame(dst, start, key)
}

// sealFrame appends the tag (with a key) and writes the length of the frame
// that starts at dst[start].
func sealFrame(dst []byte, start int, key *FrameKey) []byte {
	if key != nil {
		dst = key.tag(dst, dst[start+4:])
	}
	binary.BigEndian.PutUint32(dst[start:], uint32(len(dst)-start-4))
	return dst
}

// ReadFrame reads one frame from r and returns its payload (the msgpack map,
// without length or tag), which DecodeMsgpack then decodes.
//
// buf is storage to reuse: the payload is read into it when it is large
// enough, and the returned slice keeps its capacity, so a reading loop passes
// the previous payload back as buf. The payload is only valid until then.
//
// A declared length over limit (DefaultFrameLimit when limit <= 0) is refused
// with ErrFrameTooLarge before any of the frame is read or allocated; storage
// grows with the bytes actually received, so a peer that declares a large
// frame and sends little makes ReadFrame allocate little. With a non-nil key,
// the frame must end with the HMAC-SHA256 of the payload under key, compared
// in constant time, else ErrBadTag. After either error the stream is out of
// step and the connection should be closed.
//
// At a clean end of stream (no byte of a new frame) the error is io.EOF; a
// frame cut short gives an error wrapping io.ErrUnexpectedEOF.
func ReadFrame(r io.Reader, buf []byte, limit int, key *FrameKey) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultFrameLimit
	}
	if cap(buf) < 4 {
		buf = make([]byte, 0, 512)
	}
	hdr := buf[:4]
	if _, err := io.ReadFull(r, hdr); err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("record: reading frame length: %w", err)
	}
	n := binary.BigEndian.Uint32(hdr)
	if uint64(n) > uint64(limit) {
		return nil, fmt.Errorf("%w: frame declares %d bytes, limit is %d", ErrFrameTooLarge, n, limit)
	}
	if key != nil && n < tagSize {
		return nil, fmt.Errorf("%w: frame of %d bytes is shorter than its %d-byte tag", ErrBadTag, n, tagSize)
	}
	buf, err := readN(r, buf[:0], int(n))
	if err != nil {
		return nil, err
	}
	if key == nil {
		return buf, nil
	}
	payload, tag := buf[:len(buf)-tagSize], buf[len(buf)-tagSize:]
	if !key.verify(payload, tag) {
		return nil, fmt.Errorf("%w: tag does not match the %d-byte payload", ErrBadTag, len(payload))
	}
	return payload, nil
}

// readChunk is how much ReadFrame's storage grows at a time beyond what the
// caller's buffer holds.
const readChunk = 64 << 10

// readN reads exactly n bytes into buf (empty on entry), growing it at most
// readChunk bytes ahead of the data received.
func readN(r io.Reader, buf []byte, n int) ([]byte, error) {
	for len(buf) < n {
		if len(buf) == cap(buf) {
			c := min(n, max(2*cap(buf), readChunk))
			nb := make([]byte, len(buf), c)
			copy(nb, buf)
			buf = nb
		}
		end := min(n, cap(buf))
		m, err := io.ReadFull(r, buf[len(buf):end])
		buf = buf[:len(buf)+m]
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, fmt.Errorf("record: reading a frame of %d bytes after %d: %w", n, len(buf), err)
		}
	}
	return buf, nil
}
