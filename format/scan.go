package format

import "math/bits"

// Word-at-a-time scanning: the string escapers and quoters look at eight
// bytes at once for the first byte that needs attention, and copy the bytes
// before it in one append.
//
// Each mask sets the high bit of the bytes that match. Borrows can set bits
// above a true match but never below the lowest one, so the lowest set bit,
// and only it, is exact: firstByte returns its index.

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// load8 returns s[i:i+8] as a little-endian word; the compiler makes it one
// load.
func load8(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// load4 returns s[i:i+4] as a little-endian word.
func load4(s string, i int) uint32 {
	s = s[i : i+4]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// bytesBelow marks the bytes of x less than n, for n <= 0x80.
func bytesBelow(x uint64, n byte) uint64 { return (x - lsb*uint64(n)) & ^x & msb }

// bytesEqual marks the bytes of x equal to c.
func bytesEqual(x uint64, c byte) uint64 {
	y := x ^ (lsb * uint64(c))
	return (y - lsb) & ^y & msb
}

// firstByte returns the index of the lowest marked byte of a non-zero mask.
func firstByte(m uint64) int { return bits.TrailingZeros64(m) >> 3 }

// jsonMask marks the bytes a JSON string cannot hold as they are: control
// characters, '"', '\\' and every byte of a multi-byte (or invalid) UTF-8
// sequence, which must be checked rune by rune.
func jsonMask(x uint64) uint64 {
	return bytesBelow(x, 0x20) | bytesEqual(x, '"') | bytesEqual(x, '\\') | x&msb
}

// textQuoteMask marks the bytes that may make slog's TextHandler quote a
// string: space and control characters, '=', '"', and non-ASCII bytes.
func textQuoteMask(x uint64) uint64 {
	return bytesBelow(x, 0x21) | bytesEqual(x, '=') | bytesEqual(x, '"') | x&msb
}

// quoteMask marks the bytes that strconv.Quote does not copy as they are:
// control characters, DEL, '"', '\\' and non-ASCII bytes.
func quoteMask(x uint64) uint64 {
	return bytesBelow(x, 0x20) | bytesEqual(x, 0x7f) | bytesEqual(x, '"') | bytesEqual(x, '\\') | x&msb
}

// jsonSafePrefix returns the length of the longest prefix of s that a JSON
// string holds as it is (see jsonMask).
func jsonSafePrefix(s string) int {
	if len(s) < 8 {
		// Short strings, keys mostly. From 4 bytes on, two words of four
		// that overlap cover them; below, no branch per byte when all are
		// safe.
		if len(s) >= 4 {
			if jsonMask(uint64(load4(s, 0))|uint64(load4(s, len(s)-4))<<32) == 0 {
				return len(s)
			}
		} else {
			var any uint8
			for i := 0; i < len(s); i++ {
				any |= jsonAttention[s[i]]
			}
			if any == 0 {
				return len(s)
			}
		}
		for i := 0; i < len(s); i++ {
			if jsonAttention[s[i]] != 0 {
				return i
			}
		}
	}
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if m := jsonMask(load8(s, i)); m != 0 {
			return i + firstByte(m)
		}
	}
	if i < len(s) {
		// The last word overlaps bytes already found safe.
		i = len(s) - 8
		if m := jsonMask(load8(s, i)); m != 0 {
			return i + firstByte(m)
		}
	}
	return len(s)
}

// jsonAttention is 1 for the bytes jsonMask marks.
var jsonAttention = func() (t [256]uint8) {
	for b := range t {
		if b >= 0x80 || !jsonSafe[b] {
			t[b] = 1
		}
	}
	return t
}()
