package syslog

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/internal/tlsfiles"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// Reasons a record is dropped alone, counted in the handler's stats.
const (
	// ReasonTooLarge: a datagram the socket refused as too large
	// (EMSGSIZE). Set MaxMessageSize to cut such messages instead.
	ReasonTooLarge mailbox.Reason = "too_large"
	// ReasonSendError: a datagram the socket refused for another reason
	// (no route, a refused port): UDP errors are counted, never retried.
	ReasonSendError mailbox.Reason = "send_error"
)

// Syslog is Python's SysLogHandler as a sink, with RFC 5424, RFC 6587
// framing and RFC 5425 TLS beyond it. It encodes its records itself
// (actors.Encoder): Options.Formatter formats the text.
type Syslog struct {
	o        Options
	enc      encoder
	st       sockType // resolved; sockAuto for a Unix socket that never connected
	framing  string   // for stream sockets
	udpAddr  *net.UDPAddr
	tlsConf  *tls.Config
	wbuf     []byte
	ends     []int
	deadline time.Time
	closed   bool

	mu          sync.Mutex // guards conn, cancel and interrupted against Interrupt
	conn        net.Conn
	cancel      context.CancelFunc // of a connect in progress
	interrupted bool
}

// Compile-time checks of the abilities the handler actor looks for.
var (
	_ actors.Sink        = (*Syslog)(nil)
	_ actors.Encoder     = (*Syslog)(nil)
	_ actors.Resetter    = (*Syslog)(nil)
	_ actors.Deadliner   = (*Syslog)(nil)
	_ actors.Interrupter = (*Syslog)(nil)
	_ actors.Defaulter   = (*Syslog)(nil)
)

// New validates o and makes the sink. As Python's constructor, it resolves
// an inet address (an unknown host is an error) and connects a stream
// socket (a refused connection is an error wrapping ErrConnect); a Unix
// socket that does not connect is no error: each batch tries again.
func New(o Options) (*Syslog, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("syslog %s: %w", o.Address, err)
	}
	if o.Formatter == nil {
		o.Formatter = format.Default()
	}
	s := &Syslog{o: o}
	s.st, _ = parseSocktype(o.Socktype)
	if o.TLS {
		s.st = sockStream
	}
	if !o.Address.unix() && s.st == sockAuto {
		s.st = sockDgram
	}
	s.framing = o.Framing
	if s.framing == "" {
		s.framing = FramingNone
		if o.Format == FormatRFC5424 || o.TLS {
			s.framing = FramingOctetCounting
		}
	}
	s.enc = newEncoder(&s.o, s.framing)
	if o.TLS {
		c, err := tlsConfig(o)
		if err != nil {
			return nil, fmt.Errorf("syslog %s: %w", o.Address, err)
		}
		s.tlsConf = c
	}
	if o.Address.unix() {
		_ = s.connect() // Python swallows it; the next batch tries again
		return s, nil
	}
	if s.st == sockDgram {
		a, err := net.ResolveUDPAddr("udp", o.Address.hostPort())
		if err != nil {
			return nil, fmt.Errorf("syslog %s: %w: %w", o.Address, ErrConnect, err)
		}
		s.udpAddr = a
	}
	if err := s.connect(); err != nil {
		return nil, fmt.Errorf("syslog %s: %w", o.Address, err)
	}
	return s, nil
}

func newEncoder(o *Options, framing string) encoder {
	e := encoder{o: o, rfc5424: o.Format == FormatRFC5424, max: o.MaxMessageSize}
	e.facility, _ = ParseFacility(o.Facility)
	e.nul = !e.rfc5424 && !o.NoAppendNul && framing == FramingNone
	e.ident = validUTF8([]byte(o.Ident), 0)
	host := o.Hostname
	if host == "" {
		host, _ = os.Hostname()
	}
	e.host = sanitizeField(host, 255)
	app := o.AppName
	if app == "" && len(os.Args) > 0 {
		app = filepath.Base(os.Args[0])
	}
	e.app = sanitizeField(app, 48)
	e.procid = strconv.Itoa(os.Getpid())
	e.msgid = sanitizeField(o.MsgID, 32)
	switch o.SDID {
	case "":
		e.sdid = "attrs@32473"
	case "-":
	default:
		e.sdid = sanitizeField(o.SDID, 32)
	}
	return e
}

func tlsConfig(o Options) (*tls.Config, error) {
	if o.TLSConfig != nil {
		c := o.TLSConfig.Clone()
		if c.ServerName == "" {
			c.ServerName = o.Address.Host
		}
		return c, nil
	}
	c := &tls.Config{ServerName: o.ServerName, MinVersion: tls.VersionTLS12}
	if c.ServerName == "" {
		c.ServerName = o.Address.Host
		if c.ServerName == "" {
			c.ServerName = "localhost"
		}
	}
	if err := tlsfiles.Load(c, o.CAFile, o.CertFile, o.KeyFile); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidOptions, err)
	}
	return c, nil
}

// connect opens the socket: UDP is connected to the address resolved at
// New, which saves a route lookup per datagram and reports a refused port. A Unix socket of unknown type tries a datagram
// socket, then a stream socket, and keeps the type that connected.
func (s *Syslog) connect() error {
	if s.udpAddr != nil {
		c, err := net.DialUDP("udp", nil, s.udpAddr)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrConnect, err)
		}
		s.setConn(c)
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.mu.Lock()
	if s.interrupted {
		s.mu.Unlock()
		cancel()
		return fmt.Errorf("%w: interrupted", ErrConnect)
	}
	s.cancel = cancel
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.cancel = nil
		s.mu.Unlock()
		cancel()
	}()
	d := net.Dialer{Timeout: s.o.Timeout, Deadline: s.deadline}
	var c net.Conn
	var err error
	switch {
	case s.o.Address.unix():
		types := []sockType{s.st}
		if s.st == sockAuto {
			types = []sockType{sockDgram, sockStream}
		}
		for _, t := range types {
			network := "unixgram"
			if t == sockStream {
				network = "unix"
			}
			if c, err = d.DialContext(ctx, network, s.o.Address.Path); err == nil {
				s.st = t
				break
			}
		}
	case s.tlsConf != nil:
		td := tls.Dialer{NetDialer: &d, Config: s.tlsConf}
		c, err = td.DialContext(ctx, "tcp", s.o.Address.hostPort())
	default:
		c, err = d.DialContext(ctx, "tcp", s.o.Address.hostPort())
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrConnect, err)
	}
	s.setConn(c)
	return nil
}

func (s *Syslog) setConn(c net.Conn) {
	s.mu.Lock()
	s.conn = c
	if s.interrupted {
		_ = c.SetDeadline(time.Unix(1, 0))
	}
	s.mu.Unlock()
}

// drop closes the connection, so that the next batch makes a new one.
func (s *Syslog) drop() {
	s.mu.Lock()
	c := s.conn
	s.conn = nil
	s.mu.Unlock()
	if c != nil {
		_ = c.Close()
	}
}

// AppendRecord appends r's syslog message, without framing: this is what
// a datagram carries, and what a stream frames.
func (s *Syslog) AppendRecord(dst []byte, r *record.Record) ([]byte, error) {
	return s.enc.appendMessage(dst, r), nil
}

// WriteBatch sends the batch: a datagram per record, or the framed records
// in one write on a stream. A lost stream (or Unix socket) is dropped and
// the unwritten records returned with actors.Retry, so that the handler
// reconnects after its back-off and sends them again; a datagram the
// network refuses is counted alone (ReasonTooLarge, ReasonSendError).
func (s *Syslog) WriteBatch(b *actors.Batch) (int, error) {
	if s.closed {
		return 0, ErrClosed
	}
	if s.isInterrupted() {
		return 0, fmt.Errorf("syslog %s: interrupted", s.o.Address)
	}
	if s.current() == nil {
		if err := s.connect(); err != nil {
			return 0, s.retry(err)
		}
	}
	if s.st == sockDgram {
		return s.writeDatagrams(b)
	}
	return s.writeStream(b)
}

func (s *Syslog) current() net.Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conn
}

func (s *Syslog) isInterrupted() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.interrupted
}

// retry wraps err for a restart, unless the drain gave up on the sink.
func (s *Syslog) retry(err error) error {
	err = fmt.Errorf("syslog %s: %w", s.o.Address, err)
	if s.isInterrupted() {
		return err
	}
	return actors.Retry(err)
}

// writeDeadline applies Timeout and the drain's deadline to c.
func (s *Syslog) writeDeadline(c net.Conn) {
	var d time.Time
	if s.o.Timeout > 0 {
		d = time.Now().Add(s.o.Timeout)
	}
	if !s.deadline.IsZero() && (d.IsZero() || s.deadline.Before(d)) {
		d = s.deadline
	}
	if !s.isInterrupted() {
		_ = c.SetWriteDeadline(d)
	}
}

func (s *Syslog) writeDatagrams(b *actors.Batch) (int, error) {
	c := s.current()
	s.writeDeadline(c)
	for i := 0; i < b.Len(); i++ {
		msg := b.Record(i)
		var err error
		_, err = c.Write(msg)
		if err == nil {
			continue
		}
		if errors.Is(err, syscall.EMSGSIZE) {
			b.Fail(i, ReasonTooLarge, fmt.Errorf("syslog %s: %d-byte message: %w", s.o.Address, len(msg), err))
			continue
		}
		if s.udpAddr != nil {
			b.Fail(i, ReasonSendError, fmt.Errorf("syslog %s: %w", s.o.Address, err))
			continue
		}
		// A Unix datagram socket: as Python, reconnect and send once more;
		// then leave it to the back-off (journald restarting).
		s.drop()
		if cerr := s.connect(); cerr != nil {
			return i, s.retry(fmt.Errorf("%w (after %w)", cerr, err))
		}
		c = s.current()
		s.writeDeadline(c)
		if _, err = c.Write(msg); err != nil {
			s.drop()
			return i, s.retry(err)
		}
	}
	return b.Len(), nil
}

func (s *Syslog) writeStream(b *actors.Batch) (int, error) {
	c := s.current()
	buf := b.Buf
	ends := b.Ends
	if s.framing != FramingNone {
		s.wbuf = s.wbuf[:0]
		s.ends = s.ends[:0]
		for i := 0; i < b.Len(); i++ {
			s.wbuf = appendFrame(s.wbuf, b.Record(i), s.framing)
			s.ends = append(s.ends, len(s.wbuf))
		}
		buf, ends = s.wbuf, s.ends
	}
	s.writeDeadline(c)
	n, err := c.Write(buf)
	if cap(s.wbuf) > maxKeptBuffer {
		s.wbuf = nil
	}
	if err == nil {
		return b.Len(), nil
	}
	// Records written whole are done; the rest goes again on a new
	// connection (the torn one dies with this connection).
	k := 0
	for k < len(ends) && ends[k] <= n {
		k++
	}
	s.drop()
	return k, s.retry(err)
}

// maxKeptBuffer is the largest framing buffer kept between batches.
const maxKeptBuffer = 4 << 20

// Reset drops a connection a failure may have left half open; the next
// batch connects again.
func (s *Syslog) Reset() error {
	s.drop()
	return nil
}

// SetDeadline bounds every later connect and write by t (a drain's
// deadline).
func (s *Syslog) SetDeadline(t time.Time) {
	s.deadline = t
	if c := s.current(); c != nil {
		_ = c.SetWriteDeadline(t)
	}
}

// Interrupt cuts short a connect or write blocked past a drain's deadline.
// It is safe to call from any goroutine and does not block.
func (s *Syslog) Interrupt() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.interrupted = true
	if s.conn != nil {
		_ = s.conn.SetDeadline(time.Unix(1, 0))
	}
	if s.cancel != nil {
		s.cancel()
	}
}

// HandlerDefaults: a handler that may wait out a reconnect back-off (a
// stream or a Unix socket) drops new records when its mailbox is full
// rather than blocking its callers; UDP never waits and keeps Block.
func (s *Syslog) HandlerDefaults() actors.Defaults {
	if s.udpAddr != nil {
		return actors.Defaults{}
	}
	return actors.Defaults{Mailbox: mailbox.Options{Overflow: mailbox.DropNewest}}
}

// Close closes the socket. Nothing is written after it.
func (s *Syslog) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	s.mu.Lock()
	c := s.conn
	s.conn = nil
	s.mu.Unlock()
	if c != nil {
		return c.Close()
	}
	return nil
}

// Addr returns the destination.
func (s *Syslog) Addr() Address { return s.o.Address }
