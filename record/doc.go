// Package record defines what flows through actorlog: the Record a handler
// sees, its Level on Python's scale, and the msgpack wire codec.
//
// # Records
//
// A Record is built once on the logging goroutine and never changes after it
// is posted; handlers copy it by value into their mailboxes. Attributes use
// slog's types (slog.Attr, slog.Value) so nothing is converted on the way in.
//
// # Levels
//
// Levels use Python's numbers (DEBUG 10 ... CRITICAL 50); FromSlog and
// Level.Slog convert to and from slog's scale, and AddLevelName registers
// custom names as Python's logging.addLevelName does.
//
// # Wire format
//
// AppendFrame writes a record as the frame Python's SocketHandler and
// DatagramHandler use (a 4-byte big-endian length, then the payload), with a
// msgpack map of Python's LogRecord attributes as the payload, so a Python
// receiver can call logging.makeLogRecord on it; AppendMsgpack writes the map
// alone. With a shared key, an HMAC-SHA256 tag follows the payload. A
// receiver reads frames with ReadFrame (bounded by a size limit, tag checked
// in constant time) and decodes them with DecodeMsgpack, which validates the
// structure with checkMsgpack before msgpack/v5 sees a byte, so no input can
// make it allocate without bound, recurse deeply or panic.
//
// This package imports nothing of actorlog's and nothing of protoactor's.
package record
