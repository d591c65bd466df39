package record

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
)

// DefaultFrameLimit is the largest frame ReadFrame accepts when given a limit
// of 0: 1 MiB, length prefix excluded, tag included.
const DefaultFrameLimit = 1 << 20

// TagSize is the size of a frame's HMAC-SHA256 tag.
const TagSize = sha256.Size

// AppendFrame appends r as one wire frame: a 4-byte big-endian length N, then
// N bytes. Without a key (nil) the N bytes are AppendMsgpack's map, exactly
// the framing of Python's SocketHandler and DatagramHandler. With a key they
// are the map followed by its TagSize-byte HMAC-SHA256 under key.
//
// Without a key AppendFrame allocates nothing beyond growing dst; with one it
// allocates the HMAC state (a FrameKey reuses it).
func AppendFrame(dst []byte, r *Record, key []byte) []byte {
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0)
	dst = AppendMsgpack(dst, r)
	return sealFrame(dst, start, key)
}

// FrameKey holds a shared key and its HMAC state, so that signing and
// checking frames allocates nothing. It is not safe for concurrent use: each
// handler actor or connection has its own.
type FrameKey struct {
	mac hash.Hash
	sum [TagSize]byte
}

// NewFrameKey returns a FrameKey for key.
func NewFrameKey(key []byte) *FrameKey {
	return &FrameKey{mac: hmac.New(sha256.New, key)}
}

// AppendFrame is the package's AppendFrame with k's key.
func (k *FrameKey) AppendFrame(dst []byte, r *Record) []byte {
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0)
	dst = AppendMsgpack(dst, r)
	return k.seal(dst, start)
}

// AppendFramePayload is the package's AppendFramePayload with k's key.
func (k *FrameKey) AppendFramePayload(dst, payload []byte) []byte {
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0)
	dst = append(dst, payload...)
	return k.seal(dst, start)
}

// ReadFrame is the package's ReadFrame with k's key.
func (k *FrameKey) ReadFrame(r io.Reader, buf []byte, limit int) ([]byte, error) {
	return readFrame(r, buf, limit, k)
}

func (k *FrameKey) seal(dst []byte, start int) []byte {
	k.mac.Reset()
	k.mac.Write(dst[start+4:])
	dst = k.mac.Sum(dst)
	binary.BigEndian.PutUint32(dst[start:], uint32(len(dst)-start-4))
	return dst
}

// verify reports whether tag is payload's HMAC, in constant time.
func (k *FrameKey) verify(payload, tag []byte) bool {
	k.mac.Reset()
	k.mac.Write(payload)
	return hmac.Equal(k.mac.Sum(k.sum[:0]), tag)
}

// AppendFramePayload frames an already encoded payload as AppendFrame does.
func AppendFramePayload(dst, payload, key []byte) []byte {
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0)
	dst = append(dst, payload...)
	return sealFrame(dst, start, key)
}

// sealFrame appends the tag (with a key) and writes the length of the frame
// that starts at dst[start].
func sealFrame(dst []byte, start int, key []byte) []byte {
	if key != nil {
		m := hmac.New(sha256.New, key)
		m.Write(dst[start+4:])
		dst = m.Sum(dst)
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
func ReadFrame(r io.Reader, buf []byte, limit int, key []byte) ([]byte, error) {
	var k *FrameKey
	if key != nil {
		k = NewFrameKey(key)
	}
	return readFrame(r, buf, limit, k)
}

// readFrame is ReadFrame; k is nil without a key.
func readFrame(r io.Reader, buf []byte, limit int, k *FrameKey) ([]byte, error) {
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
	if k != nil && n < TagSize {
		return nil, fmt.Errorf("%w: frame of %d bytes is shorter than its %d-byte tag", ErrBadTag, n, TagSize)
	}
	buf, err := readN(r, buf[:0], int(n))
	if err != nil {
		return nil, err
	}
	if k == nil {
		return buf, nil
	}
	payload, tag := buf[:len(buf)-TagSize], buf[len(buf)-TagSize:]
	if !k.verify(payload, tag) {
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
