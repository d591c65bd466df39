// Package syslog is Python's logging.handlers.SysLogHandler as an actorlog
// sink, with what Python leaves out: RFC 5424 messages, RFC 6587 framing
// on TCP, TLS (RFC 5425), reconnection and a maximum message size.
//
// # Python's bytes by default
//
// The zero Options are SysLogHandler(): UDP to localhost:514, facility
// user. Each record is sent as Python sends it:
//
//	"<" PRI ">" + Ident + the formatted record + NUL
//
// with PRI = facility<<3 | priority, the priority found by the level's name
// as Python's mapPriority does (DEBUG 7, INFO 6, WARNING 4, ERROR 3, CRITICAL
// 2, any other name 4). Facilities and priorities take Python's names
// (ParseFacility, ParsePriority: "local0" to "local7", "authpriv", "ntp",
// "security", "console", "solaris-cron"...) or numbers; EncodePriority and
// MapPriority are Python's functions. The tests compare these bytes with
// Python's own handler over UDP, TCP and a Unix datagram socket.
//
// An Address is a host and port, or the path of a Unix socket ("/dev/log"):
// for a path with no Socktype, a datagram socket is tried, then a stream
// socket, and the type that connects is kept, as Python does.
//
// # Beyond Python
//
// Format FormatRFC5424 writes RFC 5424's header (a timestamp with
// microseconds and the zone's offset, HOSTNAME, APP-NAME, PROCID, MSGID),
// the record's attributes as one SD-ELEMENT (SDID; names sanitised to
// SD-NAMEs, nested groups joined with ".", '"', '\' and ']' escaped in
// values), then the formatted record.
//
// A stream socket delimits messages by Framing: FramingOctetCounting (RFC
// 6587's "LEN SP MSG", the default for RFC 5424 and TLS: nothing in a
// record can forge another), FramingLF (a line feed ends each message and
// line feeds inside one are written as "#012"), or FramingNone (Python's
// bytes, where only the NUL delimits: a receiver that splits on NUL or LF
// can be fooled by a record that holds one). TLS wraps the stream with the
// system's or CAFile's roots (RFC 5425).
//
// MaxMessageSize cuts a longer message at a UTF-8 boundary and drops the
// tail: the cut-off part is never sent as a message of its own. Invalid
// UTF-8 is written as U+FFFD.
//
// # Formatting
//
// The sink encodes its records itself (actors.Encoder): the handler's
// Formatter and Terminator do not reach it. Options.Formatter formats the
// text; a config file's handler formatter is passed there.
//
// # Failures
//
// As Python's constructor, New fails for an unknown host and for a refused
// TCP or TLS connection (ErrConnect); a Unix socket that is not there is
// no error. Afterwards:
//
//   - A stream (TCP, TLS, Unix) that fails is closed, and WriteBatch returns
//     the records not written whole with actors.Retry: the handler restarts
//     after its back-off and the next batch connects again and sends them.
//     A record torn by the failure is sent again whole on the new
//     connection. Python never reconnects a TCP socket.
//   - A Unix datagram socket that fails is reconnected and the message sent
//     once more, as Python does; if that fails too the back-off takes over,
//     so a journald restart is survived.
//   - A UDP datagram the network refuses is dropped alone and counted
//     (ReasonTooLarge for EMSGSIZE, else ReasonSendError): one attempt per
//     record, never a loop.
//
// Timeout bounds each connect and write. A drain with a deadline
// (Engine.Shutdown) bounds them too (Deadliner), and Interrupt cuts a
// write still blocked when it passes.
//
// Because a stream may wait out a back-off of up to 30 s, the handler of a
// stream or Unix sink drops records when its mailbox is full instead of
// blocking its callers (actors.Defaulter); give its Mailbox Overflow Block
// with a BlockTimeout to block. UDP keeps the Block default.
//
// # Python parity
//
// Kept: the address, facility and socktype parameters and their defaults,
// ident and append_nul (NoAppendNul), the priority and facility tables,
// the wire bytes, the exception text sent with the record, a Unix path
// tried as datagram then stream, Timeout as 3.14's timeout.
//
// Different: an inet stream reconnects after a failure (Python leaves it
// broken); the UDP socket is connected to the address resolved at New (as
// log/syslog's), so a port nobody listens on shows as counted send errors
// rather than silent loss, and a host's new address needs a new handler; the NUL is not appended where framing delimits messages; invalid
// UTF-8 (which a Python str cannot hold) is replaced.
//
// # Platforms
//
// UDP, TCP and TLS work everywhere. Unix sockets need a system with them
// (Unix; on Windows only stream sockets exist, and no syslog daemon
// listens on one by default).
package syslog
