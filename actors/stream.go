package actors

import (
	"io"
	"os"
)

// Stream writes records to an io.Writer: Python's StreamHandler. Each batch
// is one Write call. Python flushes the stream after every record; Stream
// flushes a writer that has Flush() error (a bufio.Writer) at the end of each
// burst, which is once per record when records come one at a time.
type Stream struct {
	w io.Writer
}

// NewStream returns a Stream writing to w; nil means os.Stderr, as
// Python's StreamHandler() writes to sys.stderr.
func NewStream(w io.Writer) *Stream {
	if w == nil {
		w = os.Stderr
	}
	return &Stream{w: w}
}

// Writer returns the stream's writer.
func (s *Stream) Writer() io.Writer { return s.w }

// WriteBatch writes the whole batch in one Write. On a short write it
// reports the records that were written whole.
func (s *Stream) WriteBatch(b *Batch) (int, error) {
	n, err := s.w.Write(b.Buf)
	if err == nil {
		return b.Len(), nil
	}
	whole := 0
	for whole < len(b.Ends) && b.Ends[whole] <= n {
		whole++
	}
	return whole, err
}

// Flush flushes the writer if it buffers.
func (s *Stream) Flush() error {
	if f, ok := s.w.(interface{ Flush() error }); ok {
		return f.Flush()
	}
	return nil
}

// Close flushes; it never closes the writer (stderr stays open), as Python's
// StreamHandler.close leaves the stream alone.
func (s *Stream) Close() error { return s.Flush() }

// Null discards every record: Python's NullHandler. Unlike Python's, it
// still counts them (as written), so stats stay honest.
type Null struct{}

// WriteBatch accepts and discards the batch.
func (Null) WriteBatch(b *Batch) (int, error) { return b.Len(), nil }

// Close does nothing.
func (Null) Close() error { return nil }

var (
	_ Sink    = (*Stream)(nil)
	_ Flusher = (*Stream)(nil)
	_ Sink    = Null{}
)
