package jetstream

import (
	"cmp"
	"errors"
	"strings"
	"time"

	"github.com/actorlog/actorlog/internal/optcheck"
)

// ErrInvalidOptions is wrapped by the errors of Options.Validate and New.
var ErrInvalidOptions = errors.New("jetstream: invalid options")

// Defaults and bounds of Options.
const (
	DefaultURL            = "nats://127.0.0.1:4222"
	DefaultSubjectPrefix  = "logs"
	DefaultStream         = "LOGS"
	DefaultWindow         = 4096
	MaxWindow             = 65536
	DefaultBatchRecords   = 1024
	MaxBatchRecords       = 65536
	DefaultConnectTimeout = 5 * time.Second
	DefaultAckTimeout     = 10 * time.Second
	MaxReplicas           = 5
	MaxTimeout            = time.Minute
	MaxDuplicateWindow    = 7 * 24 * time.Hour
	MaxAckTimeout         = time.Hour
	DefaultMaxMessage     = 1 << 20
)

// The values of Options.Compression.
const (
	// CompressSnappy compresses each message's payload in Snappy's block
	// format (Content-Encoding: snappy): the repeated keys of the frames
	// shrink a message about nine times, and each server of the stream
	// stores, replicates and delivers that much less.
	CompressSnappy = "snappy"
	// CompressNone sends the frames as they are.
	CompressNone = "none"
)

// ContentEncoding is the header that names a compressed message's encoding.
const ContentEncoding = "Content-Encoding"

// TLS is the client side of a TLS connection to the servers. The zero value
// means no TLS unless a server URL says tls://.
type TLS struct {
	// CA is a PEM file of the authorities that sign the servers'
	// certificates; "" means the system's.
	CA string `config:"tlsCA"`
	// Cert and Key are a PEM client certificate and its key, for servers
	// that verify clients; both or neither.
	Cert string `config:"tlsCert"`
	Key  string `config:"tlsKey"`
	// ServerName overrides the name checked in the server's certificate.
	ServerName string `config:"tlsServerName"`
}

// Enabled reports whether any TLS field is set.
func (t TLS) Enabled() bool { return t != TLS{} }

// Auth is how the client proves who it is; at most one of Token and
// Credentials.
type Auth struct {
	// Token is a server's authorization token.
	Token string `config:"token"`
	// Credentials is a NATS credentials file (a user JWT and its NKey seed).
	Credentials string `config:"credentials"`
}

// StreamOptions describe the stream the records go to. A handler and a
// receiver of one group must agree on them.
type StreamOptions struct {
	// Servers are the URLs of the cluster's servers (nats://host:port, or
	// tls://); a connection tries them in a random order. Default
	// DefaultURL.
	Servers []string `config:"servers"`
	// SubjectPrefix starts every subject: a record of logger "app.db" is
	// published to "<prefix>.app.db". Default "logs".
	SubjectPrefix string `config:"subjectPrefix"`
	// Stream is the JetStream stream's name. Default "LOGS".
	Stream string `config:"stream"`
	// CreateStream creates the stream when it does not exist, and updates
	// its replicas, age and size limits when they differ. Without it the
	// stream must exist and take "<prefix>.>"; start fails otherwise.
	CreateStream bool `config:"createStream"`
	// Replicas is the stream's replication factor when it is created: 1,
	// 3 or 5 for a cluster (at most 5). Default 1.
	Replicas int `config:"replicas"`
	// MaxAge drops stored messages older than this; 0 keeps them until
	// MaxBytes.
	MaxAge time.Duration `config:"maxAge"`
	// MaxBytes bounds the stream's storage, in bytes, dropping the oldest
	// messages; 0 means no bound.
	MaxBytes int64 `config:"maxBytes"`
	// DuplicateWindow is how long the server remembers message ids to drop
	// resent duplicates; 0 means the server's default (2 min); at most 7
	// days.
	DuplicateWindow time.Duration `config:"duplicateWindow"`
	// ConnectTimeout bounds one connection attempt and each stream check.
	// Default 5 s; at most 1 min.
	ConnectTimeout time.Duration `config:"connectTimeout"`

	Auth
	TLS
}

// Validate reports every problem of o, with the names of Go's fields.
func (o StreamOptions) Validate() error {
	p := optcheck.New(ErrInvalidOptions)
	o.Check(p)
	return p.Err()
}

// Check adds the problems of o to p, under the names of its promoted
// fields, for an options type that embeds StreamOptions.
func (o StreamOptions) Check(p *optcheck.Errors) {
	for i, s := range o.Servers {
		if s == "" || strings.ContainsAny(s, " \t\n") {
			p.Addf("Servers", "entry %d: want a URL such as nats://host:4222 (got %q)", i, s)
		}
	}
	if o.SubjectPrefix != "" && !validSubject(o.SubjectPrefix) {
		p.Addf("SubjectPrefix", "want dot-separated tokens without spaces, '*' or '>' (got %q)", o.SubjectPrefix)
	}
	if o.Stream != "" && strings.ContainsAny(o.Stream, " \t\n.*>/\\") {
		p.Addf("Stream", "a stream name has no spaces, '.', '*', '>', '/' or '\\' (got %q)", o.Stream)
	}
	if o.Replicas < 0 || o.Replicas > MaxReplicas {
		p.Addf("Replicas", "must be 0 to %d (got %d)", MaxReplicas, o.Replicas)
	}
	if o.MaxAge < 0 {
		p.Addf("MaxAge", "must not be negative (got %v)", o.MaxAge)
	}
	if o.MaxBytes < 0 {
		p.Addf("MaxBytes", "must not be negative (got %d)", o.MaxBytes)
	}
	if o.DuplicateWindow < 0 || o.DuplicateWindow > MaxDuplicateWindow {
		p.Addf("DuplicateWindow", "must be 0 to %v (got %v)", MaxDuplicateWindow, o.DuplicateWindow)
	}
	if o.ConnectTimeout < 0 || o.ConnectTimeout > MaxTimeout {
		p.Addf("ConnectTimeout", "must be 0 to %v (got %v)", MaxTimeout, o.ConnectTimeout)
	}
	if o.Token != "" && o.Credentials != "" {
		p.Addf("Token", "give a token or a credentials file, not both")
	}
	if (o.TLS.Cert == "") != (o.TLS.Key == "") {
		p.Addf("Cert", "a client certificate needs its key, and a key its certificate")
	}
}

// Fill returns o with its defaults in place of zero fields.
func (o StreamOptions) Fill() StreamOptions {
	if len(o.Servers) == 0 {
		o.Servers = []string{DefaultURL}
	}
	o.SubjectPrefix = cmp.Or(o.SubjectPrefix, DefaultSubjectPrefix)
	o.Stream = cmp.Or(o.Stream, DefaultStream)
	o.Replicas = cmp.Or(o.Replicas, 1)
	o.ConnectTimeout = cmp.Or(o.ConnectTimeout, DefaultConnectTimeout)
	return o
}

// Options configure a JetStream handler's sink. The zero value publishes to
// a server on 127.0.0.1:4222, stream LOGS (which must exist), subjects
// "logs.<logger name>".
type Options struct {
	StreamOptions
	// Key is a shared secret: each frame ends with its HMAC-SHA256 tag, as
	// a Socket handler's do, and a receiver with the same key refuses
	// frames without it. "" means no tag.
	Key string `config:"key"`
	// BatchRecords is the most records one message carries, as frames back
	// to back; 1 publishes a message per record. Default 1024; at most
	// 65,536. A message holds the records of one logger (its subject names
	// them) and is cut before it passes the server's maximum payload.
	BatchRecords int `config:"batchRecords"`
	// Window bounds the messages published and not yet acknowledged by the
	// stream; a batch waits for a free slot. Default 4096; at most 65,536.
	Window int `config:"window"`
	// AckTimeout bounds the wait for the stream's acknowledgement of a
	// message; a batch not acknowledged by then is sent again after a
	// restart. Default 10 s; at most 1 h.
	AckTimeout time.Duration `config:"ackTimeout"`
	// Compression is how a message's payload is compressed: "snappy"
	// (CompressSnappy, the default; the header Content-Encoding names it)
	// or "none" (CompressNone: the frames as they are, for readers that
	// know no Snappy).
	Compression string `config:"compression"`
}

// Validate reports every problem of o.
func (o Options) Validate() error {
	p := optcheck.New(ErrInvalidOptions)
	o.StreamOptions.Check(p)
	if o.BatchRecords < 0 || o.BatchRecords > MaxBatchRecords {
		p.Addf("BatchRecords", "must be 0 to %d (got %d)", MaxBatchRecords, o.BatchRecords)
	}
	if o.Window < 0 || o.Window > MaxWindow {
		p.Addf("Window", "must be 0 to %d (got %d)", MaxWindow, o.Window)
	}
	if o.AckTimeout < 0 || o.AckTimeout > MaxAckTimeout {
		p.Addf("AckTimeout", "must be 0 to %v (got %v)", MaxAckTimeout, o.AckTimeout)
	}
	switch o.Compression {
	case "", CompressSnappy, CompressNone:
	default:
		p.Addf("Compression", "want %q or %q (got %q)", CompressSnappy, CompressNone, o.Compression)
	}
	return p.Err()
}

// Fill returns o with its defaults in place of zero fields.
func (o Options) Fill() Options {
	o.StreamOptions = o.StreamOptions.Fill()
	o.BatchRecords = cmp.Or(o.BatchRecords, DefaultBatchRecords)
	o.Window = cmp.Or(o.Window, DefaultWindow)
	o.AckTimeout = cmp.Or(o.AckTimeout, DefaultAckTimeout)
	o.Compression = cmp.Or(o.Compression, CompressSnappy)
	return o
}

// validSubject reports whether s is a literal NATS subject: tokens separated
// by dots, none empty, no whitespace, no wildcards.
func validSubject(s string) bool {
	if s == "" || strings.ContainsAny(s, " \t\r\n*>") {
		return false
	}
	for tok := range strings.SplitSeq(s, ".") {
		if tok == "" {
			return false
		}
	}
	return true
}

// AppendSubject appends prefix.name to dst, the subject of a record of
// logger name: the root logger ("") is "root", and a character a subject may
// not hold (whitespace, '*', '>') or an empty token becomes '_'.
func AppendSubject(dst []byte, prefix, name string) []byte {
	dst = append(dst, prefix...)
	dst = append(dst, '.')
	if name == "" {
		return append(dst, "root"...)
	}
	tokStart := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch c {
		case ' ', '\t', '\r', '\n', '*', '>':
			c = '_'
		case '.':
			if tokStart {
				dst = append(dst, '_')
			}
			dst = append(dst, '.')
			tokStart = true
			continue
		}
		dst = append(dst, c)
		tokStart = false
	}
	if tokStart {
		dst = append(dst, '_')
	}
	return dst
}
