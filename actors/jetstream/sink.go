package jetstream

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/s2"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
	"github.com/actorlog/actorlog/supervision"
)

// ErrInterrupted is returned by a write cut short by Interrupt.
var ErrInterrupted = errors.New("jetstream: interrupted")

// ErrTooLarge is the error of a record whose frame is larger than the
// server's maximum payload: it is given up alone (reason too_large).
var ErrTooLarge = errors.New("jetstream: record larger than the server's maximum payload")

// ReasonTooLarge is the drop reason of a record larger than a message may be.
const ReasonTooLarge mailbox.Reason = "too_large"

// Stats are a Sink's counters, safe to read at any time.
type Stats struct {
	Connects     uint64 // connections made
	Reconnects   uint64 // connections made after a failure
	Messages     uint64 // messages published
	Published    uint64 // records in the messages published (a resent record counts again)
	Acknowledged uint64 // records the stream acknowledged
	Resends      uint64 // records handed to the sink again after a failure (a retry; the stream drops what it already had)
	Failures     uint64 // batches that ended in a restart
}

// Sink publishes records to a JetStream stream. It is an actors.Encoder
// (frames, as a Socket handler's), a Defaulter, a Deadliner and an
// Interrupter. Make it with New.
type Sink struct {
	o       Options
	key     *record.FrameKey
	session string

	conn   *Conn
	booked uint64 // records dealt with since New: the ids' counter
	failed bool   // the last batch failed: what comes next is a resend
	resend int    // records of the failed batch not written

	deadline time.Time
	stop     chan struct{}
	stopOnce sync.Once
	mu       sync.Mutex // guards conn against Interrupt

	subj []byte
	pend []pending
	// zbuf holds each message's compressed payload, one buffer per
	// message of a batch: the client keeps a message until its
	// acknowledgement (it publishes it again when no server answered), so
	// a buffer is reused only by the next batch, once every message of
	// this one is settled or its connection closed.
	zbuf  [][]byte
	stats struct {
		connects, reconnects, messages, published, acked, resends, failures atomic.Uint64
	}
}

type pending struct {
	fut jetstream.PubAckFuture
	end int // the batch index just past the message's records
}

var (
	_ actors.Sink          = (*Sink)(nil)
	_ actors.Encoder       = (*Sink)(nil)
	_ actors.Defaulter     = (*Sink)(nil)
	_ actors.Deadliner     = (*Sink)(nil)
	_ actors.Interrupter   = (*Sink)(nil)
	_ actors.Resetter      = (*Sink)(nil)
	_ actors.StatsReporter = (*Sink)(nil)
)

// New returns a Sink for o. It does not connect: the first batch does, and
// creates or checks the stream.
func New(o Options) (*Sink, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	var sid [8]byte
	if _, err := rand.Read(sid[:]); err != nil {
		return nil, fmt.Errorf("jetstream: session id: %w", err)
	}
	s := &Sink{o: o.Fill(), session: hex.EncodeToString(sid[:]), stop: make(chan struct{})}
	if o.Key != "" {
		s.key = record.NewFrameKey([]byte(o.Key))
	}
	return s, nil
}

// Stats returns the sink's counters.
func (s *Sink) Stats() Stats {
	return Stats{
		Connects: s.stats.connects.Load(), Reconnects: s.stats.reconnects.Load(),
		Messages: s.stats.messages.Load(), Published: s.stats.published.Load(),
		Acknowledged: s.stats.acked.Load(),
		Resends:      s.stats.resends.Load(), Failures: s.stats.failures.Load(),
	}
}

// SinkStats returns Stats by name (actors.StatsReporter), for Engine.Stats
// (HandlerStats.Sink) and /metrics (actorlog_handler_sink_total): connects,
// reconnects, messages, published, acknowledged, resends, failures, zeros
// included. Safe from any goroutine.
func (s *Sink) SinkStats() map[string]uint64 {
	st := s.Stats()
	return map[string]uint64{
		"connects":     st.Connects,
		"reconnects":   st.Reconnects,
		"messages":     st.Messages,
		"published":    st.Published,
		"acknowledged": st.Acknowledged,
		"resends":      st.Resends,
		"failures":     st.Failures,
	}
}

// HandlerDefaults: while the cluster is unreachable the handler waits out
// its back-off (1 s doubling to 30 s, Python's SocketHandler schedule), and
// its records wait in a mailbox of 65,536 that drops the newest when full,
// rather than blocking the program that logs.
func (s *Sink) HandlerDefaults() actors.Defaults {
	return actors.Defaults{
		Mailbox:     mailbox.Options{Capacity: 65536, Overflow: mailbox.DropNewest, MaxBatch: 4096},
		Supervision: supervision.Options{RetryStart: time.Second, RetryFactor: 2, RetryMax: 30 * time.Second},
	}
}

// AppendRecord appends r as one frame (length, msgpack map, tag with a key).
func (s *Sink) AppendRecord(dst []byte, r *record.Record) ([]byte, error) {
	return record.AppendFrame(dst, r, s.key), nil
}

// SetDeadline bounds the connects and acknowledgement waits of a drain.
func (s *Sink) SetDeadline(t time.Time) { s.deadline = t }

// Interrupt cuts a blocked write short; safe from any goroutine.
func (s *Sink) Interrupt() {
	s.stopOnce.Do(func() { close(s.stop) })
	s.mu.Lock()
	c := s.conn
	s.mu.Unlock()
	if c != nil {
		c.Close()
	}
}

// Reset drops the connection after a failure: the next batch connects again.
func (s *Sink) Reset() error {
	s.disconnect()
	return nil
}

// Close closes the connection.
func (s *Sink) Close() error {
	s.disconnect()
	return nil
}

func (s *Sink) disconnect() {
	s.mu.Lock()
	c := s.conn
	s.conn = nil
	s.mu.Unlock()
	if c != nil {
		c.Close()
	}
}

func (s *Sink) connect() (*Conn, error) {
	if s.conn != nil {
		select {
		case <-s.conn.Closed:
			s.disconnect()
		default:
			return s.conn, nil
		}
	}
	select {
	case <-s.stop:
		return nil, ErrInterrupted
	default:
	}
	c, err := Dial(s.o.StreamOptions, "actorlog handler",
		jetstream.WithPublishAsyncMaxPending(s.o.Window),
		jetstream.WithPublishAsyncTimeout(s.o.AckTimeout))
	if err != nil {
		return nil, err
	}
	// Kept where Interrupt finds it before the stream check, which waits
	// on the servers: closing the connection ends that wait.
	s.mu.Lock()
	s.conn = c
	s.mu.Unlock()
	select {
	case <-s.stop:
		s.disconnect()
		return nil, ErrInterrupted
	default:
	}
	ctx, cancel := waitCtx(s.o.ConnectTimeout, s.deadline)
	defer cancel()
	if _, err := EnsureStream(ctx, c.JS, s.o.StreamOptions, true); err != nil {
		s.disconnect()
		return nil, err
	}
	if s.stats.connects.Add(1) > 1 {
		s.stats.reconnects.Add(1)
	}
	return c, nil
}

// WriteBatch publishes the batch's frames, BatchRecords to a message, each
// message with an id the stream de-duplicates by, and returns once the
// stream acknowledged them: the records of the acknowledged messages, from
// the first, are written. On a failure the rest is sent again after the
// supervisor's back-off, under the same ids, so that what the stream kept
// of it is not stored twice.
func (s *Sink) WriteBatch(b *actors.Batch) (int, error) {
	n := b.Len()
	if n == 0 {
		return 0, nil
	}
	if s.failed {
		s.stats.resends.Add(uint64(min(s.resend, n)))
		s.failed = false
	}
	c, err := s.connect()
	if err != nil {
		return s.fail(0, n, err)
	}
	s.pend = s.pend[:0]
	maxPayload := int(c.NC.MaxPayload())
	if maxPayload <= 0 {
		maxPayload = DefaultMaxMessage
	}
	start := 0
	var pubErr error
	for start < n {
		from := 0
		if start > 0 {
			from = b.Ends[start-1]
		}
		end := start
		// A message holds records of one logger, so that its subject names
		// them all, up to BatchRecords and the server's maximum payload.
		for end < n && end-start < s.o.BatchRecords &&
			(end == start || b.Ends[end]-from <= maxPayload && b.Records[end].Logger == b.Records[start].Logger) {
			end++
		}
		if b.Ends[end-1]-from > maxPayload {
			// one record alone is too large: give it up, counted.
			b.Fail(start, ReasonTooLarge, ErrTooLarge)
			s.pend = append(s.pend, pending{end: end})
			start = end
			continue
		}
		s.subj = AppendSubject(s.subj[:0], s.o.SubjectPrefix, b.Records[start].Logger)
		msg := &nats.Msg{Subject: string(s.subj), Data: b.Buf[from:b.Ends[end-1]]}
		if s.o.Compression == CompressSnappy {
			k := len(s.pend)
			if k == len(s.zbuf) {
				s.zbuf = append(s.zbuf, nil)
			}
			s.zbuf[k] = s2.EncodeSnappy(s.zbuf[k][:cap(s.zbuf[k])], msg.Data)
			msg.Data = s.zbuf[k]
			msg.Header = nats.Header{ContentEncoding: []string{CompressSnappy}}
		}
		id := s.session + "-" + strconv.FormatUint(s.booked+uint64(start), 10) + "-" + strconv.Itoa(end-start)
		fut, err := c.JS.PublishMsgAsync(msg, jetstream.WithMsgID(id), jetstream.WithStallWait(s.o.AckTimeout))
		if err != nil {
			pubErr = err
			break
		}
		s.stats.messages.Add(1)
		s.stats.published.Add(uint64(end - start))
		s.pend = append(s.pend, pending{fut: fut, end: end})
		start = end
	}
	written, err := s.wait(c)
	if err == nil {
		err = pubErr
	}
	if err != nil {
		return s.fail(written, n, err)
	}
	s.booked += uint64(n)
	return n, nil
}

// wait returns how many records, from the first, the stream acknowledged,
// and the first failure.
func (s *Sink) wait(c *Conn) (int, error) {
	var timeout <-chan time.Time
	d := s.o.AckTimeout + time.Second // the client's own timeout comes first
	if !s.deadline.IsZero() {
		d = min(d, time.Until(s.deadline))
	}
	t := time.NewTimer(d)
	defer t.Stop()
	timeout = t.C
	written := 0
	for _, p := range s.pend {
		if p.fut == nil {
			written = p.end
			continue
		}
		select {
		case <-p.fut.Ok():
			s.stats.acked.Add(uint64(p.end - written))
			written = p.end
		case err := <-p.fut.Err():
			return written, err
		case <-c.Closed:
			return written, nats.ErrConnectionClosed
		case <-timeout:
			return written, jetstream.ErrAsyncPublishTimeout
		case <-s.stop:
			return written, ErrInterrupted
		}
	}
	return written, nil
}

// fail books the written records and asks for a restart: the rest is sent
// again under the same ids.
func (s *Sink) fail(written, n int, err error) (int, error) {
	s.booked += uint64(written)
	s.failed, s.resend = true, n-written
	s.stats.failures.Add(1)
	s.disconnect()
	select {
	case <-s.stop:
		return written, err
	default:
	}
	return written, actors.Retry(fmt.Errorf("jetstream %s: %w", s.o.Stream, err))
}
