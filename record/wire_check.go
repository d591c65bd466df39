package record

import (
	"encoding/binary"
	"fmt"
)

// defaultMaxDepth is the nesting depth checkMsgpack allows when given 0: the
// top-level map is depth 1, a map or array inside it depth 2, and so on.
const defaultMaxDepth = 32

// maxDepthLimit is the largest depth checkMsgpack honours; a larger maxDepth
// is treated as maxDepthLimit. It sizes the checker's fixed stack.
const maxDepthLimit = 256

// extTimestamp is msgpack's timestamp extension type, the only extension the
// wire format accepts.
const extTimestamp = -1

// checkMsgpack validates the structure of one msgpack value before any decoder
// sees it, so that declared lengths cannot make a decoder allocate or recurse
// without bound. It walks b once, without allocating and without recursion,
// and checks that:
//
//   - every str, bin and ext length fits in the bytes that remain;
//   - every array or map count fits too, counting at least one byte per
//     element (two per map entry), across all containers still open, so the
//     sum of all declared counts is bounded by len(b);
//   - containers nest at most maxDepth deep (defaultMaxDepth when maxDepth <= 0,
//     at most maxDepthLimit);
//   - the only extension is the msgpack timestamp (type -1, 4, 8 or 12 bytes,
//     nanoseconds below 1e9);
//   - the reserved code 0xc1 does not occur;
//   - exactly one value fills b, with no trailing bytes.
//
// The error wraps ErrMalformed or ErrTooDeep and names the offset.
func checkMsgpack(b []byte, maxDepth int) error {
	if maxDepth <= 0 {
		maxDepth = defaultMaxDepth
	}
	if maxDepth > maxDepthLimit {
		maxDepth = maxDepthLimit
	}
	// stack[i] counts the values still expected by the i-th open container;
	// stack[0] is a virtual container expecting the single top-level value.
	var stack [maxDepthLimit + 1]int
	stack[0] = 1
	sp := 1
	pending := 1 // the sum of stack[:sp]
	pos := 0
	for sp > 0 {
		if pos >= len(b) {
			return fmt.Errorf("%w: input ends at offset %d with %d values missing", ErrMalformed, pos, pending)
		}
		start := pos
		c := b[pos]
		pos++
		count := -1 // elements of a container, -1 for a scalar
		size := 0   // payload bytes of a scalar after its header
		switch {
		case c <= 0x7f || c >= 0xe0: // fixint
		case c <= 0x8f:
			count = 2 * int(c&0x0f)
		case c <= 0x9f:
			count = int(c & 0x0f)
		case c <= 0xbf:
			size = int(c & 0x1f)
		default:
			var n uint64
			var ok bool
			switch c {
			case 0xc0, 0xc2, 0xc3: // nil, false, true
			case 0xc1:
				return fmt.Errorf("%w: reserved code 0xc1 at offset %d", ErrMalformed, start)
			case 0xc4, 0xd9: // bin8, str8
				n, pos, ok = readUint(b, pos, 1)
				size = int(n)
			case 0xc5, 0xda: // bin16, str16
				n, pos, ok = readUint(b, pos, 2)
				size = int(n)
			case 0xc6, 0xdb: // bin32, str32
				n, pos, ok = readUint(b, pos, 4)
				size = int(n)
			case 0xc7, 0xc8, 0xc9: // ext8, ext16, ext32
				n, pos, ok = readUint(b, pos, 1<<(c-0xc7))
				if ok {
					if err := checkExt(b, pos, int(n)); err != nil {
						return fmt.Errorf("%w at offset %d", err, start)
					}
					size = 1 + int(n)
				}
			case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: // fixext 1, 2, 4, 8, 16
				n := 1 << (c - 0xd4)
				if err := checkExt(b, pos, n); err != nil {
					return fmt.Errorf("%w at offset %d", err, start)
				}
				size, ok = 1+n, true
			case 0xca, 0xce, 0xd2: // float32, uint32, int32
				size, ok = 4, true
			case 0xcb, 0xcf, 0xd3: // float64, uint64, int64
				size, ok = 8, true
			case 0xcc, 0xd0: // uint8, int8
				size, ok = 1, true
			case 0xcd, 0xd1: // uint16, int16
				size, ok = 2, true
			case 0xdc: // array16
				n, pos, ok = readUint(b, pos, 2)
				count = int(n)
			case 0xdd: // array32
				n, pos, ok = readUint(b, pos, 4)
				count = int(n)
			case 0xde: // map16
				n, pos, ok = readUint(b, pos, 2)
				count = 2 * int(n)
			case 0xdf: // map32
				n, pos, ok = readUint(b, pos, 4)
				count = 2 * int(n)
			}
			if c != 0xc0 && c != 0xc2 && c != 0xc3 && !ok {
				return fmt.Errorf("%w: header of code 0x%02x at offset %d is truncated", ErrMalformed, c, start)
			}
		}
		if size > len(b)-pos {
			return fmt.Errorf("%w: value at offset %d declares %d bytes but only %d remain", ErrMalformed, start, size, len(b)-pos)
		}
		pos += size
		stack[sp-1]--
		pending--
		if count >= 0 {
			if sp > maxDepth {
				return fmt.Errorf("%w: container at offset %d is nested deeper than %d", ErrTooDeep, start, maxDepth)
			}
			// Every pending value needs at least one byte.
			if count > len(b)-pos-pending {
				return fmt.Errorf("%w: container at offset %d declares %d elements but only %d bytes remain", ErrMalformed, start, count, len(b)-pos)
			}
			if count > 0 {
				stack[sp] = count
				sp++
				pending += count
			}
		} else if pending > len(b)-pos {
			return fmt.Errorf("%w: input ends at offset %d with %d values missing", ErrMalformed, len(b), pending)
		}
		for sp > 0 && stack[sp-1] == 0 {
			sp--
		}
	}
	if pos != len(b) {
		return fmt.Errorf("%w: %d trailing bytes after the value at offset %d", ErrMalformed, len(b)-pos, pos)
	}
	return nil
}

// readUint reads an n-byte big-endian unsigned integer at b[pos:].
func readUint(b []byte, pos, n int) (v uint64, next int, ok bool) {
	if n > len(b)-pos {
		return 0, pos, false
	}
	switch n {
	case 1:
		v = uint64(b[pos])
	case 2:
		v = uint64(binary.BigEndian.Uint16(b[pos:]))
	case 4:
		v = uint64(binary.BigEndian.Uint32(b[pos:]))
	}
	return v, pos + n, true
}

// checkExt checks the extension whose type byte is at b[pos] and whose data
// (n bytes) follows it: only a well-formed timestamp is accepted.
func checkExt(b []byte, pos, n int) error {
	if n+1 > len(b)-pos {
		return fmt.Errorf("%w: extension of %d bytes is truncated", ErrMalformed, n)
	}
	if int8(b[pos]) != extTimestamp {
		return fmt.Errorf("%w: extension type %d is not accepted", ErrMalformed, int8(b[pos]))
	}
	data := b[pos+1 : pos+1+n]
	switch n {
	case 4:
	case 8:
		if binary.BigEndian.Uint64(data)>>34 > 999999999 {
			return fmt.Errorf("%w: timestamp nanoseconds out of range", ErrMalformed)
		}
	case 12:
		if binary.BigEndian.Uint32(data) > 999999999 {
			return fmt.Errorf("%w: timestamp nanoseconds out of range", ErrMalformed)
		}
	default:
		return fmt.Errorf("%w: timestamp extension of %d bytes (want 4, 8 or 12)", ErrMalformed, n)
	}
	return nil
}
