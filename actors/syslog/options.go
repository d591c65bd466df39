package syslog

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/actorlog/actorlog/format"
	"github.com/actorlog/actorlog/internal/optcheck"
)

// Errors returned by New and by the sink. Test for them with errors.Is.
var (
	// ErrInvalidOptions reports option values that cannot work (an unknown
	// facility, a bad address, TLS over UDP). Validate joins one error per
	// problem, each naming its field.
	ErrInvalidOptions = errors.New("syslog: invalid options")
	// ErrConnect reports a connection that could not be made: at New for an
	// inet stream (as Python's constructor raises), later when a lost
	// connection is made again.
	ErrConnect = errors.New("syslog: cannot connect")
	// ErrClosed is returned by WriteBatch after Close.
	ErrClosed = errors.New("syslog: sink closed")
)

// Bounds on the options a config may make huge.
const (
	// MaxMessageSizeLimit is the largest MaxMessageSize: 16 MiB.
	MaxMessageSizeLimit = 16 << 20
	// MinMessageSize is the smallest MaxMessageSize other than 0, room for
	// a PRI and an RFC 5424 header's NILVALUEs with some text.
	MinMessageSize = 64
	// MaxTimeout is the largest Timeout: 1 hour.
	MaxTimeout = time.Hour
)

// Format names, for Options.Format.
const (
	// FormatPython is Python's SysLogHandler: "<PRI>" + ident + the
	// formatted record (+ NUL). The default.
	FormatPython = "python"
	// FormatRFC5424 is RFC 5424's header, structured data from the record's
	// attributes, then the formatted record.
	FormatRFC5424 = "rfc5424"
)

// Framing names, for Options.Framing. They apply to stream sockets only; a
// datagram is a message.
const (
	// FramingNone writes messages back to back, as Python does (its NUL is
	// the only delimiter). The default for FormatPython without TLS.
	FramingNone = "none"
	// FramingOctetCounting prefixes each message with its length in bytes
	// and a space (RFC 6587 3.4.1, RFC 5425). The default for FormatRFC5424
	// and for TLS. No content can forge a message.
	FramingOctetCounting = "octet-counting"
	// FramingLF ends each message with a line feed (RFC 6587 3.4.2,
	// non-transparent framing). Line feeds inside a message are written as
	// "#012", as rsyslog escapes control characters, so that no record can
	// end early and forge another.
	FramingLF = "lf"
)

// Options configures a Syslog sink. The zero value is Python's
// SysLogHandler(): UDP to localhost:514, facility user, the exact bytes
// Python sends.
//
// The config tags name Python's parameters (address, facility, socktype,
// timeout) and its class attributes (ident, append_nul), then actorlog's
// own keys.
type Options struct {
	// Address is where messages go: a host and port ("localhost:514",
	// "[::1]:514"; a config may also write Python's list [localhost, 514])
	// or the path of a Unix socket ("/dev/log"). Empty means localhost:514.
	Address Address `config:"address"`
	// Facility is a name of Python's facility_names ("user", "daemon",
	// "local0" to "local7", "authpriv", "ntp", "security", "console",
	// "solaris-cron"...) or its number, 0 to 23. Empty means user.
	Facility string `config:"facility"`
	// Socktype is "dgram" (UDP; Python's SOCK_DGRAM) or "stream" (TCP;
	// SOCK_STREAM); "udp", "tcp", socket.SOCK_DGRAM, socket.SOCK_STREAM
	// and the ext:// forms are taken too. Empty means UDP for a host and
	// port, and for a Unix socket a datagram socket if one connects, else a
	// stream socket, as Python tries them. TLS needs a stream.
	Socktype string `config:"socktype"`
	// Timeout bounds each connect and each write (Python 3.14's timeout);
	// 0 means none, at most MaxTimeout.
	Timeout time.Duration `config:"timeout"`
	// Ident is put before the formatted record (Python's ident, as is:
	// "myapp[42]: "). In FormatRFC5424 it is not written; see AppName.
	Ident string `config:"ident"`
	// NoAppendNul leaves out the NUL Python writes after each message
	// (append_nul = False). The NUL is only written in FormatPython with
	// FramingNone.
	NoAppendNul bool `config:"noAppendNul"`

	// Format is FormatPython (the default, "") or FormatRFC5424.
	Format string `config:"format"`
	// Framing is how a stream socket delimits messages: FramingNone,
	// FramingOctetCounting or FramingLF. Empty means octet counting with
	// FormatRFC5424 or TLS, and none (Python's bytes) otherwise.
	Framing string `config:"framing"`
	// TLS wraps the stream in TLS (RFC 5425); it needs a host and port and
	// a stream socktype (implied when Socktype is empty), and implies octet
	// counting unless Framing says otherwise.
	TLS bool `config:"tls"`
	// CAFile is a PEM file of the certificate authorities that verify the
	// server with TLS; empty means the system's.
	CAFile string `config:"caFile"`
	// CertFile and KeyFile are a PEM client certificate and its key, for a
	// server that asks for one; both or neither.
	CertFile string `config:"certFile"`
	KeyFile  string `config:"keyFile"`
	// ServerName is the name the server's certificate must have; empty
	// means the address's host.
	ServerName string `config:"serverName"`
	// TLSConfig, when not nil, is used as it is (cloned) in place of
	// CAFile, CertFile, KeyFile and ServerName.
	TLSConfig *tls.Config
	// MaxMessageSize, when above 0, is the most bytes of one message
	// (from "<" to its end, without framing): a longer one is cut at a
	// UTF-8 boundary and its tail dropped, never sent as a message of its
	// own. 0 means no limit (a datagram too large to send is dropped and
	// counted, reason too_large). At least MinMessageSize and at most
	// MaxMessageSizeLimit.
	MaxMessageSize int `config:"maxMessageSize"`

	// Hostname is RFC 5424's HOSTNAME; empty means os.Hostname(). Bytes
	// outside printable US-ASCII become "_", and it is cut to 255.
	Hostname string `config:"hostname"`
	// AppName is RFC 5424's APP-NAME; empty means the program's base name.
	// Sanitised as Hostname, cut to 48.
	AppName string `config:"appName"`
	// MsgID is RFC 5424's MSGID; empty means "-" (none). Cut to 32.
	MsgID string `config:"msgid"`
	// SDID is the SD-ID of the structured data element that carries the
	// record's attributes; empty means "attrs@32473" (32473 is the
	// enterprise number RFC 5612 reserves for documentation: use your own).
	// "-" leaves the attributes out.
	SDID string `config:"sdID"`
	// UTC writes RFC 5424 timestamps in UTC ("Z") rather than with the
	// local offset.
	UTC bool `config:"utc"`

	// Formatter formats each record's text (the handler's Formatter is not
	// used: the sink encodes its records itself); nil means
	// format.Default(), Python's logging.Formatter(). A config's handler
	// formatter is passed here.
	Formatter format.Formatter
}

// Address is a syslog destination: a host and port, or a Unix socket path.
type Address struct {
	// Host and Port for UDP, TCP and TLS.
	Host string
	Port int
	// Path is a Unix socket's path; when set, Host and Port are unused.
	Path string
}

// ParseAddress reads "host:port", "[v6]:port" or a Unix socket path (any
// string with a "/" and no port, such as "/dev/log").
func ParseAddress(s string) (Address, error) {
	if s == "" {
		return Address{}, nil
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil || strings.Contains(host, "/") {
		if strings.Contains(s, "/") {
			return Address{Path: s}, nil
		}
		return Address{}, fmt.Errorf("address %q is neither host:port nor a socket path", s)
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 1 || p > 65535 {
		return Address{}, fmt.Errorf("address %q: port must be 1 to 65535", s)
	}
	return Address{Host: host, Port: p}, nil
}

// String returns "host:port" or the path.
func (a Address) String() string {
	if a.Path != "" {
		return a.Path
	}
	if a.Host == "" && a.Port == 0 {
		return "localhost:514"
	}
	return net.JoinHostPort(a.Host, strconv.Itoa(a.Port))
}

// UnmarshalText parses as ParseAddress.
func (a *Address) UnmarshalText(b []byte) error {
	v, err := ParseAddress(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// MarshalText returns String's text.
func (a Address) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalTextList reads Python's address tuple as a config list: [host,
// port].
func (a *Address) UnmarshalTextList(items []string) error {
	if len(items) != 2 {
		return fmt.Errorf("address list must be [host, port], got %d items", len(items))
	}
	p, err := strconv.Atoi(items[1])
	if err != nil || p < 1 || p > 65535 {
		return fmt.Errorf("address port %q must be 1 to 65535", items[1])
	}
	*a = Address{Host: items[0], Port: p}
	return nil
}

func (a Address) unix() bool { return a.Path != "" }

// hostPort is the inet address, with Python's default.
func (a Address) hostPort() string {
	h, p := a.Host, a.Port
	if h == "" {
		h = "localhost"
	}
	if p == 0 {
		p = 514
	}
	return net.JoinHostPort(h, strconv.Itoa(p))
}

// socktype values after parsing.
type sockType int

const (
	sockAuto sockType = iota
	sockDgram
	sockStream
)

func parseSocktype(s string) (sockType, bool) {
	switch strings.TrimPrefix(strings.TrimPrefix(s, "ext://"), "socket.") {
	case "":
		return sockAuto, true
	case "dgram", "udp", "SOCK_DGRAM", "2":
		return sockDgram, true
	case "stream", "tcp", "SOCK_STREAM", "1":
		return sockStream, true
	}
	return 0, false
}

// Validate reports every problem with o, each naming its field, joined and
// wrapping ErrInvalidOptions.
func (o Options) Validate() error {
	p := optcheck.New(ErrInvalidOptions)
	if _, err := ParseFacility(o.Facility); err != nil {
		p.Addf("Facility", "%v", err)
	}
	st, ok := parseSocktype(o.Socktype)
	if !ok {
		p.Addf("Socktype", "unknown socktype %q (want dgram or stream)", o.Socktype)
	}
	if o.Address.Path == "" && (o.Address.Port < 0 || o.Address.Port > 65535) {
		p.Addf("Address", "port must be 0 to 65535 (got %d)", o.Address.Port)
	}
	if o.Timeout < 0 || o.Timeout > MaxTimeout {
		p.Addf("Timeout", "must be 0 to %v (got %v)", MaxTimeout, o.Timeout)
	}
	switch o.Format {
	case "", FormatPython, FormatRFC5424:
	default:
		p.Addf("Format", "unknown format %q (want python or rfc5424)", o.Format)
	}
	switch o.Framing {
	case "", FramingNone, FramingOctetCounting, FramingLF:
	default:
		p.Addf("Framing", "unknown framing %q (want none, octet-counting or lf)", o.Framing)
	}
	if o.TLS {
		if o.Address.unix() {
			p.Addf("TLS", "needs a host and port, not a Unix socket")
		}
		if st == sockDgram {
			p.Addf("TLS", "needs a stream socktype (TLS over UDP is DTLS, not supported)")
		}
		if o.Framing == FramingNone {
			p.Addf("Framing", "RFC 5425 needs octet counting over TLS (got none)")
		}
	}
	if (o.CertFile == "") != (o.KeyFile == "") {
		p.Addf("CertFile", "certFile and keyFile go together")
	}
	if (o.CAFile != "" || o.CertFile != "" || o.ServerName != "" || o.TLSConfig != nil) && !o.TLS {
		p.Addf("TLS", "TLS settings are given but tls is off")
	}
	if o.MaxMessageSize != 0 && (o.MaxMessageSize < MinMessageSize || o.MaxMessageSize > MaxMessageSizeLimit) {
		p.Addf("MaxMessageSize", "must be 0 or %d to %d bytes (got %d)", MinMessageSize, MaxMessageSizeLimit, o.MaxMessageSize)
	}
	if strings.ContainsAny(o.SDID, " =]\"") {
		p.Addf("SDID", "an SD-ID has no space, '=', ']' or '\"' (got %q)", o.SDID)
	}
	return p.Err()
}
