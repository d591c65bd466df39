package bench

import (
	"bufio"
	"io"
	"log/slog"
	"strconv"
	"time"
	"unicode/utf8"
)

// ChanOptions configure a ChanLogger. The zero value works.
type ChanOptions struct {
	// Capacity is the channel's buffer, in records; default 8192 (actorlog's
	// default mailbox capacity).
	Capacity int
	// BufferSize is the size of the bufio.Writer in front of the writer, in
	// bytes; default 64 KiB.
	BufferSize int
	// Now gives each record its time; default time.Now.
	Now func() time.Time
}

// ChanLogger is the naive asynchronous logger: Log copies the record by value
// into a buffered channel and one consumer goroutine encodes it as JSON (the
// keys of slog's JSONHandler) into a bufio.Writer, which it flushes whenever
// the channel is empty. A full channel blocks the caller. It is safe for
// concurrent use; Close must be called once, after the last Log.
type ChanLogger struct {
	ch   chan chanRecord
	done chan struct{}
	now  func() time.Time
	w    *bufio.Writer
	err  error // first write error, read after done is closed
}

// chanRecord is what travels through the channel: up to four attributes
// inline, more in a slice (one allocation).
type chanRecord struct {
	time   time.Time
	level  slog.Level
	msg    string
	n      int
	inline [4]slog.Attr
	more   []slog.Attr
	flush  chan struct{} // a flush request, not a record, when not nil
}

// NewChanLogger starts a ChanLogger writing to w.
func NewChanLogger(w io.Writer, o ChanOptions) *ChanLogger {
	if o.Capacity <= 0 {
		o.Capacity = 8192
	}
	if o.BufferSize <= 0 {
		o.BufferSize = 64 << 10
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	l := &ChanLogger{
		ch:   make(chan chanRecord, o.Capacity),
		done: make(chan struct{}),
		now:  o.Now,
		w:    bufio.NewWriterSize(w, o.BufferSize),
	}
	go l.run()
	return l
}

// Log queues a record, blocking while the channel is full.
func (l *ChanLogger) Log(level slog.Level, msg string, attrs ...slog.Attr) {
	r := chanRecord{time: l.now(), level: level, msg: msg, n: len(attrs)}
	if len(attrs) <= len(r.inline) {
		copy(r.inline[:], attrs)
	} else {
		r.more = append([]slog.Attr(nil), attrs...)
	}
	l.ch <- r
}

// Flush waits until every record queued before it is written to the
// underlying writer.
func (l *ChanLogger) Flush() {
	done := make(chan struct{})
	l.ch <- chanRecord{flush: done}
	<-done
}

// Close writes what is queued, flushes and stops the consumer. It returns
// the first write error met.
func (l *ChanLogger) Close() error {
	close(l.ch)
	<-l.done
	return l.err
}

func (l *ChanLogger) run() {
	defer close(l.done)
	var buf []byte
	for r := range l.ch {
		if r.flush != nil {
			l.setErr(l.w.Flush())
			close(r.flush)
			continue
		}
		buf = appendChanJSON(buf[:0], &r)
		_, err := l.w.Write(buf)
		l.setErr(err)
		if len(l.ch) == 0 {
			l.setErr(l.w.Flush())
		}
	}
	l.setErr(l.w.Flush())
}

func (l *ChanLogger) setErr(err error) {
	if l.err == nil {
		l.err = err
	}
}

func appendChanJSON(dst []byte, r *chanRecord) []byte {
	dst = append(dst, `{"time":"`...)
	dst = r.time.AppendFormat(dst, time.RFC3339Nano)
	dst = append(dst, `","level":"`...)
	dst = append(dst, r.level.String()...)
	dst = append(dst, `","msg":`...)
	dst = appendString(dst, r.msg)
	attrs := r.more
	if attrs == nil {
		attrs = r.inline[:r.n]
	}
	for _, a := range attrs {
		dst = append(dst, ',')
		dst = appendString(dst, a.Key)
		dst = append(dst, ':')
		dst = appendValue(dst, a.Value)
	}
	return append(dst, '}', '\n')
}

func appendValue(dst []byte, v slog.Value) []byte {
	switch v.Kind() {
	case slog.KindString:
		return appendString(dst, v.String())
	case slog.KindInt64:
		return strconv.AppendInt(dst, v.Int64(), 10)
	case slog.KindUint64:
		return strconv.AppendUint(dst, v.Uint64(), 10)
	case slog.KindFloat64:
		return strconv.AppendFloat(dst, v.Float64(), 'g', -1, 64)
	case slog.KindBool:
		return strconv.AppendBool(dst, v.Bool())
	case slog.KindDuration:
		return strconv.AppendInt(dst, int64(v.Duration()), 10)
	case slog.KindTime:
		dst = append(dst, '"')
		dst = v.Time().AppendFormat(dst, time.RFC3339Nano)
		return append(dst, '"')
	default:
		return appendString(dst, v.String())
	}
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string, escaping quotes, backslashes and
// control characters and replacing invalid UTF-8.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b >= utf8.RuneSelf {
			c, size := utf8.DecodeRuneInString(s[i:])
			if c == utf8.RuneError && size == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, `\ufffd`...)
				start = i + 1
			}
			i += size
			continue
		}
		if b >= 0x20 && b != '"' && b != '\\' {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		switch b {
		case '"', '\\':
			dst = append(dst, '\\', b)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
