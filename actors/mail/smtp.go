package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"sync"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/internal/tlsfiles"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
	"github.com/actorlog/actorlog/supervision"
)

// SMTP mails records: Python's SMTPHandler, one mail per record in its own
// session, or, with a digest (Options.Capacity, Options.Interval), one mail
// for many. See the package doc.
type SMTP struct {
	o        Options
	host     string // for TLS and the loopback check
	hostport string
	from     string // envelope sender
	to       string // the To header
	clock    clock.Clock
	tls      *tls.Config
	timeout  time.Duration

	capacity int           // digest size; 0 without a digest
	interval time.Duration // digest interval
	pending  []byte        // the digest's text so far
	count    int           // records in pending
	subject  string        // the digest's subject (its first record's)

	msg      []byte // reused message buffer
	deadline time.Time

	ctx    context.Context // cancelled by Interrupt and Close
	cancel context.CancelFunc
	mu     sync.Mutex // guards conn, for Interrupt
	conn   net.Conn
}

// Compile-time checks of the abilities SMTP has.
var (
	_ actors.Sink        = (*SMTP)(nil)
	_ actors.Ticker      = (*SMTP)(nil)
	_ actors.Deadliner   = (*SMTP)(nil)
	_ actors.Interrupter = (*SMTP)(nil)
	_ actors.Defaulter   = (*SMTP)(nil)
)

// New returns an SMTP sink after validating o and loading the TLS material
// it names (Secure's key pair, CAFile). It does not connect: each mail has
// a session of its own, as in Python.
func New(o Options) (*SMTP, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("smtp %v: %w", o.Mailhost, err)
	}
	s := &SMTP{o: o, clock: clock.Or(o.Clock), timeout: o.timeout()}
	s.host, s.hostport = o.addr()
	s.from = envelope(o.Fromaddr)
	s.to = strings.Join(o.Toaddrs, ",")
	s.capacity, s.interval = o.digest()
	if o.TLS || o.Secure != nil {
		cfg, err := tlsConfig(o, s.host)
		if err != nil {
			return nil, fmt.Errorf("smtp %v: %w", o.Mailhost, err)
		}
		s.tls = cfg
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

func tlsConfig(o Options, host string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if o.TLSConfig != nil {
		cfg = o.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	// Python's secure tuple is (keyfile, certfile).
	certFile, keyFile := "", ""
	if len(o.Secure) == 2 {
		keyFile, certFile = o.Secure[0], o.Secure[1]
	}
	if err := tlsfiles.Load(cfg, o.CAFile, certFile, keyFile); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidOptions, err)
	}
	return cfg, nil
}

// HandlerDefaults: a mail server may be away for a while and the back-off
// then holds the handler, so callers are not blocked by default (the
// mailbox drops the newest records, counted) and retries wait from 1 s up
// to 5 min, not to flood a server that answers 4xx.
func (s *SMTP) HandlerDefaults() actors.Defaults {
	return actors.Defaults{
		Mailbox:     mailbox.Options{Capacity: 1024, Overflow: mailbox.DropNewest},
		Supervision: supervision.Options{RetryMax: 5 * time.Minute},
	}
}

// WriteBatch mails each record (or adds it to the digest). A record whose
// recipients were all or partly refused is counted under ReasonRefused, a
// message the server refused under ReasonRejected; a lost connection, a
// timeout or a 4xx answer is retried after the handler's back-off from
// that record on.
func (s *SMTP) WriteBatch(b *actors.Batch) (int, error) {
	if s.capacity > 0 {
		return s.writeDigest(b)
	}
	for i := 0; i < b.Len(); i++ {
		err := s.send(s.subjectOf(b.Records[i]), b.Record(i))
		switch {
		case err == nil:
		case errors.Is(err, ErrRefused):
			b.Fail(i, ReasonRefused, err)
		case errors.Is(err, ErrRejected):
			b.Fail(i, ReasonRejected, err)
		case transient(err):
			return i, actors.Retry(err)
		default:
			return i, err
		}
	}
	return b.Len(), nil
}

func (s *SMTP) subjectOf(r *record.Record) string {
	if s.o.SubjectFunc != nil && r != nil {
		return s.o.SubjectFunc(r)
	}
	return s.o.Subject
}

// writeDigest adds the records to the digest, sending it when it is full.
// A digest the server will not take yet holds the records behind it
// (Retry); one it refuses for good is reported once the batch is taken.
func (s *SMTP) writeDigest(b *actors.Batch) (int, error) {
	var lost error
	for i := 0; i < b.Len(); i++ {
		text := b.Record(i)
		if s.count >= s.capacity || (s.count > 0 && len(s.pending)+len(text) > MaxDigestBytes) {
			if err := s.sendDigest(); err != nil && transient(err) {
				return i, actors.Retry(errors.Join(lost, err)) // the digest is kept and retried
			} else if err != nil {
				lost = errors.Join(lost, err)
			}
		}
		if s.count == 0 {
			s.subject = s.subjectOf(b.Records[i])
		}
		s.pending = append(s.pending, text...)
		if len(text) > 0 && text[len(text)-1] != '\n' && text[len(text)-1] != '\r' {
			s.pending = append(s.pending, '\n') // one record a line, whatever the terminator
		}
		s.count++
	}
	if s.count >= s.capacity {
		// Sent now; if that fails the digest is kept, and sent again at the
		// next tick or before the next record.
		lost = errors.Join(lost, s.sendDigest())
	}
	return b.Len(), lost
}

// sendDigest mails the digest. It is kept for another try after a
// transient failure, and dropped after a permanent one.
func (s *SMTP) sendDigest() error {
	if s.count == 0 {
		return nil
	}
	err := s.send(s.subject, s.pending)
	if err != nil && transient(err) {
		return fmt.Errorf("digest of %d records kept for the next try: %w", s.count, err)
	}
	n := s.count
	s.pending, s.count = s.pending[:0], 0
	if cap(s.pending) > 1<<20 {
		s.pending = nil
	}
	if err != nil {
		return fmt.Errorf("digest of %d records lost: %w", n, err)
	}
	return nil
}

// TickInterval is the digest interval while a digest waits, else 0.
func (s *SMTP) TickInterval() time.Duration {
	if s.count == 0 {
		return 0
	}
	return s.interval
}

// Tick sends the digest.
func (s *SMTP) Tick(time.Time) error { return s.sendDigest() }

// SetDeadline bounds every later session by t (a drain's deadline).
func (s *SMTP) SetDeadline(t time.Time) { s.deadline = t }

// Interrupt cuts short a session in progress: its connection's deadline is
// set in the past and a connect in progress is cancelled. Later sessions
// fail at once.
func (s *SMTP) Interrupt() {
	s.cancel()
	s.mu.Lock()
	if s.conn != nil {
		_ = s.conn.SetDeadline(time.Unix(1, 0))
	}
	s.mu.Unlock()
}

// Close sends what a digest holds and releases the sink.
func (s *SMTP) Close() error {
	err := s.sendDigest()
	s.cancel()
	return err
}

// stepDeadline is when the next step of a session must be done.
func (s *SMTP) stepDeadline() time.Time {
	d := time.Now().Add(s.timeout)
	if !s.deadline.IsZero() && s.deadline.Before(d) {
		d = s.deadline
	}
	return d
}

// send runs one SMTP session that mails text as a message.
func (s *SMTP) send(subject string, text []byte) (err error) {
	s.msg = appendMessage(s.msg[:0], s.o.Fromaddr, s.to, subject, s.clock.Now(), text)
	if cap(s.msg) > 1<<20 {
		defer func() { s.msg = nil }()
	}
	d := net.Dialer{Deadline: s.stepDeadline()}
	conn, err := d.DialContext(s.ctx, "tcp", s.hostport)
	if err != nil {
		return err
	}
	if s.o.TLS {
		conn = tls.Client(conn, s.tls)
	}
	s.mu.Lock()
	s.conn = conn
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.conn = nil
		s.mu.Unlock()
		conn.Close()
	}()
	if s.ctx.Err() != nil {
		return s.ctx.Err()
	}
	step := func() { _ = conn.SetDeadline(s.stepDeadline()) }
	step()
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return err
	}
	defer c.Close()
	step()
	if err := c.Hello(s.localName()); err != nil {
		return err
	}
	if s.o.Secure != nil {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return ErrNoStartTLS
		}
		step()
		if err := c.StartTLS(s.tls); err != nil {
			return err
		}
	}
	if len(s.o.Credentials) == 2 {
		step()
		if err := s.auth(c); err != nil {
			return err
		}
	}
	step()
	if err := c.Mail(s.from); err != nil {
		return rejected(err)
	}
	var refused []string
	for _, to := range s.o.Toaddrs {
		step()
		if err := c.Rcpt(envelope(to)); err != nil {
			if transient(err) {
				return err
			}
			refused = append(refused, fmt.Sprintf("%s: %v", envelope(to), err))
		}
	}
	if len(refused) == len(s.o.Toaddrs) {
		_ = c.Quit()
		return fmt.Errorf("%w: %s", ErrRefused, strings.Join(refused, "; "))
	}
	step()
	w, err := c.Data()
	if err != nil {
		return rejected(err)
	}
	step()
	if _, err := w.Write(s.msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return rejected(err)
	}
	step()
	_ = c.Quit() // the mail is accepted; a failed QUIT changes nothing
	if refused != nil {
		return fmt.Errorf("%w: sent to the others; %s", ErrRefused, strings.Join(refused, "; "))
	}
	return nil
}

func (s *SMTP) localName() string {
	if s.o.LocalName != "" {
		return s.o.LocalName
	}
	return "localhost"
}

// auth logs in with PLAIN when the server offers it, else LOGIN; never in
// clear text to a server off the loopback interface.
func (s *SMTP) auth(c *smtp.Client) error {
	if _, isTLS := c.TLSConnectionState(); !isTLS && !loopback(s.host) {
		return ErrAuthNeedsTLS
	}
	ok, mechs := c.Extension("AUTH")
	if !ok {
		return ErrNoAuth
	}
	user, pass := s.o.Credentials[0], s.o.Credentials[1]
	for _, m := range strings.Fields(strings.ToUpper(mechs)) {
		if m == "PLAIN" {
			return c.Auth(plainAuth{user: user, pass: pass})
		}
	}
	for _, m := range strings.Fields(strings.ToUpper(mechs)) {
		if m == "LOGIN" {
			return c.Auth(loginAuth{user: user, pass: pass})
		}
	}
	return ErrNoAuth
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// rejected marks a permanent (5xx) answer as ErrRejected; other errors are
// returned as they are.
func rejected(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 {
		return fmt.Errorf("%w: %w", ErrRejected, err)
	}
	return err
}

// transient reports whether err is worth a retry after a back-off: a 4xx
// answer, a network failure or a timeout. A 5xx answer, a certificate the
// client does not trust, missing STARTTLS or AUTH are not.
func transient(err error) bool {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code >= 400 && te.Code < 500
	}
	var cv *tls.CertificateVerificationError
	switch {
	case errors.As(err, &cv), errors.Is(err, ErrNoStartTLS), errors.Is(err, ErrAuthNeedsTLS),
		errors.Is(err, ErrNoAuth), errors.Is(err, ErrRefused), errors.Is(err, ErrRejected),
		errors.Is(err, context.Canceled):
		return false
	}
	return true
}

// plainAuth is AUTH PLAIN (RFC 4616). net/smtp's PlainAuth refuses a
// server without TLS unless it is named "localhost"; auth checks that
// itself, for 127.0.0.1 and ::1 as well.
type plainAuth struct{ user, pass string }

func (a plainAuth) Start(*smtp.ServerInfo) (string, []byte, error) {
	return "PLAIN", []byte("\x00" + a.user + "\x00" + a.pass), nil
}

func (a plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("mail: unexpected AUTH PLAIN challenge")
	}
	return nil, nil
}

// loginAuth is AUTH LOGIN, which Python's smtplib also speaks: the
// username and the password each in answer to a challenge.
type loginAuth struct{ user, pass string }

func (a loginAuth) Start(*smtp.ServerInfo) (string, []byte, error) {
	return "LOGIN", nil, nil
}

func (a loginAuth) Next(challenge []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	switch strings.ToLower(strings.TrimSpace(string(challenge))) {
	case "username:", "user name", "username":
		return []byte(a.user), nil
	case "password:", "password":
		return []byte(a.pass), nil
	}
	return nil, fmt.Errorf("mail: unexpected AUTH LOGIN challenge %q", challenge)
}
