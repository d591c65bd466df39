package net

import (
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/internal/optcheck"
	"github.com/actorlog/actorlog/internal/tlsfiles"
	"github.com/actorlog/actorlog/record"
)

// Errors of the package's constructors and sinks; each returned error wraps
// one of them (test with errors.Is).
var (
	// ErrInvalidOptions reports option values that cannot work. Validate
	// joins one error per problem, each naming its field.
	ErrInvalidOptions = errors.New("net: invalid options")
	// ErrClosed is returned by a sink's WriteBatch after Close.
	ErrClosed = errors.New("net: sink closed")
	// ErrAckTimeout: with Ack, no acknowledgement advanced for AckTimeout
	// while frames were outstanding; the connection is dropped and the
	// frames are sent again on the next one.
	ErrAckTimeout = errors.New("net: acknowledgement timed out")
)

// Defaults and bounds of the options (see each field).
const (
	// DefaultTimeout is the connect timeout: Python's SocketHandler uses 1 s.
	DefaultTimeout = time.Second
	// DefaultWriteTimeout bounds one write (or one HTTP request).
	DefaultWriteTimeout = 10 * time.Second
	// DefaultAckTimeout is how long frames may wait for an acknowledgement.
	DefaultAckTimeout = 10 * time.Second
	// DefaultAckWindow is how many bytes of frames a handler keeps waiting
	// for acknowledgement before it waits itself: 4 MiB, about 13,000
	// records, several of a receiver's acks (one every 4096 frames at
	// most), and 80 MB/s over a 50 ms round trip. A larger window buys
	// nothing on a fast link and costs: a sender faster than its collector
	// keeps it full, every frame is copied into it and read again once it
	// left the cache, and a reconnect resends all of it. In
	// BenchmarkCollector (bench/, ack: true), going from 32 MiB to 4 MiB
	// took the CPU a record from 1.73 to 1.36 us and the throughput from
	// 1.08M to 1.36M records/s.
	DefaultAckWindow = 4 << 20
	// MaxAckWindow bounds AckWindow: the window is memory the handler holds.
	MaxAckWindow = 64 << 20
	// MaxFrameLimit bounds SocketOptions.MaxFrame: 64 MiB.
	MaxFrameLimit = 64 << 20
	// MaxTimeout bounds every timeout option.
	MaxTimeout = time.Hour
	// MaxUDPDatagram is the largest UDP payload IPv4 carries (65,535 minus
	// the IP and UDP headers): the default and the bound of
	// DatagramOptions.MaxSize.
	MaxUDPDatagram = 65507
)

// TLSOptions configure TLS for a Socket (with TLS set) or an HTTP sink (with
// Secure set). Verification is always on unless InsecureSkipVerify says
// otherwise, and a failed handshake is a failed connection: a sink never
// falls back to plain text.
type TLSOptions struct {
	// CAFile is a PEM file of the certificate authorities to trust; ""
	// means the system's roots (Python's cafile).
	CAFile string `config:"cafile"`
	// CertFile and KeyFile are a PEM client certificate and its key, for a
	// peer that asks for one (Python's load_cert_chain(certfile, keyfile));
	// both or neither.
	CertFile string `config:"certfile"`
	KeyFile  string `config:"keyfile"`
	// ServerName is the name the server's certificate must carry; ""
	// means the host name (a Unix socket needs it).
	ServerName string `config:"serverName"`
	// InsecureSkipVerify accepts any server certificate: for tests only,
	// never a default.
	InsecureSkipVerify bool `config:"insecureSkipVerify"`
	// Config, when set, is used as it is (cloned) and the fields above must
	// be empty: Python's context, for Go programs.
	Config *tls.Config
}

// set reports whether any field is set.
func (t TLSOptions) set() bool {
	return t.CAFile != "" || t.CertFile != "" || t.KeyFile != "" || t.ServerName != "" || t.InsecureSkipVerify || t.Config != nil
}

func (t TLSOptions) validate(p *optcheck.Errors) {
	if t.Config != nil && (t.CAFile != "" || t.CertFile != "" || t.KeyFile != "" || t.ServerName != "" || t.InsecureSkipVerify) {
		p.Addf("Config", "is used alone: leave CAFile, CertFile, KeyFile, ServerName and InsecureSkipVerify empty")
	}
	if (t.CertFile == "") != (t.KeyFile == "") {
		p.Addf("CertFile", "and KeyFile go together (got certfile %q, keyfile %q)", t.CertFile, t.KeyFile)
	}
}

// config builds the client's tls.Config for a server called host.
func (t TLSOptions) config(host string) (*tls.Config, error) {
	if t.Config != nil {
		c := t.Config.Clone()
		if c.ServerName == "" {
			c.ServerName = host
		}
		return c, nil
	}
	c := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: t.ServerName, InsecureSkipVerify: t.InsecureSkipVerify}
	if c.ServerName == "" {
		c.ServerName = host
	}
	if err := tlsfiles.Load(c, t.CAFile, t.CertFile, t.KeyFile); err != nil {
		return nil, fmt.Errorf("net: %w", err)
	}
	return c, nil
}

// SocketOptions configure a Socket sink (Python's SocketHandler). Host is
// required; the zero value of every other field is Python's behaviour.
type SocketOptions struct {
	// Host is the host name or address to connect to or, when Port is 0,
	// the path of a Unix stream socket.
	Host string `config:"host"`
	// Port is the TCP port, 1 to 65535; 0 (Python's None, port: null in a
	// config) means Host is a Unix socket path.
	Port int `config:"port"`
	// Timeout bounds a connect, TLS handshake included; 0 means
	// DefaultTimeout (1 s, Python's), at most MaxTimeout.
	Timeout time.Duration `config:"timeout"`
	// WriteTimeout bounds each write: a peer that stops reading (a
	// half-open connection once the buffers fill) fails the write, and the
	// handler reconnects. 0 means DefaultWriteTimeout (10 s), at most
	// MaxTimeout.
	WriteTimeout time.Duration `config:"writeTimeout"`
	// Key, when not empty, is the shared secret of HMAC-SHA256 tags after
	// each frame (record.FrameKey); the receiver must have the same key.
	Key string `config:"key"`
	// Ack asks an actorlog receiver to acknowledge what it wrote (see
	// "Acknowledgements" in the package doc). Not for Python receivers.
	Ack bool `config:"ack"`
	// AckTimeout, with Ack, is how long frames may be outstanding without
	// an acknowledgement advancing before the connection is given up.
	// 0 means DefaultAckTimeout (10 s), at most MaxTimeout.
	AckTimeout time.Duration `config:"ackTimeout"`
	// AckWindow, with Ack, is how many bytes of frames may wait for
	// acknowledgement; at the bound the handler waits for acks before it
	// sends more. 0 means DefaultAckWindow (4 MiB), at most MaxAckWindow
	// (64 MiB). A record's frame larger than the window is still sent,
	// alone.
	AckWindow int64 `config:"ackWindow"`
	// MaxFrame is the largest frame sent, tag included, in bytes: a record
	// that encodes larger is dropped (it would make the receiver close the
	// connection). 0 means record.DefaultFrameLimit (1 MiB, the receivers'
	// default limit), at most MaxFrameLimit (64 MiB).
	MaxFrame int `config:"maxFrame"`
	// TLS wraps the connection in TLS, configured by TLSOptions.
	TLS bool `config:"tls"`
	TLSOptions
	// Clock times the acknowledgement timeouts; nil means clock.System().
	Clock clock.Clock
}

// Validate reports every problem of o, each naming its field; the error
// wraps ErrInvalidOptions.
func (o SocketOptions) Validate() error {
	p := newProblems()
	validateAddr(p, o.Host, o.Port)
	validateTimeout(p, "Timeout", o.Timeout)
	validateTimeout(p, "WriteTimeout", o.WriteTimeout)
	validateTimeout(p, "AckTimeout", o.AckTimeout)
	if o.AckWindow < 0 || o.AckWindow > MaxAckWindow {
		p.Addf("AckWindow", "must be 0 to %d bytes (got %d)", MaxAckWindow, o.AckWindow)
	}
	if o.MaxFrame < 0 || o.MaxFrame > MaxFrameLimit {
		p.Addf("MaxFrame", "must be 0 to %d bytes (got %d)", MaxFrameLimit, o.MaxFrame)
	}
	if o.TLS && o.Port == 0 && o.ServerName == "" && !o.InsecureSkipVerify && o.Config == nil {
		p.Addf("ServerName", "is required for TLS over a Unix socket (the certificate is checked against it)")
	}
	if o.TLSOptions.set() && !o.TLS {
		p.Addf("TLS", "is off, but TLS options are set: set tls: true (no TLS option is ever ignored)")
	}
	o.TLSOptions.validate(p)
	return p.Err()
}

func newProblems() *optcheck.Errors { return optcheck.New(ErrInvalidOptions) }

func validateAddr(p *optcheck.Errors, host string, port int) {
	if host == "" {
		p.Addf("Host", "is required")
	}
	if port < 0 || port > 65535 {
		p.Addf("Port", "must be 1 to 65535, or 0 for a Unix socket (got %d)", port)
	}
}

func validateTimeout(p *optcheck.Errors, field string, d time.Duration) {
	if d < 0 || d > MaxTimeout {
		p.Addf(field, "must be 0 (the default) to %v (got %v)", MaxTimeout, d)
	}
}

// address returns the network and address to dial.
func address(host string, port int, stream bool) (network, addr string) {
	if port == 0 {
		if stream {
			return "unix", host
		}
		return "unixgram", host
	}
	n := "tcp"
	if !stream {
		n = "udp"
	}
	return n, joinHostPort(host, port)
}

func joinHostPort(host string, port int) string {
	if strings.Contains(host, ":") && !strings.HasPrefix(host, "[") {
		return fmt.Sprintf("[%s]:%d", host, port)
	}
	return fmt.Sprintf("%s:%d", host, port)
}

// frameKey returns the FrameKey of a secret, nil for none.
func frameKey(secret string) *record.FrameKey {
	if secret == "" {
		return nil
	}
	return record.NewFrameKey([]byte(secret))
}

func orDuration(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// Dest names where the sink sends, for banners and messages: "tcp
// host:port", "tls host:port" or "unix /path".
func (o SocketOptions) Dest() string {
	n, a := address(o.Host, o.Port, true)
	if o.TLS && n == "tcp" {
		n = "tls"
	}
	return n + " " + a
}

// Dest names where the sink sends: "udp host:port" or "unixgram /path".
func (o DatagramOptions) Dest() string {
	n, a := address(o.Host, o.Port, false)
	return n + " " + a
}

// Dest names where the sink sends: the URL, without credentials.
func (o HTTPOptions) Dest() string {
	scheme := "http://"
	if o.Secure {
		scheme = "https://"
	}
	return scheme + o.Host + o.URL
}
