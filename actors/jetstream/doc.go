// Package jetstream is the JetStream handler: it publishes records to a
// NATS JetStream stream, from which a group of collectors (`actorlog serve`
// with a jetstream receiver, package receiver) takes them, each message by
// one collector. It is for the day one collector is not enough: the stream
// is replicated (R3 on a 3-node cluster), acknowledged and de-duplicated by
// a server operators already run, not by a protocol of ours.
//
// # What travels
//
// A message carries up to Options.BatchRecords records of one logger as our
// wire frames back to back (record.AppendFrame: a length, the msgpack map
// Python's SocketHandler sends, and with a Key an HMAC-SHA256 tag), so a
// receiver reads it as it reads a socket. Its subject is
// "<subjectPrefix>.<logger name>" ("logs.app.db"; the root logger is
// "logs.root"; a character a subject may not hold becomes "_"), so that a
// consumer may take a subtree ("logs.app.>"). BatchRecords 1 sends a
// message per record: simpler to read with other tools, some thirty
// times slower and costlier in CPU (see bench/).
//
// The payload is compressed in Snappy's block format, named by the header
// "Content-Encoding: snappy" (Options.Compression; "none" sends the frames
// as they are). A message of 1,024 frames shrinks about nine times, and
// every server of an R3 stream stores, replicates and delivers it: on one
// machine that halves the servers' CPU per record for a tenth of a
// microsecond of the handler's and the collector's.
//
// # Counters
//
// Sink.Stats, and SinkStats by name for Engine.Stats and /metrics
// (actorlog_handler_sink_total): connects, reconnects, messages,
// published (records sent, resends included), acknowledged, resends,
// failures.
//
// # Acknowledged, de-duplicated
//
// A batch is published asynchronously, at most Options.Window messages
// awaiting the stream's acknowledgement, and WriteBatch returns once they
// are acknowledged: a record is booked as written when the stream has it on
// its replicas. The messages of one batch are in flight together; the next
// batch goes out once they are acknowledged, since the handler books a
// batch when WriteBatch returns. Larger batches (the mailbox's MaxBatch,
// 4,096 by default here) put more messages in flight, but measured no
// faster: the path is bound by the CPU of the servers and the collectors. Each message carries a Nats-Msg-Id made of the sink's
// session, the number of records booked before its first, and its count:
// after a failure the records not acknowledged are published again under the
// same ids, and the stream drops those it had already stored (within its
// duplicate window, 2 min by default).
//
// # When the cluster is away
//
// The client does not reconnect on its own: a failed connect, publish or
// acknowledgement closes the connection and returns actors.Retry, so the
// handler's supervisor restarts it after its back-off (1 s doubling to 30 s
// by default, Python's SocketHandler schedule) and the batch is sent again.
// Meanwhile the records wait in the handler's mailbox under its overflow
// policy: by default (HandlerDefaults) 65,536 records, dropping the newest
// when full, counted, so that a program that logs never blocks on an absent
// cluster. At Shutdown, a deadline bounds connects and acknowledgement
// waits (Deadliner) and Interrupt closes a connection a call is blocked on.
//
// # The stream
//
// At its first connection (and each reconnection) the sink checks the
// stream: with CreateStream it is created when missing (subjects
// "<prefix>.>", Replicas, MaxAge, MaxBytes, DuplicateWindow, file storage)
// or updated; without, it must exist and take "<prefix>.>".
//
// # Python parity
//
// Python has no JetStream handler; the frames are those of its
// SocketHandler, so a Python program can read a message's records with
// struct and msgpack and rebuild each with logging.makeLogRecord.
//
// # Platforms
//
// Pure Go; the same on every platform the NATS client supports.
package jetstream
