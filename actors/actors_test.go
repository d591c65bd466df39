package actors

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func batchOf(lines ...string) *Batch {
	b := &Batch{}
	for _, l := range lines {
		b.Buf = append(b.Buf, l...)
		b.Ends = append(b.Ends, len(b.Buf))
	}
	return b
}

// shortWriter accepts at most n bytes, then fails.
type shortWriter struct {
	n   int
	got bytes.Buffer
}

func (w *shortWriter) Write(p []byte) (int, error) {
	if len(p) <= w.n {
		w.n -= len(p)
		return w.got.Write(p)
	}
	k := w.n
	w.n = 0
	w.got.Write(p[:k])
	return k, io.ErrShortWrite
}

func TestStreamReportsWholeRecordsOnShortWrite(t *testing.T) {
	w := &shortWriter{n: 9}
	s := NewStream(w)
	n, err := s.WriteBatch(batchOf("abc\n", "defg\n", "hij\n"))
	if n != 2 || !errors.Is(err, io.ErrShortWrite) {
		t.Fatalf("wrote %d, %v; want 2 whole records and the error", n, err)
	}
}

func TestStreamFlushesBufferedWriters(t *testing.T) {
	var out bytes.Buffer
	bw := bufio.NewWriter(&out)
	s := NewStream(bw)
	if n, err := s.WriteBatch(batchOf("a\n", "b\n")); n != 2 || err != nil {
		t.Fatal(n, err)
	}
	if out.Len() != 0 {
		t.Fatal("bufio wrote early")
	}
	if err := s.Close(); err != nil || out.String() != "a\nb\n" {
		t.Fatalf("after Close: %q, %v", out.String(), err)
	}
	if NewStream(nil).Writer() == nil {
		t.Fatal("nil writer must mean stderr")
	}
}

func TestNullCountsEverything(t *testing.T) {
	if n, err := (Null{}).WriteBatch(batchOf("a\n", "b\n", "c\n")); n != 3 || err != nil {
		t.Fatal(n, err)
	}
}

func TestBatchRecordBoundaries(t *testing.T) {
	b := batchOf("one\n", "two\n")
	if b.Len() != 2 || string(b.Record(0)) != "one\n" || string(b.Record(1)) != "two\n" {
		t.Fatalf("records %q %q", b.Record(0), b.Record(1))
	}
	b.Reset()
	if b.Len() != 0 || len(b.Buf) != 0 {
		t.Fatal("Reset kept records")
	}
}

func TestRetryWrapping(t *testing.T) {
	base := errors.New("reset by peer")
	err := Retry(base)
	if !IsRetry(err) || !errors.Is(err, base) || err.Error() != base.Error() {
		t.Fatalf("Retry(%v) = %v", base, err)
	}
	if Retry(nil) != nil || IsRetry(base) {
		t.Fatal("Retry(nil) or IsRetry(plain) wrong")
	}
}
