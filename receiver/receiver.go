package receiver

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/engine"
	"github.com/actorlog/actorlog/internal/optcheck"
	"github.com/actorlog/actorlog/record"
)

// ErrInvalidOptions is wrapped by the errors of Options.Validate.
var ErrInvalidOptions = errors.New("receiver: invalid options")

// ErrClosed is returned by Close after the first call.
var ErrClosed = errors.New("receiver: closed")

// The receiver types.
const (
	TCP  = "tcp"  // length-prefixed frames over TCP (Python's SocketHandler)
	UDP  = "udp"  // one frame per datagram (Python's DatagramHandler)
	Unix = "unix" // length-prefixed frames over a Unix stream socket (SocketHandler with port None)
	HTTP = "http" // Python's HTTPHandler form posts, and JSON arrays of records
)

// Bounds of the options (see Options).
const (
	MaxFrameLimit     = 64 << 20
	MaxConnsLimit     = 1 << 16
	DefaultMaxConns   = 256
	DefaultReadTime   = 30 * time.Second
	DefaultIdleTime   = 10 * time.Minute
	DefaultAckEvery   = 4096
	MaxAckEveryLimit  = 1 << 20
	DefaultNewLoggers = 1000
	MaxNewLoggers     = 1 << 20
	MaxTimeout        = 24 * time.Hour
)

// Options configure a receiver. The zero value, with Type and Listen set,
// works.
type Options struct {
	// Type is tcp, udp, unix or http (a config's "type" key chooses it).
	Type string
	// Listen is "host:port" for tcp, udp and http (port 0 picks one), or
	// the socket's path for unix.
	Listen string `config:"listen"`
	// MaxFrame is the largest frame (tcp, unix, udp) or request body (http)
	// accepted, in bytes, checked before it is read; 0 means
	// record.DefaultFrameLimit (1 MiB); at most MaxFrameLimit (64 MiB).
	MaxFrame int `config:"maxFrame"`
	// Key is the shared HMAC-SHA256 key of the frames ("" for none: Python's
	// framing). With a key, a frame whose tag fails is counted (bad_tag)
	// and its connection closed. Not for http.
	Key string `config:"key"`
	// MaxConnections bounds the connections open at once (tcp, unix, http);
	// one more is closed at once and counted (max_connections). 0 means
	// DefaultMaxConns (256); at most MaxConnsLimit.
	MaxConnections int `config:"maxConnections"`
	// ReadTimeout bounds how long a frame (an HTTP request) may take to
	// arrive once its first byte has; 0 means 30 s; at most MaxTimeout
	// (24 h).
	ReadTimeout time.Duration `config:"readTimeout"`
	// IdleTimeout closes a connection that sends nothing for this long; 0
	// means 10 min; at most MaxTimeout (24 h).
	IdleTimeout time.Duration `config:"idleTimeout"`
	// AckEvery is how many frames an acknowledging connection handles at
	// most before it asks its handlers for an acknowledgement; it also asks
	// whenever it has read all the sender has sent so far. 0 means 4096.
	AckEvery int `config:"ackEvery"`
	// NewLoggers bounds how many loggers the receiver creates for record
	// names the engine does not have yet (Python's getLogger); past it a
	// record goes to its nearest existing ancestor, which handles it the
	// same way. 0 means 1000; at most MaxNewLoggers.
	NewLoggers int `config:"newLoggers"`
	// Clock times the deadlines; nil means clock.System().
	Clock clock.Clock
}

// Validate reports every problem of o.
func (o Options) Validate() error {
	p := optcheck.New(ErrInvalidOptions)
	switch o.Type {
	case TCP, UDP, HTTP:
		if o.Listen == "" {
			p.Addf("Listen", `want "host:port"`)
		} else if _, _, err := net.SplitHostPort(o.Listen); err != nil {
			p.Addf("Listen", `want "host:port", got %q`, o.Listen)
		}
	case Unix:
		if o.Listen == "" {
			p.Addf("Listen", "want the socket's path")
		}
	default:
		p.Addf("Type", "want tcp, udp, unix or http, got %q", o.Type)
	}
	if o.MaxFrame < 0 || o.MaxFrame > MaxFrameLimit {
		p.Addf("MaxFrame", "must be 0 to %d (64 MiB) (got %d)", MaxFrameLimit, o.MaxFrame)
	}
	if o.Key != "" && o.Type == HTTP {
		p.Addf("Key", "frames of an http receiver carry no tag")
	}
	if o.MaxConnections < 0 || o.MaxConnections > MaxConnsLimit {
		p.Addf("MaxConnections", "must be 0 to %d (got %d)", MaxConnsLimit, o.MaxConnections)
	}
	if o.ReadTimeout < 0 || o.ReadTimeout > MaxTimeout {
		p.Addf("ReadTimeout", "must be 0 to 24h (got %v)", o.ReadTimeout)
	}
	if o.IdleTimeout < 0 || o.IdleTimeout > MaxTimeout {
		p.Addf("IdleTimeout", "must be 0 to 24h (got %v)", o.IdleTimeout)
	}
	if o.AckEvery < 0 || o.AckEvery > MaxAckEveryLimit {
		p.Addf("AckEvery", "must be 0 to %d (got %d)", MaxAckEveryLimit, o.AckEvery)
	}
	if o.NewLoggers < 0 || o.NewLoggers > MaxNewLoggers {
		p.Addf("NewLoggers", "must be 0 to %d (got %d)", MaxNewLoggers, o.NewLoggers)
	}
	return p.Err()
}

func (o *Options) fill() {
	o.MaxFrame = cmpOr(o.MaxFrame, record.DefaultFrameLimit)
	o.MaxConnections = cmpOr(o.MaxConnections, DefaultMaxConns)
	o.ReadTimeout = cmpOr(o.ReadTimeout, DefaultReadTime)
	o.IdleTimeout = cmpOr(o.IdleTimeout, DefaultIdleTime)
	o.AckEvery = cmpOr(o.AckEvery, DefaultAckEvery)
	o.NewLoggers = cmpOr(o.NewLoggers, DefaultNewLoggers)
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Receiver listens for records and hands each to the engine's logger of the
// record's name. Safe for concurrent use.
type Receiver struct {
	eng   *engine.Engine
	o     Options
	clk   clock.Clock
	key   *record.FrameKey
	name  string
	addr  net.Addr
	stats counters

	router   router
	sessions sessions

	ln     net.Listener   // tcp, unix, http
	pc     net.PacketConn // udp
	closer func() error   // the http server's Close

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
	slots  chan struct{} // one per open connection
	remove func()
}

// Listen starts a receiver of o.Type on o.Listen feeding eng: Bind, then
// Start. Its counters join eng's Stats. Close stops it; stop receivers
// before shutting the engine down, so that nothing arrives after its
// handlers drained.
func Listen(eng *engine.Engine, o Options) (*Receiver, error) {
	r, err := Bind(o)
	if err != nil {
		return nil, err
	}
	r.Start(eng)
	return r, nil
}

// Bind validates o and binds its address, without reading anything yet: a
// program binds its receivers before it opens its handlers' files, so that
// a busy port fails first. Start begins receiving; Close alone releases the
// address.
func Bind(o Options) (*Receiver, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o.fill()
	r := &Receiver{o: o, clk: clock.Or(o.Clock), conns: map[net.Conn]struct{}{},
		slots: make(chan struct{}, o.MaxConnections)}
	if o.Key != "" {
		r.key = record.NewFrameKey([]byte(o.Key))
	}
	var err error
	switch o.Type {
	case TCP, HTTP:
		r.ln, err = net.Listen("tcp", o.Listen)
	case Unix:
		r.ln, err = net.Listen("unix", o.Listen)
	case UDP:
		r.pc, err = net.ListenPacket("udp", o.Listen)
	}
	if err != nil {
		return nil, fmt.Errorf("receiver %s %s: %w", o.Type, o.Listen, err)
	}
	if r.ln != nil {
		r.addr = r.ln.Addr()
	} else {
		r.addr = r.pc.LocalAddr()
	}
	r.name = o.Type + " " + r.Addr()
	return r, nil
}

// Start begins handing what arrives to eng's loggers, once; the receiver's
// counters join eng's Stats.
func (r *Receiver) Start(eng *engine.Engine) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.eng != nil || r.closed {
		return
	}
	r.eng = eng
	r.router = router{eng: eng, budget: int64(r.o.NewLoggers)}
	switch r.o.Type {
	case TCP, Unix:
		r.wg.Go(r.acceptLoop)
	case UDP:
		r.wg.Go(r.udpLoop)
	case HTTP:
		r.startHTTP()
	}
	r.remove = eng.AddReceiverStats(r.Stats)
}

// Addr returns the address the receiver listens on ("127.0.0.1:9020", or
// the socket's path).
func (r *Receiver) Addr() string {
	if r.o.Type == Unix {
		return filepath.Clean(r.addr.String())
	}
	return r.addr.String()
}

// Type returns the receiver's type.
func (r *Receiver) Type() string { return r.o.Type }

// String is the receiver's type and address, "tcp 127.0.0.1:9020".
func (r *Receiver) String() string { return r.name }

// Close stops listening, closes every connection (what a connection was
// reading is lost; an acknowledging sender sends it again) and waits for the
// receiver's goroutines. Records already handed to loggers stay with their
// handlers. A second call returns ErrClosed.
func (r *Receiver) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return ErrClosed
	}
	r.closed = true
	for c := range r.conns {
		_ = c.Close()
	}
	r.mu.Unlock()
	var err error
	switch {
	case r.closer != nil:
		err = r.closer()
	case r.ln != nil:
		err = r.ln.Close()
	case r.pc != nil:
		err = r.pc.Close()
	}
	r.wg.Wait()
	if r.remove != nil {
		r.remove()
	}
	if err != nil && !isClosedErr(err) {
		return err
	}
	return nil
}

func isClosedErr(err error) bool {
	return errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "use of closed")
}

// track adds a connection to those Close closes; false when closed.
func (r *Receiver) track(c net.Conn) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	r.conns[c] = struct{}{}
	return true
}

func (r *Receiver) untrack(c net.Conn) {
	r.mu.Lock()
	delete(r.conns, c)
	r.mu.Unlock()
}

// Stats returns the receiver's counters.
func (r *Receiver) Stats() engine.ReceiverStats {
	s := r.stats.snapshot()
	s.Name = r.name
	return s
}

// counters are a receiver's statistics.
type counters struct {
	conns, frames, bytes, acks, acked, dups atomic.Uint64
	open                                    atomic.Int64
	rejected                                [numReasons]atomic.Uint64
}

func (c *counters) reject(why reason) { c.rejected[why].Add(1) }

func (c *counters) snapshot() engine.ReceiverStats {
	s := engine.ReceiverStats{
		Connections: c.conns.Load(), Open: c.open.Load(), Frames: c.frames.Load(), Bytes: c.bytes.Load(),
		AcksSent: c.acks.Load(), Acked: c.acked.Load(), Duplicates: c.dups.Load(),
		Rejected: make(map[string]uint64, numReasons),
	}
	for i := reasonTooLarge; i < numReasons; i++ {
		s.Rejected[reasonNames[i]] = c.rejected[i].Load()
	}
	return s
}

// reason is why a frame, request or connection was refused.
type reason int

// The rejection reasons, as the stats name them.
const (
	reasonNone        reason = iota // not refused
	reasonTooLarge                  // too_large: declared length over MaxFrame
	reasonBadTag                    // bad_tag: HMAC failed (connection closed)
	reasonMalformed                 // malformed: not a msgpack record, pickle or form
	reasonUnsupported               // unsupported: a pickle that names an object
	reasonTruncated                 // truncated: the connection ended inside a frame
	reasonTimeout                   // timeout: a frame did not arrive within ReadTimeout
	reasonIdle                      // idle: nothing for IdleTimeout (connection closed)
	reasonMaxConns                  // max_connections: one connection too many
	reasonNotWritten                // not_written: a handler dropped a record of an acknowledged window
	reasonBadRequest                // bad_request: an HTTP method or content type not understood
	reasonProtocol                  // protocol: an acknowledgement frame out of place
	numReasons
)

var reasonNames = [numReasons]string{
	"", "too_large", "bad_tag", "malformed", "unsupported", "truncated", "timeout", "idle",
	"max_connections", "not_written", "bad_request", "protocol",
}
