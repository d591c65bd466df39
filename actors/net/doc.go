// Package net sends log records over the network, as Python's network
// handlers do. Its sinks are actors.Sink values that a handler actor owns:
//
//	Python's class (logging.handlers)  constructor   options
//	SocketHandler                      NewSocket     SocketOptions
//	DatagramHandler                    NewDatagram   DatagramOptions
//	HTTPHandler                        NewHTTP       HTTPOptions
//
// The package also defines the acknowledgement protocol that a Socket
// handler with Ack speaks to an actorlog receiver; the receivers themselves
// (the collector side of `actorlog serve`) import its helpers.
//
// A config file selects the sinks by Python's class names (short or
// logging.handlers.X) and sets their options by Python's parameter names
// (host, port, url, method, secure, credentials) and actorlog's own (ack,
// key, tls, cafile, timeout...); a Go program builds the options struct and
// hands the sink to engine.NewHandler.
//
// # Choosing a sink
//
//   - Socket writes frames to a TCP or Unix stream socket (Port 0, Python's
//     port None): to an actorlog collector (`actorlog serve`), with Ack for
//     acknowledged delivery, or to any receiver of Python's framing, which
//     reads msgpack instead of pickle (see the test receiver in testdata).
//   - Datagram sends each frame in one UDP or Unix datagram: cheap, and
//     lossy as UDP is.
//   - HTTP posts (or GETs) each record as Python's HTTPHandler does, for a
//     web service that already takes Python's form; with Batch, a JSON
//     array per batch.
//
// # Failures and the back-off
//
// The sinks connect lazily, at the first batch. A connect, TLS handshake or
// write that fails returns an error wrapped with actors.Retry: the handler
// actor is restarted after its supervision back-off (Python's 1 s doubling
// to 30 s by default) and writes the rest of the batch on a new
// connection. Meanwhile records wait in the handler's mailbox under its
// overflow policy. These sinks are actors.Defaulter: unless the handler's
// options say otherwise, the mailbox holds 16,384 records and then drops the
// newest (counted as full), so that callers are never blocked by a 30 s
// back-off; choose overflow block with a blockTimeout to wait instead.
//
// Timeouts bound every blocking call: Timeout the connect (1 s, Python's),
// WriteTimeout each write (10 s), so a peer that stops reading, or a
// half-open connection once its buffers are full, fails the write. A drain
// deadline (Engine.Shutdown) reaches a blocked connect, write or wait
// (actors.Deadliner and actors.Interrupter).
//
// NetStats reports each sink's connections and, with Ack, its frames:
// connects, reconnects, resends, acknowledged, and, without Ack, the frames
// possibly lost when a connection failed (bounded by the socket buffers).
// SinkStats gives the same counters by name, for engine stats and /metrics.
//
// # Python parity and differences
//
//   - Frames: the 4-byte big-endian length and payload of Python's
//     SocketHandler and DatagramHandler, with msgpack (record.AppendFrame)
//     where Python pickles; the map's keys are LogRecord's, so
//     logging.makeLogRecord rebuilds the record.
//   - While a Socket waits out its back-off, Python drops each record
//     silently; here the records wait in the mailbox and are sent after the
//     reconnect (within the mailbox's policy), and every loss is counted.
//   - After a failed send Python reconnects at the next record at once;
//     here every failure, of a connect or of a write, goes through the
//     back-off, so a peer that accepts and drops connections (a flapping
//     collector) never causes a reconnect storm.
//   - Python connects with a 1 s timeout and uses it for sends; here sends
//     have their own WriteTimeout.
//   - DatagramHandler is IPv4-only in Python; Datagram resolves the host as
//     Go does (IPv4 or IPv6). A frame too large for a datagram (65,507
//     bytes by default, MaxSize) is dropped whole and counted (too_large),
//     never cut; an ICMP refusal is counted (Stats.Refused) and the record
//     sent again once, never in a loop.
//   - HTTP builds the query or body exactly as Python's mapLogRecord and
//     urlencode (3.14's key order, taskName included; values as str()
//     renders them; args is "()" since the message is already merged). Group
//     attributes travel as dotted keys ("req.id"). Python ignores the
//     response; here 429 and 5xx are retried after the back-off and
//     Retry-After, and other 4xx drop the record, counted as http_<status>.
//     Python sends Basic credentials over plain HTTP; here that needs
//     AllowInsecureAuth. Python's context (an ssl.SSLContext) is TLSOptions:
//     cafile, certfile, keyfile, serverName, or a *tls.Config from Go.
//   - TLS (Socket with TLS, HTTP with Secure) verifies the server unless
//     InsecureSkipVerify is set; a failed handshake is a failed connect,
//     never a fall back to plain text. A key (Key) adds an HMAC-SHA256 tag to
//     every frame, Python's suggestion for trusting a socket's frames.
//
// # Platforms
//
// Unix stream and datagram sockets exist on Unix systems (and stream
// sockets on Windows 10 and later). Reading the socket buffer sizes that
// bound a possible loss needs Unix; elsewhere 16 MiB is assumed.
//
// # Acknowledgements
//
// Without acknowledgements a Socket handler writes exactly Python's stream:
// one frame per record, each a 4-byte big-endian length N and N bytes of
// payload (record.AppendFrame), so Python's own receivers work unchanged.
// With Ack, the handler and an actorlog receiver also exchange control
// frames on the same connection. A control frame is framed like a record
// (length prefix; with a shared key the payload is followed by its 32-byte
// HMAC-SHA256 tag and the length counts it, see record.AppendPayloadFrame),
// so one record.ReadFrame loop with one key reads both. What tells them
// apart is the first byte of the payload:
//
//	0x80-0x8f, 0xde, 0xdf    a msgpack map: a record (ours)
//	0x7d '}', 0x28 '(', ...  a pickle opcode: a record (Python's, protocol 0-1)
//	0x80 then 0x02-0x05      PROTO: a record (Python's pickle, protocol 2+;
//	                         a one-byte 0x80 payload is the empty msgpack map)
//	0x90-0x9f, 0xdc, 0xdd    a msgpack array: a control frame (IsControl)
//
// No pickle starts with a byte of the last row (those opcodes, MEMOIZE and
// FRAME, appear only after PROTO 4), and no record is an array.
//
// A control frame's payload is a msgpack array whose first element is a
// short string naming its kind. Two kinds exist.
//
// The hello, sender to receiver, the first frame of every connection opened
// with Ack (AppendHello writes it, ParseHello reads it):
//
//	offset  bytes                  meaning
//	0       00 00 00 2b            length: 43 (75 with a key: 43 + 32-byte tag)
//	4       94                     array of 4
//	5       a5 68 65 6c 6c 6f      "hello"
//	11      cf 00 .. 00 01         version, uint 64: 1
//	20      c4 10 <16 bytes>       session, bin 8 of 16 bytes
//	38      cf <8 bytes>           base, uint 64
//	[47     <32 bytes>             HMAC-SHA256(key, bytes 4..46), with a key]
//
// The session is random, made when the handler is created, and the same on
// every connection of that handler. The handler numbers its record frames
// 0, 1, 2... over the session; base is the number of the first record frame
// after this hello (0 on the first connection; after a reconnect, the first
// frame not yet acknowledged, from which the handler resends).
//
// The ack, receiver to sender (AppendAck writes it, AckReader reads a stream
// of them, ParseAck one payload):
//
//	offset  bytes                  meaning
//	0       00 00 00 0e            length: 14 (46 with a key)
//	4       92                     array of 2
//	5       a3 61 63 6b            "ack"
//	9       cf <8 bytes>           count, uint 64
//	[18     <32 bytes>             HMAC-SHA256(key, bytes 4..17), with a key]
//
// count is cumulative over the connection: the first count record frames
// after the hello are done with by every handler of the receiver they
// reached, which means each handler has written the record (write(2)
// returned; for a handler that buffers, its flush returned) or filtered it;
// a frame the receiver rejects (bad structure, not a record) counts too, so
// the count never stalls on bad input. The sender may then forget those
// frames, so a receiver killed with SIGKILL loses no acknowledged record.
// A record that a reached handler dropped (a full mailbox) is never
// acknowledged: actorlog's receivers close the connection instead, and the
// sender resends from its last acknowledged frame.
//
// The rules of the exchange:
//
//   - The receiver answers a valid hello at once with an ack of 0, which
//     tells the sender it speaks the protocol. A hello whose version it does
//     not speak, or any control frame it does not expect, closes the
//     connection.
//   - Acks are batched: the receiver sends one when its count has advanced,
//     not per record (actorlog's receivers: when they have read all the
//     input buffered, or every 4096 frames, once the handlers flushed), so
//     a sender waiting on a quiet stream is answered. Counts never decrease
//     and never exceed the frames received.
//   - The sender sends records without waiting for acks, keeping every frame
//     it sent until an ack covers it, up to a bound (SocketOptions.AckWindow):
//     when its window is full it waits for acks. If no ack advances within
//     SocketOptions.AckTimeout while frames are outstanding, or the connection
//     fails, it reconnects (after its back-off), sends a new hello with the
//     base of its first unacknowledged frame, and resends from there.
//   - A Socket books a record as written (engine stats) once write(2)
//     took its frame; acknowledgements release frames from the window.
//     NetStats says how many were acknowledged and how many still wait;
//     Close waits up to AckTimeout (and the drain's deadline) for the last
//     acks, reconnecting once if needed, and leaves what stays
//     unacknowledged in Stats.Unacknowledged.
//   - So a record may arrive twice (at-least-once): the sender counts its
//     resends, and a receiver that remembers the session knows that frames
//     numbered below the highest it has received (base + index in the
//     connection) are duplicates, and counts them.
//
// Encoders write numbers as uint 64 (0xcf) so that both frames have a fixed
// size; decoders accept any msgpack unsigned-integer form (a positive
// fixint, 0xcc, 0xcd, 0xce, 0xcf), so msgpack.packb(["ack", n]) in Python is
// a valid ack. Anything else (another array length, a kind other than the
// expected one, a session that is not a 16-byte bin 8, trailing bytes) is an
// error wrapping ErrProtocol.
package net
