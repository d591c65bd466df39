// Package receiver is the collector side of actorlog: receivers listen for
// records sent by other processes (actorlog's Socket, Datagram and HTTP
// handlers, and Python's SocketHandler, DatagramHandler and HTTPHandler;
// syslog daemons and any syslog sender) and hand each to the engine's
// logger of the record's name.
//
// # Where it sits
//
// DESIGN.md placed the receivers in actors/net beside the handlers that
// send to them. They live here, above package engine, because a receiver
// hands records to the engine's loggers, and a sink package (actors/...)
// must never import the engine: imports go one way. The bytes they share
// with the sending handlers (frames, hello and ack) come from package
// record and actors/net.
//
// # What a record goes through
//
// A frame becomes a record handed to the logger of its name as Python's
// cookbook receiver calls logger.handle(record): nothing if the logger is
// disabled, then its filters, then every handler along the propagate chain
// at the handler's own level (engine.Logger.Handle). The logger's level is
// not checked: the sender judged it. A name the engine has no logger for
// gets one (Python's getLogger), up to Options.NewLoggers per receiver;
// past that the record goes to its nearest existing ancestor, which handles
// it the same way, so a peer cannot grow the logger tree without bound.
//
// A stream connection (tcp, unix) hands its records on in runs: the
// consecutive records of one logger decoded from what one read brought, at
// most 128, with one hand-off per handler and run (engine.Logger.HandleBatch,
// the same as Handle for each record in order). A run is handed on before
// any read that may wait and before a window of acknowledgements is
// settled, so no record waits for more input; a jetstream receiver hands on
// each message's records the same way.
//
// # Accepted input
//
//   - tcp and unix: length-prefixed frames, Python's framing. The payload is
//     our msgpack record map (its structure checked as it is decoded, and
//     nothing of a frame that fails handed on: a record.Decoder per
//     connection, which shares text with the previous record) or the pickle
//     of Python's SocketHandler (pickle.dumps(dict, 1)), decoded by
//     internal/pickle, which understands only the opcodes a dict of plain
//     values needs and executes nothing: a pickle naming a class is refused
//     (unsupported).
//   - udp: one frame per datagram, length prefix included, as Python's
//     DatagramHandler sends it; a datagram whose length disagrees is
//     refused.
//   - http: Python's HTTPHandler, GET (the record in the query) or POST
//     (urlencoded), to any path; and POST of application/json, one record
//     object or an array of them, with the wire map's keys. HTTPHandler
//     sends the record's attributes as text: levelno, lineno, created and
//     the like are read back as numbers, "None" as nothing, and msg is
//     taken as it came (Python sends msg and args apart, unmerged).
//   - syslog: syslog messages over udp (one per datagram) or tcp, as
//     rsyslog, syslog-ng and Python's SysLogHandler send them; see below.
//
// # Syslog
//
// A syslog receiver (Type Syslog, Protocol tcp or udp) takes what a syslog
// daemon forwards. Over TCP a message is framed by RFC 6587: octet
// counting ("LEN SP MSG"; a LEN over MaxFrame is refused before anything
// of the message is read, and closes the connection) or a line ended by LF,
// or by NUL as Python's SysLogHandler ends its messages over TCP (a line
// over MaxFrame is skipped as it arrives and the next one read).
// FramingAuto, the default, decides per connection from its first byte: a
// digit means octet counting; otherwise the end of its first line, LF or
// NUL, ends all its lines, so that Python's messages may hold line feeds.
//
// A message is RFC 5424 when its PRI is followed by "1 ": TIMESTAMP (with
// fraction and offset), HOSTNAME, APP-NAME, PROCID, MSGID, STRUCTURED-DATA
// (with its \", \\ and \] escapes) and MSG (a BOM dropped). Anything else
// after a PRI is RFC 3164 as daemons and Python write it: an optional
// "Mmm dd hh:mm:ss" (or RFC 3339) TIMESTAMP and HOSTNAME, an optional TAG
// ("app:", "app[pid]:"; after a TIMESTAMP and HOSTNAME the first word, as
// rsyslog reads it), then the text. Python's bytes, "<PRI>" + ident +
// message + NUL, are read so: its ident is the tag. A trailing NUL or line
// end is dropped; invalid UTF-8 becomes U+FFFD.
//
// The record is named NamePrefix.<tag or APP-NAME> ("syslog.sshd"; the
// prefix alone without one). Its level is the severity read back as
// Python's mapPriority writes it (actors/syslog.PriorityLevel): emerg,
// alert and crit are CRITICAL, err ERROR, warning WARNING, notice and info
// INFO, debug DEBUG. Its time is the TIMESTAMP (now without one; a BSD
// TIMESTAMP is local time in the most recent year that fits). Its
// attributes are facility and severity (by name: "local3", "err"),
// hostname, appname, procid and msgid when present, and each
// structured-data parameter as sd.<SD-ID>.<PARAM-NAME>. A message without a
// PRI, or with a broken RFC 5424 header or structured data, is refused
// (malformed).
//
// # Limits
//
// The input is untrusted. A frame's declared length is checked against
// MaxFrame before it is read, and storage grows with the bytes that
// actually arrive; with a Key every frame's HMAC-SHA256 tag is checked and a
// bad one closes the connection; MaxConnections bounds the connections
// (one more is closed at once); ReadTimeout bounds a frame once begun and
// IdleTimeout a silent connection. Every refused frame, request or
// connection is counted by reason (Receiver.Stats, Engine.Stats): too_large,
// bad_tag, malformed, unsupported, truncated, timeout, idle,
// max_connections, not_written, bad_request, protocol. No input panics or
// makes a receiver hold more than a small multiple of MaxFrame per
// connection; fuzz targets keep it so.
//
// # Acknowledged delivery
//
// A sender that opens its connection with a hello (actors/net, Ack) is
// answered at once with an ack of 0, then with cumulative, batched acks: a
// window of frames ends when the receiver has read everything sent so far,
// or after AckEvery frames, and is acknowledged once every handler its
// records reached has written them (write(2) returned; after its flush,
// for a buffering handler: engine.Tracker). So a collector killed with
// SIGKILL loses no acknowledged record. A window in which a handler dropped
// a record is never acknowledged: the receiver closes the connection
// (not_written) and the sender sends again from its last acknowledgement.
// Frames the receiver refused count as dealt with. The receiver remembers
// each sending session's progress and counts frames sent again
// (Duplicates); a collector that was restarted has forgotten them, and only
// the sender counts its resends.
//
// # Python parity
//
// Python's own receiver is a recipe in the logging cookbook
// (LogRecordStreamHandler): it unpickles whatever it is sent, which runs
// code of the sender's choosing. This one decodes plain values only, bounds
// every length, and also speaks actorlog's msgpack frames, acknowledgements
// and HMAC keys.
//
// # Platforms
//
// unix receivers need Unix domain sockets (every Unix, and Windows 10 and
// later). The socket file is removed when the receiver closes.
package receiver
