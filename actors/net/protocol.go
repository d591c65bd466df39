package net

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/actorlog/actorlog/record"
)

// The acknowledgement protocol (see "Acknowledgements" in the package doc for
// the bytes). Its messages are frames like the records' (record.ReadFrame
// reads them, with the same key), told apart by their payload's first byte:
// a msgpack array, where a record is a msgpack map and a Python pickle starts
// with an opcode.

// ProtocolVersion is the version of the acknowledgement protocol a Hello
// announces, and the only one ParseHello accepts.
const ProtocolVersion = 1

// SessionSize is the size of a Hello's session identifier.
const SessionSize = 16

// MaxControlFrame is the largest control frame (hello or ack) either side
// sends, length prefix excluded and tag included: a reader of acks passes it
// to record.ReadFrame as the limit, so a peer cannot make it read more.
const MaxControlFrame = 96

// ErrProtocol is wrapped by every error of the acknowledgement protocol's
// decoders: a payload that is not a well-formed hello or ack, a version this
// package does not speak, or a frame of the wrong kind where an ack was due.
var ErrProtocol = errors.New("net: bad acknowledgement protocol frame")

// Hello opens a connection on which the sender wants acknowledgements. It is
// the first frame a Socket handler with Ack writes on every connection.
type Hello struct {
	// Version is the protocol version; AppendHello writes ProtocolVersion
	// when it is 0.
	Version uint64
	// Session identifies the sending handler for its lifetime (random, made
	// when the handler is created); it stays the same across reconnects.
	Session [SessionSize]byte
	// Base is the sequence number of the first record frame that follows
	// the hello: the sender numbers its record frames 0, 1, 2... for the
	// session's lifetime, and after a reconnect resends from the first
	// frame not yet acknowledged. A receiver that remembers a session can
	// tell the frames it has already seen (duplicates) by base + index.
	Base uint64
}

// The kinds of control frame, the first element of their array.
const (
	kindHello = "hello"
	kindAck   = "ack"
)

// msgpack codes the control frames use.
const (
	mpFixArray = 0x90 // fixarray, 0x90 | n for n < 16
	mpFixStr   = 0xa0 // fixstr, 0xa0 | n for n < 32
	mpBin8     = 0xc4
	mpUint8    = 0xcc
	mpUint16   = 0xcd
	mpUint32   = 0xce
	mpUint64   = 0xcf
	mpArray16  = 0xdc
	mpArray32  = 0xdd
)

// helloPayloadSize and ackPayloadSize are the payload sizes of the canonical
// encodings that AppendHello and AppendAck write.
const (
	helloPayloadSize = 1 + 1 + len(kindHello) + 9 + 2 + SessionSize + 9
	ackPayloadSize   = 1 + 1 + len(kindAck) + 9
)

// AppendHello appends h as one hello frame (length prefix, payload and,
// with a non-nil key, the payload's HMAC-SHA256 tag) and returns the
// extended slice. It allocates nothing beyond growing dst.
func AppendHello(dst []byte, h Hello, key *record.FrameKey) []byte {
	if h.Version == 0 {
		h.Version = ProtocolVersion
	}
	var p [helloPayloadSize]byte
	b := append(p[:0], mpFixArray|4, mpFixStr|byte(len(kindHello)))
	b = append(b, kindHello...)
	b = appendUint64(b, h.Version)
	b = append(b, mpBin8, SessionSize)
	b = append(b, h.Session[:]...)
	b = appendUint64(b, h.Base)
	return record.AppendPayloadFrame(dst, b, key)
}

// AppendAck appends one ack frame saying that the first count record frames
// after the connection's hello have been written by every handler they
// reached, and returns the extended slice. With a non-nil key the frame is
// tagged as a record frame is. It allocates nothing beyond growing dst.
func AppendAck(dst []byte, count uint64, key *record.FrameKey) []byte {
	var p [ackPayloadSize]byte
	b := append(p[:0], mpFixArray|2, mpFixStr|byte(len(kindAck)))
	b = append(b, kindAck...)
	b = appendUint64(b, count)
	return record.AppendPayloadFrame(dst, b, key)
}

// appendUint64 writes v as a msgpack uint 64 (0xcf and 8 bytes): the
// canonical form of this protocol's numbers, fixed in size.
func appendUint64(b []byte, v uint64) []byte {
	return binary.BigEndian.AppendUint64(append(b, mpUint64), v)
}

// IsControl reports whether a frame's payload is a control frame of this
// protocol (a msgpack array) rather than a record: a msgpack map (0x80-0x8f,
// 0xde, 0xdf) or a Python pickle (protocol 0 and 1 start with an opcode such
// as '}' 0x7d or '(' 0x28; protocol 2 and later with PROTO, 0x80, then the
// version). An empty payload is neither.
func IsControl(payload []byte) bool {
	if len(payload) == 0 {
		return false
	}
	c := payload[0]
	return c&0xf0 == mpFixArray || c == mpArray16 || c == mpArray32
}

// ParseHello decodes a hello frame's payload (as record.ReadFrame returns
// it: without length or tag). It accepts exactly an array of four elements:
// the string "hello", the version (which must be ProtocolVersion), a 16-byte
// bin session and the base; numbers in any msgpack unsigned-integer form.
// Any other payload gives an error wrapping ErrProtocol. It never allocates
// beyond the error and never reads past payload.
func ParseHello(payload []byte) (Hello, error) {
	var h Hello
	d := decoder{b: payload}
	d.array(4)
	d.kind(kindHello)
	h.Version = d.uint()
	if d.err == nil && h.Version != ProtocolVersion {
		d.fail("version %d (this side speaks %d)", h.Version, ProtocolVersion)
	}
	copy(h.Session[:], d.bin(SessionSize))
	h.Base = d.uint()
	d.end()
	if d.err != nil {
		return Hello{}, fmt.Errorf("hello: %w", d.err)
	}
	return h, nil
}

// ParseAck decodes an ack frame's payload: an array of two elements, the
// string "ack" and the count, in any msgpack unsigned-integer form. Any
// other payload gives an error wrapping ErrProtocol.
func ParseAck(payload []byte) (uint64, error) {
	d := decoder{b: payload}
	d.array(2)
	d.kind(kindAck)
	n := d.uint()
	d.end()
	if d.err != nil {
		return 0, fmt.Errorf("ack: %w", d.err)
	}
	return n, nil
}

// AckReader reads the acks a receiver writes on a connection, one frame at a
// time, with storage of its own that it reuses: reading an ack allocates
// nothing. A frame over MaxControlFrame, a bad tag or anything but an ack is
// an error (and the connection should be closed). It is for one goroutine.
type AckReader struct {
	r   io.Reader
	key *record.FrameKey
	buf []byte
}

// NewAckReader returns an AckReader for r; with a non-nil key every ack must
// carry a valid tag under it (the key the records are sent with).
func NewAckReader(r io.Reader, key *record.FrameKey) *AckReader {
	return &AckReader{r: r, key: key, buf: make([]byte, 0, MaxControlFrame)}
}

// Next reads the next ack and returns its count. At a clean end of stream the
// error is io.EOF; a frame cut short wraps io.ErrUnexpectedEOF; an oversize
// frame wraps record.ErrFrameTooLarge, a bad tag record.ErrBadTag and a
// payload that is not an ack ErrProtocol.
func (a *AckReader) Next() (uint64, error) {
	p, err := record.ReadFrame(a.r, a.buf, MaxControlFrame, a.key)
	if err != nil {
		return 0, err
	}
	a.buf = p[:0]
	return ParseAck(p)
}

// decoder reads the few msgpack forms of the control frames from a payload,
// remembering the first error (after which every read returns zero values).
type decoder struct {
	b   []byte
	off int
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: at offset %d: %s", ErrProtocol, d.off, fmt.Sprintf(format, args...))
	}
}

// take returns the next n bytes, or nil after recording an error.
func (d *decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n > len(d.b)-d.off {
		d.fail("truncated: %d bytes wanted, %d left", n, len(d.b)-d.off)
		return nil
	}
	s := d.b[d.off : d.off+n]
	d.off += n
	return s
}

// array reads an array header and checks its length is n.
func (d *decoder) array(n int) {
	h := d.take(1)
	if h == nil {
		return
	}
	got := -1
	switch c := h[0]; {
	case c&0xf0 == mpFixArray:
		got = int(c & 0x0f)
	case c == mpArray16:
		if s := d.take(2); s != nil {
			got = int(binary.BigEndian.Uint16(s))
		}
	case c == mpArray32:
		if s := d.take(4); s != nil {
			got = int(binary.BigEndian.Uint32(s))
		}
	default:
		d.off--
		d.fail("not a msgpack array (0x%02x)", c)
		return
	}
	if d.err == nil && got != n {
		d.fail("array of %d elements, want %d", got, n)
	}
}

// kind reads a fixstr and checks it is want.
func (d *decoder) kind(want string) {
	h := d.take(1)
	if h == nil {
		return
	}
	if h[0]&0xe0 != mpFixStr {
		d.off--
		d.fail("kind is not a short string (0x%02x)", h[0])
		return
	}
	s := d.take(int(h[0] & 0x1f))
	if d.err == nil && string(s) != want {
		d.fail("kind %q, want %q", s, want)
	}
}

// uint reads a msgpack unsigned integer in any of its forms.
func (d *decoder) uint() uint64 {
	h := d.take(1)
	if h == nil {
		return 0
	}
	c := h[0]
	if c <= 0x7f {
		return uint64(c)
	}
	var n int
	switch c {
	case mpUint8:
		n = 1
	case mpUint16:
		n = 2
	case mpUint32:
		n = 4
	case mpUint64:
		n = 8
	default:
		d.off--
		d.fail("not an unsigned integer (0x%02x)", c)
		return 0
	}
	s := d.take(n)
	var v uint64
	for _, x := range s {
		v = v<<8 | uint64(x)
	}
	return v
}

// bin reads a bin 8 of exactly n bytes.
func (d *decoder) bin(n int) []byte {
	h := d.take(2)
	if h == nil {
		return nil
	}
	if h[0] != mpBin8 || int(h[1]) != n {
		d.off -= 2
		d.fail("not a bin of %d bytes (0x%02x 0x%02x)", n, h[0], h[1])
		return nil
	}
	return d.take(n)
}

// end checks that nothing follows the last element.
func (d *decoder) end() {
	if d.err == nil && d.off != len(d.b) {
		d.fail("%d trailing bytes", len(d.b)-d.off)
	}
}
