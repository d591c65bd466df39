package format

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestAppendInt checks appendInt and appendUint against strconv at every
// power of ten and its neighbours, the extremes, and random values.
func TestAppendInt(t *testing.T) {
	ints := []int64{0, 1, -1, 9, 10, 11, 99, 100, 999, 1000, 1001, math.MaxInt64, math.MinInt64, math.MinInt64 + 1}
	uints := []uint64{0, 1, 9, 10, math.MaxUint64, math.MaxUint64 - 1}
	for p := uint64(1); p <= 1e19; p *= 10 {
		uints = append(uints, p-1, p, p+1)
		if p <= math.MaxInt64 {
			ints = append(ints, int64(p)-1, int64(p), int64(p)+1, -int64(p))
		}
		if p == 1e19 {
			break
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		u := r.Uint64() >> r.IntN(64)
		uints = append(uints, u)
		ints = append(ints, int64(u), -int64(u))
	}
	prefix := []byte("k=")
	for _, v := range ints {
		if got, want := string(appendInt(prefix, v)), "k="+strconv.FormatInt(v, 10); got != want {
			t.Fatalf("appendInt(%d) = %q, want %q", v, got, want)
		}
	}
	for _, u := range uints {
		if got, want := string(appendUint(prefix, u)), "k="+strconv.FormatUint(u, 10); got != want {
			t.Fatalf("appendUint(%d) = %q, want %q", u, got, want)
		}
	}
}
