package mail

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/internal/optcheck"
	"github.com/actorlog/actorlog/record"
)

// Errors returned by the constructor and the sink. Test for them with
// errors.Is.
var (
	// ErrInvalidOptions reports option values that cannot work (no
	// Mailhost, an address with a line break, a port out of range). Validate
	// joins one error per problem, each naming its field.
	ErrInvalidOptions = errors.New("mail: invalid options")
	// ErrNoStartTLS is returned when Secure asks for STARTTLS and the server
	// does not offer it: the mail is not sent in clear text.
	ErrNoStartTLS = errors.New("mail: server does not offer STARTTLS")
	// ErrAuthNeedsTLS is returned when Credentials would be sent in clear
	// text to a server that is not on the loopback interface: set Secure
	// (STARTTLS) or TLS.
	ErrAuthNeedsTLS = errors.New("mail: credentials need TLS")
	// ErrNoAuth is returned when the server offers neither AUTH PLAIN nor
	// AUTH LOGIN while Credentials are set.
	ErrNoAuth = errors.New("mail: server offers no AUTH PLAIN or LOGIN")
	// ErrRefused wraps the server's answer to a recipient it refused; a
	// record whose mail missed a recipient is counted under ReasonRefused.
	ErrRefused = errors.New("mail: recipient refused")
	// ErrRejected wraps a permanent (5xx) answer to a message the server
	// would not take; the record is counted under ReasonRejected.
	ErrRejected = errors.New("mail: message rejected")
)

// Reasons the sink gives Batch.Fail, as the stats count them.
const (
	// ReasonRefused counts records whose mail the server refused for at
	// least one recipient (a 5xx answer to RCPT TO).
	ReasonRefused = "refused"
	// ReasonRejected counts records whose mail the server refused whole
	// (a 5xx answer to MAIL FROM or to the message).
	ReasonRejected = "rejected"
)

// Defaults and bounds.
const (
	// DefaultTimeout is Python's SMTPHandler timeout.
	DefaultTimeout = 5 * time.Second
	// MaxTimeout bounds Timeout.
	MaxTimeout = time.Hour
	// DefaultDigestInterval is the digest interval when Capacity is above
	// 1 and Interval is 0.
	DefaultDigestInterval = time.Minute
	// DefaultDigestCapacity is the digest size when Interval is set and
	// Capacity is 0.
	DefaultDigestCapacity = 1000
	// MaxCapacity bounds Capacity: a digest is held in memory.
	MaxCapacity = 100000
	// MaxDigestBytes bounds the text of one digest: a digest that would
	// grow past it is sent first.
	MaxDigestBytes = 16 << 20
	// MaxRecipients bounds Toaddrs.
	MaxRecipients = 1000
)

// Options configures an SMTP sink (Python's SMTPHandler). Mailhost,
// Fromaddr and Toaddrs are required.
//
// The config tags name the keys of Python's SMTPHandler (mailhost, fromaddr,
// toaddrs, subject, credentials, secure, timeout) and actorlog's own (tls,
// cafile, capacity, interval). A list key given a single string takes it as
// a one-element list, as Python does for toaddrs.
type Options struct {
	// Mailhost is the server, Python's mailhost: [host] (port 25, or 465
	// with TLS) or [host, port].
	Mailhost []string `config:"mailhost,single"`
	// Fromaddr is the sender: the From header as written ("Ops
	// <ops@example.com>" or "ops@example.com") and, its address part, the
	// envelope sender.
	Fromaddr string `config:"fromaddr"`
	// Toaddrs are the recipients: each an envelope recipient, all of them
	// the To header, joined by "," as Python joins them. At most
	// MaxRecipients.
	Toaddrs []string `config:"toaddrs,single"`
	// Subject is the Subject header; SubjectFunc, when set, makes it per
	// record instead. Line breaks become spaces; non-ASCII text is
	// encoded (RFC 2047).
	Subject string `config:"subject"`
	// SubjectFunc is Python's getSubject(record): the subject of each
	// record's mail (of a digest, its first record's). nil means Subject.
	SubjectFunc func(r *record.Record) string
	// Credentials are [username, password] for AUTH (PLAIN when the server
	// offers it, else LOGIN). Unlike Python, they are never sent in clear
	// text except to a loopback server: set Secure or TLS.
	Credentials []string `config:"credentials"`
	// Secure, when not nil, asks for STARTTLS, which is then required: a
	// server that does not offer it gets no mail (ErrNoStartTLS). As
	// Python's, it may be empty ([]string{}, YAML []), or [keyfile,
	// certfile] for a client certificate. Unlike Python's, it applies with
	// or without Credentials, and the server's certificate is verified.
	Secure []string `config:"secure"`
	// TLS connects with TLS from the first byte (SMTPS, "implicit TLS";
	// port 465 by default) instead of STARTTLS.
	TLS bool `config:"tls"`
	// CAFile names a PEM file of the authorities that may sign the server's
	// certificate; "" means the system's (or TLSConfig's).
	CAFile string `config:"cafile"`
	// TLSConfig is the base of the TLS configuration (roots, client
	// certificates, minimum version); nil means the defaults. ServerName
	// defaults to the Mailhost host.
	TLSConfig *tls.Config
	// Timeout bounds each step of a session: the connection, each command
	// and its reply, the message. 0 means DefaultTimeout (5 s, Python's);
	// at most MaxTimeout.
	Timeout time.Duration `config:"timeout"`
	// Capacity, above 1, makes the sink a digest: one mail for every
	// Capacity records, or for what Interval gathered, whichever comes
	// first, and one at Close. 0 or 1 (with Interval 0) means one mail per
	// record, as Python. At most MaxCapacity.
	Capacity int `config:"capacity"`
	// Interval, with a digest, is the longest a record waits for its mail.
	// 0 means DefaultDigestInterval (1 min) when Capacity is above 1;
	// Interval alone makes a digest of at most DefaultDigestCapacity
	// records.
	Interval time.Duration `config:"interval"`
	// LocalName is the name sent with EHLO; "" means "localhost".
	LocalName string `config:"localname"`
	// Clock gives the Date header's time; nil means clock.System().
	Clock clock.Clock
}

// Validate reports every option that cannot work, each as an error that
// names its field and wraps ErrInvalidOptions.
func (o Options) Validate() error {
	p := optcheck.New(ErrInvalidOptions)
	switch {
	case len(o.Mailhost) == 0 || len(o.Mailhost) > 2:
		p.Addf("Mailhost", "want [host] or [host, port], got %d items", len(o.Mailhost))
	case o.Mailhost[0] == "" || strings.ContainsAny(o.Mailhost[0], "\r\n\x00 /"):
		p.Addf("Mailhost", "bad host %q", o.Mailhost[0])
	case len(o.Mailhost) == 2:
		if n, err := strconv.Atoi(o.Mailhost[1]); err != nil || n < 0 || n > 65535 {
			p.Addf("Mailhost", "port %q is not a number from 0 to 65535", o.Mailhost[1])
		}
	}
	if o.Fromaddr == "" {
		p.Addf("Fromaddr", "required")
	} else if err := checkAddress(o.Fromaddr); err != nil {
		p.Addf("Fromaddr", "%v", err)
	}
	if len(o.Toaddrs) == 0 {
		p.Addf("Toaddrs", "at least one recipient is required")
	} else if len(o.Toaddrs) > MaxRecipients {
		p.Addf("Toaddrs", "at most %d recipients, got %d", MaxRecipients, len(o.Toaddrs))
	}
	for i, a := range o.Toaddrs {
		if err := checkAddress(a); err != nil {
			p.Addf("Toaddrs", "item %d: %v", i, err)
		}
	}
	if len(o.Credentials) != 0 && len(o.Credentials) != 2 {
		p.Addf("Credentials", "want [username, password], got %d items", len(o.Credentials))
	}
	if len(o.Secure) == 1 || len(o.Secure) > 2 {
		p.Addf("Secure", "want [] or [keyfile, certfile], got %d items", len(o.Secure))
	}
	if o.TLS && o.Secure != nil {
		p.Addf("TLS", "TLS (implicit) and Secure (STARTTLS) exclude each other")
	}
	if o.Timeout < 0 || o.Timeout > MaxTimeout {
		p.Addf("Timeout", "must be from 0 to %v (got %v)", MaxTimeout, o.Timeout)
	}
	if o.Capacity < 0 || o.Capacity > MaxCapacity {
		p.Addf("Capacity", "must be from 0 to %d (got %d)", MaxCapacity, o.Capacity)
	}
	if o.Interval < 0 || o.Interval > 24*time.Hour {
		p.Addf("Interval", "must be from 0 to 24h (got %v)", o.Interval)
	}
	if strings.ContainsAny(o.LocalName, "\r\n\x00 ") {
		p.Addf("LocalName", "bad name %q", o.LocalName)
	}
	return p.Err()
}

// maxAddress bounds an address with its display name: RFC 5321 allows 256
// octets for the path, and a header line must stay within 998.
const maxAddress = 512

// checkAddress refuses what could break a header or an SMTP command: a line
// break, a NUL, non-ASCII text (which would need SMTPUTF8 or encoding), an
// empty address.
func checkAddress(a string) error {
	if strings.TrimSpace(a) == "" {
		return errors.New("empty address")
	}
	if len(a) > maxAddress {
		return fmt.Errorf("longer than %d octets", maxAddress)
	}
	for i := 0; i < len(a); i++ {
		if c := a[i]; c < ' ' && c != '\t' || c >= 0x7f {
			return fmt.Errorf("%q: only printable ASCII is allowed", a)
		}
	}
	if envelope(a) == "" {
		return fmt.Errorf("%q: no address", a)
	}
	return nil
}

// envelope returns the address part of a From or To value: what is between
// the last <...>, else the whole value trimmed (Python's getaddresses gives
// "me" for "me").
func envelope(a string) string {
	if i := strings.LastIndexByte(a, '<'); i >= 0 {
		if j := strings.IndexByte(a[i:], '>'); j > 0 {
			return strings.TrimSpace(a[i+1 : i+j])
		}
		return ""
	}
	a = strings.TrimSpace(a)
	if strings.ContainsAny(a, " <>") {
		return ""
	}
	return a
}

// Address returns the server's host:port, with the default port for the
// mode (25, or 465 with TLS); "" when Mailhost is empty.
func (o Options) Address() string {
	if len(o.Mailhost) == 0 {
		return ""
	}
	_, hp := o.addr()
	return hp
}

// addr returns host:port of Mailhost, with the default port for the mode.
func (o Options) addr() (host, hostport string) {
	host = o.Mailhost[0]
	port := 0
	if len(o.Mailhost) == 2 {
		port, _ = strconv.Atoi(o.Mailhost[1])
	}
	if port == 0 { // Python: a falsy port means 25
		port = 25
		if o.TLS {
			port = 465
		}
	}
	return host, net.JoinHostPort(host, strconv.Itoa(port))
}

func (o Options) timeout() time.Duration {
	if o.Timeout == 0 {
		return DefaultTimeout
	}
	return o.Timeout
}

// digest returns the digest's size and interval; 0, 0 without a digest.
func (o Options) digest() (int, time.Duration) {
	c, iv := o.Capacity, o.Interval
	if c <= 1 && iv == 0 {
		return 0, 0
	}
	if c == 0 {
		c = DefaultDigestCapacity
	}
	if iv == 0 {
		iv = DefaultDigestInterval
	}
	return c, iv
}
