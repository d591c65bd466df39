package format

import "math/bits"

// appendInt is strconv.AppendInt(dst, v, 10). Integers are the usual
// attribute values; this writes the digits in place, three at a time, where
// strconv formats into a buffer of its own and copies it.
func appendInt(dst []byte, v int64) []byte {
	u := uint64(v)
	if v < 0 {
		dst = append(dst, '-')
		u = -u // -MinInt64 wraps to itself as uint64: still right
	}
	return appendUint(dst, u)
}

// appendUint is strconv.AppendUint(dst, u, 10).
func appendUint(dst []byte, u uint64) []byte {
	if u < 10 {
		return append(dst, byte('0'+u))
	}
	n := decimalLen(u)
	l := len(dst)
	if cap(dst)-l < n {
		dst = append(dst, zeros[:n]...)
	}
	dst = dst[:l+n]
	b := dst[l:]
	i := n
	for u >= 1000 {
		q := u / 1000
		d := &digits3[u-q*1000]
		b[i-3], b[i-2], b[i-1] = d[0], d[1], d[2]
		i -= 3
		u = q
	}
	d := &digits3[u] // the 1 to 3 leading digits
	switch i {
	case 3:
		b[0], b[1], b[2] = d[0], d[1], d[2]
	case 2:
		b[0], b[1] = d[1], d[2]
	case 1:
		b[0] = d[2]
	}
	return dst
}

// zeros is room for the longest uint64 in decimal.
var zeros [20]byte

// pow10 holds 10^i.
var pow10 = func() (t [20]uint64) {
	t[0] = 1
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1] * 10
	}
	return t
}()

// decimalLen is the number of decimal digits of u, for u >= 1: log10 from
// the bit length (1233/4096 ~ log10(2)), corrected by one comparison.
func decimalLen(u uint64) int {
	t := bits.Len64(u) * 1233 >> 12
	if u < pow10[t] {
		return t
	}
	return t + 1
}
