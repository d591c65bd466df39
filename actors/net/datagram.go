package net

import (
	"context"
	"errors"
	"fmt"
	stdnet "net"
	"sync"
	"syscall"
	"time"

	"github.com/actorlog/actorlog/actors"
	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// Reasons a Datagram sink gives up a record alone (engine stats count them
// under these names).
const (
	// ReasonTooLarge: the record's frame is larger than one datagram may
	// carry; it is dropped whole, never cut into a broken frame.
	ReasonTooLarge mailbox.Reason = "too_large"
	// ReasonRefused: the datagram was refused twice in a row (ICMP port
	// unreachable reported on the send).
	ReasonRefused mailbox.Reason = "refused"
)

// DatagramOptions configure a Datagram sink (Python's DatagramHandler).
type DatagramOptions struct {
	// Host is the host name or address to send to or, when Port is 0, the
	// path of a Unix datagram socket.
	Host string `config:"host"`
	// Port is the UDP port, 1 to 65535; 0 (Python's None) means Host is a
	// Unix datagram socket path.
	Port int `config:"port"`
	// Key, when not empty, is the shared secret of HMAC-SHA256 tags after
	// each frame, as for a Socket.
	Key string `config:"key"`
	// MaxSize is the largest datagram sent, in bytes, length prefix and tag
	// included; a record whose frame is larger is dropped (reason
	// too_large). 0 means MaxUDPDatagram (65,507); at most MaxUDPDatagram.
	// For a Unix socket the kernel may refuse less; that is counted the same.
	MaxSize int `config:"maxSize"`
	// WriteTimeout bounds each send (a Unix datagram socket blocks when its
	// reader falls behind). 0 means DefaultWriteTimeout, at most MaxTimeout.
	WriteTimeout time.Duration `config:"writeTimeout"`
}

// Validate reports every problem of o; the error wraps ErrInvalidOptions.
func (o DatagramOptions) Validate() error {
	p := newProblems()
	validateAddr(p, o.Host, o.Port)
	if o.MaxSize < 0 || o.MaxSize > MaxUDPDatagram {
		p.Addf("MaxSize", "must be 0 (the default) to %d bytes (got %d)", MaxUDPDatagram, o.MaxSize)
	}
	validateTimeout(p, "WriteTimeout", o.WriteTimeout)
	return p.Err()
}

// Datagram sends each record as one datagram holding one frame, length
// prefix included: Python's DatagramHandler, with msgpack in place of
// pickle. UDP loses what the network loses, silently; the sink drops what
// it cannot send whole and counts what the network refuses.
type Datagram struct {
	o       DatagramOptions
	network string
	addr    string
	key     *record.FrameKey
	max     int

	mu          sync.Mutex // guards c and interrupted against Interrupt
	c           stdnet.Conn
	interrupted bool
	drainBy     time.Time
	closed      bool

	stats counters
}

var (
	_ actors.Sink        = (*Datagram)(nil)
	_ actors.Encoder     = (*Datagram)(nil)
	_ actors.Deadliner   = (*Datagram)(nil)
	_ actors.Interrupter = (*Datagram)(nil)
	_ actors.Defaulter   = (*Datagram)(nil)
)

// NewDatagram returns a Datagram for o; it opens its socket at the first
// batch.
func NewDatagram(o DatagramOptions) (*Datagram, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	d := &Datagram{o: o, key: frameKey(o.Key), max: o.MaxSize}
	if d.max == 0 {
		d.max = MaxUDPDatagram
	}
	d.o.WriteTimeout = orDuration(o.WriteTimeout, DefaultWriteTimeout)
	d.network, d.addr = address(o.Host, o.Port, false)
	return d, nil
}

// HandlerDefaults: as a Socket's, the mailbox drops the newest record when
// full rather than block callers while the sink waits out a back-off.
func (d *Datagram) HandlerDefaults() actors.Defaults {
	return actors.Defaults{Mailbox: mailbox.Options{Capacity: mailboxCapacity, Overflow: mailbox.DropNewest}}
}

// NetStats returns the sink's counters; safe for concurrent use.
func (d *Datagram) NetStats() Stats { return d.stats.snapshot() }

// Addr returns the network and address the sink sends to.
func (d *Datagram) Addr() (network, address string) { return d.network, d.addr }

// AppendRecord appends r as one frame (record.AppendFrame with Key).
func (d *Datagram) AppendRecord(dst []byte, r *record.Record) ([]byte, error) {
	return record.AppendFrame(dst, r, d.key), nil
}

// WriteBatch sends one datagram per record. A frame over MaxSize, or one
// the kernel says is too long (EMSGSIZE), is given up alone (too_large); a
// refused port (ICMP, reported on a later send) is counted in
// Stats.Refused and the record is sent again once, then given up
// (refused): the sink never reconnects or spins over it. Other errors (no
// socket at a Unix path, a send timeout) return Retry.
func (d *Datagram) WriteBatch(b *actors.Batch) (int, error) {
	if d.closed {
		return 0, ErrClosed
	}
	if err := d.open(); err != nil {
		return 0, actors.Retry(err)
	}
	start := 0
	for i, end := range b.Ends {
		frame := b.Buf[start:end]
		start = end
		if len(frame) > d.max {
			b.Fail(i, ReasonTooLarge, fmt.Errorf("net: a frame of %d bytes is over the datagram size %d", len(frame), d.max))
			continue
		}
		err := d.send(frame)
		if isRefused(err) {
			d.stats.refused.Add(1)
			if err = d.send(frame); isRefused(err) {
				d.stats.refused.Add(1)
				b.Fail(i, ReasonRefused, err)
				continue
			}
		}
		switch {
		case err == nil:
		case errors.Is(err, syscall.EMSGSIZE):
			b.Fail(i, ReasonTooLarge, err)
		default:
			d.closeConn()
			return i, actors.Retry(err)
		}
	}
	return b.Len(), nil
}

func (d *Datagram) send(frame []byte) error {
	t := time.Now().Add(d.o.WriteTimeout)
	if !d.drainBy.IsZero() && d.drainBy.Before(t) {
		t = d.drainBy
	}
	if err := d.c.SetWriteDeadline(t); err != nil {
		return err
	}
	if _, err := d.c.Write(frame); err != nil {
		return fmt.Errorf("net: sending to %s: %w", d.addr, err)
	}
	return nil
}

// isRefused reports an ICMP port unreachable surfacing on a send.
func isRefused(err error) bool { return err != nil && errors.Is(err, syscall.ECONNREFUSED) }

// open makes the socket: connected, so that the kernel reports refusals.
func (d *Datagram) open() error {
	if d.c != nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.interrupted {
		return ErrClosed
	}
	ctx, cancel := context.WithTimeout(context.Background(), DefaultTimeout)
	defer cancel()
	var dl stdnet.Dialer
	c, err := dl.DialContext(ctx, d.network, d.addr)
	if err != nil {
		d.stats.connectFailures.Add(1)
		return fmt.Errorf("net: opening a datagram socket to %s: %w", d.addr, err)
	}
	d.c = c
	d.stats.connected()
	return nil
}

func (d *Datagram) closeConn() {
	d.mu.Lock()
	c := d.c
	d.c = nil
	d.mu.Unlock()
	if c != nil {
		c.Close()
	}
}

// SetDeadline bounds later sends by t.
func (d *Datagram) SetDeadline(t time.Time) { d.drainBy = t }

// Interrupt makes a blocked send return at once; safe from any goroutine.
func (d *Datagram) Interrupt() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.interrupted = true
	if d.c != nil {
		_ = d.c.SetWriteDeadline(time.Unix(1, 0))
	}
}

// Close closes the socket.
func (d *Datagram) Close() error {
	d.closed = true
	d.closeConn()
	return nil
}
