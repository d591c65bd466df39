package format

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// scanPieces are the bytes and runes the scanners treat differently.
var scanPieces = []string{
	"a", "Z", "0", " ", "=", "\"", "\\", "\n", "\r", "\t", "\x00", "\x1f", "!", "~", "\x7f",
	"é", "✓", "\u00a0", "\u2028", "\u2029", "\u200b", "\U0001F600", "\xff", "\xc3", "\xe2\x80", "\xed\xa0\x80",
}

// checkScanners compares the scanners with their byte-at-a-time references.
func checkScanners(t *testing.T, s string) {
	t.Helper()
	if got, want := string(appendJSONString([]byte("x"), s)), string(refAppendJSONString([]byte("x"), s)); got != want {
		t.Fatalf("appendJSONString(%q) = %q, want %q", s, got, want)
	}
	if got, want := needsQuoting(s), refNeedsQuoting(s); got != want {
		t.Fatalf("needsQuoting(%q) = %v, want %v", s, got, want)
	}
	if got, want := string(appendQuote([]byte("x"), s)), string(refAppendQuote([]byte("x"), s)); got != want {
		t.Fatalf("appendQuote(%q) = %q, want %q", s, got, want)
	}
}

// TestScanners checks the word-at-a-time scanners against the byte loops
// they replace, on every single piece at every offset of a long safe run,
// and on random mixtures.
func TestScanners(t *testing.T) {
	checkScanners(t, "")
	for _, p := range scanPieces {
		for n := 0; n < 20; n++ {
			for m := 0; m < 10; m++ {
				checkScanners(t, strings.Repeat("a", n)+p+strings.Repeat("b", m))
				checkScanners(t, strings.Repeat("a", n)+p+strings.Repeat("b", m)+p)
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	for i := 0; i < 20000; i++ {
		b.Reset()
		for n := rng.IntN(40); n > 0; n-- {
			if rng.IntN(4) == 0 {
				b.WriteString(scanPieces[rng.IntN(len(scanPieces))])
			} else {
				b.WriteByte(byte(rng.IntN(256)))
			}
		}
		checkScanners(t, b.String())
	}
}

// FuzzScanners compares the word-at-a-time scanners with their references.
func FuzzScanners(f *testing.F) {
	for _, s := range []string{"", "connection pool exhausted, waiting", "a=b \"c\"\\d\x00\x7f", "ü\u2028\xff\xc3✓ tab\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkScanners(t, s) })
}
