// Package record defines what flows through actorlog: the Record every
// handler sees, its Level on Python's scale, the Scope a logger binds, and
// the msgpack wire format in which records travel between processes.
//
// This package imports nothing of actorlog's and nothing of protoactor's, so
// a program that only sends or receives records needs nothing else.
//
// # Records
//
// A Record is one log event. It is built once, on the goroutine that logs,
// and never changes after it is posted; handlers copy it by value into their
// mailboxes and may read it on several goroutines at once. Attributes use
// slog's types (slog.Attr, slog.Value), so nothing is converted on the way
// in, and the first five are held inline, without an allocation:
//
//	r := record.Record{Time: time.Now(), Level: record.LevelWarning, Logger: "app.db", Message: "slow query"}
//	r.AddAttrs(slog.Int("ms", 1200))
//
// Attributes bound by a logger's WithAttrs and WithGroup live in a Scope,
// shared by every record logged through that logger. Record.Walk visits all
// of a record's attributes, the Scope's first, each with the group path it
// sits in; an encoder resolves LogValuers and leaves out what Skip says, as
// slog's handlers do. A formatter may keep what it derives from a Scope (its
// attributes already encoded) in the Scope itself, with Scope.StoreCache and
// Scope.Cached.
//
// The fields Python's LogRecord has beyond these (caller, thread, process,
// relativeCreated) come from Record.Caller, Record.Thread, Record.Process and
// Record.RelativeCreated: for a local record from its PC and this process,
// for a record received from elsewhere from its Origin.
//
// # Levels
//
// Levels use Python's numbers: DEBUG 10, INFO 20, WARNING 30, ERROR 40,
// CRITICAL 50, and any other integer as a custom level. FromSlog and
// Level.Slog convert to and from slog's scale; AddLevelName names a custom
// level as Python's logging.addLevelName does, and ParseLevel reads a name
// or a number, as Python's setLevel accepts them.
//
// # Wire format
//
// A record travels as the frame Python's SocketHandler and DatagramHandler
// send: a 4-byte big-endian length, then a msgpack map of Python's LogRecord
// attributes, so that a Python receiver can call logging.makeLogRecord on it.
// With a shared secret, a 32-byte HMAC-SHA256 tag of the map follows it,
// inside the length. Five functions and one type are the whole API:
//
//   - AppendFrame appends a record as a frame (a socket or datagram handler);
//   - AppendMsgpack appends the map alone, for transports that frame messages
//     themselves (a JetStream publisher);
//   - ReadFrame reads one frame from a stream, refusing a declared length over
//     its limit before it allocates, and checks the tag in constant time;
//   - DecodeMsgpack turns an untrusted payload into a Record in one pass
//     that checks the structure as it decodes, every count before anything
//     is made for it, so that no input can make it allocate without bound,
//     recurse deeply or panic, and a payload that fails gives nothing but
//     the error; every string is a slice of one copy of the payload;
//   - a Decoder does the same for a stream of payloads, read in place, with
//     no allocation per record (amortized): a text equal to the previous
//     record's in the same place is shared with it, and so is the Origin
//     while caller, thread and process stay the same (each record keeps its
//     own relativeCreated); other text and Origins share blocks. Payloads
//     in the layout AppendMsgpack writes are read straight through, each
//     key compared as a constant; at the first difference (a Python
//     sender's order, an extra key) the general loop takes over, so every
//     layout decodes to the same record and fails with the same error;
//   - a *FrameKey, from NewFrameKey, is the shared secret; nil means no tag.
//     One FrameKey is safe for concurrent use by every connection.
//
// A receiver's loop:
//
//	var buf []byte
//	for {
//		payload, err := record.ReadFrame(conn, buf, maxFrame, key)
//		if err != nil {
//			return err // io.EOF at a clean end; any other error: close the connection
//		}
//		buf = payload
//		r, err := record.DecodeMsgpack(payload)
//		if err != nil {
//			continue // count it: errors.Is(err, record.ErrBadRecord), ...
//		}
//		// log r
//	}
//
// Every error of the wire functions wraps one of ErrMalformed, ErrTooDeep,
// ErrBadRecord, ErrFrameTooLarge or ErrBadTag, so a receiver can count
// refusals by kind with errors.Is. After ErrFrameTooLarge or ErrBadTag the
// stream is out of step; after a DecodeMsgpack error it is not.
package record
