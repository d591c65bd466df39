package net

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	stdnet "net"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// Socket sends records as frames over a TCP or Unix stream connection:
// Python's SocketHandler, with msgpack in place of pickle (see the package
// doc). It connects at the first batch; a failed connect or write returns an
// actors.Retry error, so the handler is restarted after its back-off and the
// records not yet written are sent on a new connection.
type Socket struct {
	o        SocketOptions
	network  string
	addr     string
	key      *record.FrameKey
	tlsConf  *tls.Config
	clk      clock.Clock
	maxFrame int
	session  [SessionSize]byte

	// mu guards what Interrupt touches from another goroutine.
	mu          sync.Mutex
	cur         *conn
	cancelDial  context.CancelFunc
	interrupted bool

	drainBy time.Time // a drain's deadline; zero for none
	closed  bool

	win          window    // with Ack: frames sent, not yet acknowledged
	lastProgress time.Time // with Ack: when the window last advanced (clock time)
	hello        []byte

	stats counters
}

var (
	_ actors.Sink        = (*Socket)(nil)
	_ actors.Encoder     = (*Socket)(nil)
	_ actors.Ticker      = (*Socket)(nil)
	_ actors.Deadliner   = (*Socket)(nil)
	_ actors.Interrupter = (*Socket)(nil)
	_ actors.Defaulter   = (*Socket)(nil)
)

// conn is one connection and, with Ack, the goroutine that reads its acks.
type conn struct {
	c     stdnet.Conn
	base  uint64 // with Ack: sequence number of the first frame after the hello
	sent  uint64 // record frames written on it
	count atomic.Uint64
	err   error         // why the reader stopped; written before done closes
	done  chan struct{} // closed when the reader stops (nil without Ack)
	wake  chan struct{} // a new ack or the reader stopped (buffered 1)
	loss  lossMarks     // without Ack
}

// NewSocket returns a Socket for o; it does not connect (Python's
// SocketHandler connects at the first record). The error wraps
// ErrInvalidOptions for bad options, or tells why TLS files could not be
// loaded.
func NewSocket(o SocketOptions) (*Socket, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	s := &Socket{o: o, key: frameKey(o.Key), clk: clock.Or(o.Clock), maxFrame: o.MaxFrame}
	if s.maxFrame == 0 {
		s.maxFrame = record.DefaultFrameLimit
	}
	s.o.Timeout = orDuration(o.Timeout, DefaultTimeout)
	s.o.WriteTimeout = orDuration(o.WriteTimeout, DefaultWriteTimeout)
	s.o.AckTimeout = orDuration(o.AckTimeout, DefaultAckTimeout)
	if s.o.AckWindow == 0 {
		s.o.AckWindow = DefaultAckWindow
	}
	s.network, s.addr = address(o.Host, o.Port, true)
	if o.TLS {
		host := o.Host
		if o.Port == 0 {
			host = ""
		}
		c, err := o.TLSOptions.config(host)
		if err != nil {
			return nil, err
		}
		s.tlsConf = c
	}
	if _, err := rand.Read(s.session[:]); err != nil {
		return nil, fmt.Errorf("net: making a session id: %w", err)
	}
	return s, nil
}

// HandlerDefaults: a Socket's handler does not block its callers while it
// waits out a back-off: its mailbox holds mailboxCapacity (16,384) records
// and then drops the newest (reason full). Set a mailbox overflow with a
// blockTimeout to block.
func (s *Socket) HandlerDefaults() actors.Defaults {
	return actors.Defaults{Mailbox: mailbox.Options{Capacity: mailboxCapacity, Overflow: mailbox.DropNewest}}
}

// mailboxCapacity is the network handlers' default mailbox capacity. It is
// what a handler holds while its peer is away, and also the depth at which
// a mailbox stands whenever its producers outrun the network: every record
// is then read about one capacity after it was written, from the cache
// or not: in BenchmarkCollector (bench/, unacked), going from 65,536 (a
// 24 MB ring) to 16,384 (6 MB) took 19% off the CPU a record and added 38%
// to the records a second; 4,096 took 33% off. 16,384 keeps a second or
// more of a busy service's records through the first reconnect.
const mailboxCapacity = 16384

// NetStats returns the sink's counters; safe for concurrent use.
func (s *Socket) NetStats() Stats { return s.stats.snapshot() }

// Addr returns the network and address the sink connects to.
func (s *Socket) Addr() (network, address string) { return s.network, s.addr }

// AppendRecord appends r as one frame (record.AppendFrame, tagged with
// Key). A frame over MaxFrame is an error: the record is dropped.
func (s *Socket) AppendRecord(dst []byte, r *record.Record) ([]byte, error) {
	n := len(dst)
	dst = record.AppendFrame(dst, r, s.key)
	if len(dst)-n-4 > s.maxFrame {
		return dst[:n], fmt.Errorf("net: a frame of %d bytes is over MaxFrame (%d)", len(dst)-n-4, s.maxFrame)
	}
	return dst, nil
}

// WriteBatch sends the batch's frames, connecting first when needed.
func (s *Socket) WriteBatch(b *actors.Batch) (int, error) {
	if s.closed {
		return 0, ErrClosed
	}
	if s.o.Ack {
		if err := s.pollAcks(); err != nil {
			s.disconnect()
			return 0, actors.Retry(err)
		}
	}
	if err := s.connect(); err != nil {
		return 0, actors.Retry(err)
	}
	if !s.o.Ack {
		return s.writePlain(b)
	}
	return s.writeAcked(b)
}

// writePlain writes the batch in one write, Python's stream.
func (s *Socket) writePlain(b *actors.Batch) (int, error) {
	c := s.cur
	c.loss.mark(c.sent)
	n, err := s.write(c, b.Buf)
	full := sort.SearchInts(b.Ends, n+1) // records whose last byte went out
	c.sent += uint64(full)
	c.loss.add(n)
	if err != nil {
		s.stats.possiblyLost.Add(c.loss.bound(c.sent, lossBytes(c.c)))
		s.disconnect()
		return full, actors.Retry(err)
	}
	return b.Len(), nil
}

// writeAcked writes the batch's frames as the window allows, keeping each
// until it is acknowledged.
func (s *Socket) writeAcked(b *actors.Batch) (int, error) {
	i := 0
	for i < b.Len() {
		start := 0
		if i > 0 {
			start = b.Ends[i-1]
		}
		// As many frames as fit in the window; at least one when it is empty.
		room := s.o.AckWindow - int64(s.win.bytes())
		j := i
		for j < b.Len() && int64(b.Ends[j]-start) <= room {
			j++
		}
		if j == i {
			if s.win.len() == 0 {
				j = i + 1
			} else {
				if err := s.waitAcks(); err != nil {
					s.disconnect()
					return i, actors.Retry(err)
				}
				continue
			}
		}
		c := s.cur
		n, err := s.write(c, b.Buf[start:b.Ends[j-1]])
		full := i
		for full < j && b.Ends[full]-start <= n {
			full++
		}
		if full > i {
			if s.win.len() == 0 {
				s.lastProgress = s.clk.Now()
			}
			s.win.add(b.Buf[start:b.Ends[full-1]], b.Ends[i:full], start)
			c.sent += uint64(full - i)
		}
		s.stats.unacknowledged.Store(uint64(s.win.len()))
		if err != nil {
			s.disconnect()
			return full, actors.Retry(err)
		}
		i = j
	}
	return b.Len(), nil
}

// write writes p with the write deadline; it returns the bytes written.
func (s *Socket) write(c *conn, p []byte) (int, error) {
	if err := c.c.SetWriteDeadline(s.deadline(s.o.WriteTimeout)); err != nil {
		return 0, err
	}
	n, err := c.c.Write(p)
	if err != nil {
		err = fmt.Errorf("net: writing to %s: %w", s.addr, err)
	}
	return n, err
}

// deadline returns now+d, or the drain's deadline when that is sooner.
func (s *Socket) deadline(d time.Duration) time.Time {
	t := time.Now().Add(d)
	if !s.drainBy.IsZero() && s.drainBy.Before(t) {
		t = s.drainBy
	}
	return t
}

// connect makes a connection when there is none: dial (and TLS handshake)
// within Timeout, then, with Ack, the hello and every frame of the window.
func (s *Socket) connect() error {
	if s.cur != nil {
		return nil
	}
	s.mu.Lock()
	if s.interrupted {
		s.mu.Unlock()
		return ErrClosed
	}
	ctx, cancel := context.WithDeadline(context.Background(), s.deadline(s.o.Timeout))
	s.cancelDial = cancel
	s.mu.Unlock()
	c, err := s.dial(ctx)
	s.mu.Lock()
	s.cancelDial = nil
	cancel()
	if err == nil && s.interrupted {
		c.Close()
		err = ErrClosed
	}
	if err != nil {
		s.mu.Unlock()
		s.stats.connectFailures.Add(1)
		return err
	}
	cn := &conn{c: c}
	s.cur = cn
	s.mu.Unlock()
	s.stats.connected()
	if !s.o.Ack {
		return nil
	}
	cn.base = s.win.first
	cn.done, cn.wake = make(chan struct{}), make(chan struct{}, 1)
	go cn.readAcks(s.key)
	s.hello = AppendHello(s.hello[:0], Hello{Session: s.session, Base: cn.base}, s.key)
	if _, err := s.write(cn, s.hello); err != nil {
		s.disconnect()
		return err
	}
	if s.win.len() > 0 {
		// Resend what the last connection left unacknowledged.
		n, err := s.write(cn, s.win.frames())
		if n > 0 {
			s.stats.resends.Add(uint64(s.win.len()))
		}
		cn.sent = uint64(s.win.len())
		s.lastProgress = s.clk.Now()
		if err != nil {
			s.disconnect()
			return err
		}
	}
	return nil
}

// dial connects, with TLS when configured.
func (s *Socket) dial(ctx context.Context) (stdnet.Conn, error) {
	var d stdnet.Dialer
	c, err := d.DialContext(ctx, s.network, s.addr)
	if err != nil {
		return nil, fmt.Errorf("net: connecting to %s: %w", s.addr, err)
	}
	if s.tlsConf == nil {
		return c, nil
	}
	tc := tls.Client(c, s.tlsConf)
	if err := tc.HandshakeContext(ctx); err != nil {
		c.Close()
		return nil, fmt.Errorf("net: TLS handshake with %s: %w", s.addr, err)
	}
	return tc, nil
}

// readAcks reads the connection's acks until it fails or closes.
func (c *conn) readAcks(key *record.FrameKey) {
	defer close(c.done)
	defer c.signal()
	r := NewAckReader(c.c, key)
	var last uint64
	for {
		n, err := r.Next()
		if err == nil && n < last {
			err = fmt.Errorf("%w: ack count went back from %d to %d", ErrProtocol, last, n)
		}
		if err != nil {
			c.err = err
			return
		}
		last = n
		c.count.Store(n)
		c.signal()
	}
}

func (c *conn) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// pollAcks releases the acknowledged frames of the window; its error says
// the connection failed (its reader stopped) or acked frames never sent.
func (s *Socket) pollAcks() error {
	c := s.cur
	if c == nil {
		return nil
	}
	n := c.count.Load()
	if n > c.sent {
		return fmt.Errorf("%w: %d frames acknowledged, %d sent", ErrProtocol, n, c.sent)
	}
	if k := s.win.release(c.base + n); k > 0 {
		s.stats.acknowledged.Add(uint64(k))
		s.stats.unacknowledged.Store(uint64(s.win.len()))
		s.lastProgress = s.clk.Now()
	}
	select {
	case <-c.done:
		if c.err != nil {
			return fmt.Errorf("net: connection to %s: %w", s.addr, c.err)
		}
	default:
	}
	return nil
}

// waitAcks waits until an acknowledgement advances the window, the
// connection fails, or AckTimeout passes (on the clock) without progress.
func (s *Socket) waitAcks() error {
	c := s.cur
	if c == nil {
		return errors.New("net: not connected")
	}
	timeout := make(chan struct{})
	t := s.clk.AfterFunc(s.o.AckTimeout, func() { close(timeout) })
	defer t.Stop()
	held := s.win.len()
	for {
		if err := s.pollAcks(); err != nil {
			return err
		}
		if s.win.len() < held || s.win.len() == 0 {
			return nil
		}
		select {
		case <-c.wake:
		case <-c.done:
		case <-timeout:
			s.stats.ackTimeouts.Add(1)
			return fmt.Errorf("%w: %d frames outstanding for %v", ErrAckTimeout, s.win.len(), s.o.AckTimeout)
		}
	}
}

// disconnect closes the connection and waits for its ack reader.
func (s *Socket) disconnect() {
	s.mu.Lock()
	c := s.cur
	s.cur = nil
	s.mu.Unlock()
	if c == nil {
		return
	}
	c.c.Close()
	if c.done != nil {
		<-c.done
	}
}

// TickInterval: with Ack, ticks check acknowledgement timeouts while frames
// are outstanding (four per AckTimeout).
func (s *Socket) TickInterval() time.Duration {
	if !s.o.Ack || s.closed || s.win.len() == 0 {
		return 0
	}
	return s.o.AckTimeout / 4
}

// Tick releases acknowledged frames and, when none came for AckTimeout (or
// the connection failed), drops the connection: the next batch reconnects
// and resends the window, or, on a quiet stream, the next tick does.
func (s *Socket) Tick(now time.Time) error {
	if !s.o.Ack || s.closed {
		return nil
	}
	err := s.pollAcks()
	if err == nil && s.cur != nil && s.win.len() > 0 && now.Sub(s.lastProgress) >= s.o.AckTimeout {
		s.stats.ackTimeouts.Add(1)
		err = fmt.Errorf("%w: %d frames outstanding for %v", ErrAckTimeout, s.win.len(), now.Sub(s.lastProgress))
	}
	if err != nil {
		s.disconnect()
		return err
	}
	if s.cur == nil && s.win.len() > 0 {
		// A quiet stream with frames to resend: one attempt per tick.
		return s.connect()
	}
	return nil
}

// SetDeadline bounds every later connect, write and acknowledgement wait
// by t (a drain's deadline).
func (s *Socket) SetDeadline(t time.Time) {
	s.drainBy = t
	if c := s.cur; c != nil {
		_ = c.c.SetDeadline(t)
	}
}

// Interrupt makes a blocked connect, write or wait return at once; the sink
// is closed from then on. Safe to call from any goroutine.
func (s *Socket) Interrupt() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.interrupted = true
	if s.cancelDial != nil {
		s.cancelDial()
	}
	if s.cur != nil {
		_ = s.cur.c.SetDeadline(time.Unix(1, 0))
	}
}

// Close closes the connection. With Ack it first tries, within AckTimeout
// (and the drain's deadline), to get the window acknowledged, reconnecting
// once if needed; what stays unacknowledged is left in
// Stats.Unacknowledged.
func (s *Socket) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	var err error
	if s.o.Ack && s.win.len() > 0 {
		err = s.settle()
	}
	s.disconnect()
	s.stats.unacknowledged.Store(uint64(s.win.len()))
	s.win.reset()
	return err
}

// settle waits for the window to be acknowledged, at most AckTimeout.
func (s *Socket) settle() error {
	if err := s.pollAcks(); err != nil {
		s.disconnect()
	}
	if err := s.connect(); err != nil {
		return fmt.Errorf("net: %d frames unacknowledged at close: %w", s.win.len(), err)
	}
	if s.drainBy.IsZero() || time.Until(s.drainBy) > s.o.AckTimeout {
		_ = s.cur.c.SetReadDeadline(time.Now().Add(s.o.AckTimeout))
	}
	for s.win.len() > 0 {
		if err := s.waitAcks(); err != nil {
			return fmt.Errorf("net: %d frames unacknowledged at close: %w", s.win.len(), err)
		}
	}
	return nil
}
