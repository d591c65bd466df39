package format

import (
	"bytes"
	"context"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// scanPieces are the bytes and runes the scanners treat differently.
var scanPieces = []string{
	"a", "Z", "0", " ", "=", "\"", "\\", "\n", "\r", "\t", "\x00", "\x1f", "!", "~", "\x7f",
	"é", "✓", "\u00a0", "\u2028", "\u2029", "\u200b", "\U0001F600", "\xff", "\xc3", "\xe2\x80", "\xed\xa0\x80",
}

// checkScanners compares the scanners with slog's handlers, whose output
// they must reproduce: appendJSONString with what slog.JSONHandler writes for
// a string value, and needsQuoting with appendQuote with what
// slog.TextHandler writes for it.
func checkScanners(t *testing.T, s string) {
	t.Helper()
	wantJSON, wantText := slogStringValue(t, s)
	if got := string(appendJSONString(nil, s)); got != wantJSON {
		t.Fatalf("appendJSONString(%q) = %q, slog writes %q", s, got, wantJSON)
	}
	got := s
	if needsQuoting(s) {
		got = string(appendQuote(nil, s))
	}
	if got != wantText {
		t.Fatalf("logfmt value %q = %q, slog writes %q", s, got, wantText)
	}
}

// slogStringValue returns how slog's JSON and text handlers write the string
// value s, alone on a record with no time, level or message.
func slogStringValue(t *testing.T, s string) (jsonValue, textValue string) {
	t.Helper()
	onlyAttrs := &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && (a.Key == slog.LevelKey || a.Key == slog.MessageKey) {
			return slog.Attr{}
		}
		return a
	}}
	r := slog.NewRecord(time.Time{}, slog.LevelInfo, "", 0)
	r.AddAttrs(slog.String("k", s))
	var j, x bytes.Buffer
	if err := slog.NewJSONHandler(&j, onlyAttrs).Handle(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if err := slog.NewTextHandler(&x, onlyAttrs).Handle(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	jo, xo := j.String(), x.String()
	if !strings.HasPrefix(jo, `{"k":`) || !strings.HasSuffix(jo, "}\n") || !strings.HasPrefix(xo, "k=") || !strings.HasSuffix(xo, "\n") {
		t.Fatalf("unexpected slog output %q, %q", jo, xo)
	}
	return jo[len(`{"k":`) : len(jo)-2], xo[len("k=") : len(xo)-1]
}

// TestScanners checks the word-at-a-time scanners against slog, on every single piece at every offset of a long safe run,
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

// FuzzScanners compares the word-at-a-time scanners with slog.
func FuzzScanners(f *testing.F) {
	for _, s := range []string{"", "connection pool exhausted, waiting", "a=b \"c\"\\d\x00\x7f", "ü\u2028\xff\xc3✓ tab\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkScanners(t, s) })
}
