package actors

import "github.com/actorlog/actorlog/record"

// Batch is one run of records a handler actor formatted and hands to its Sink
// in a single call.
//
// Ownership: the handler actor owns a Batch and reuses it for the next call;
// a Sink must not keep Buf, Ends or Records (or the records they point to)
// after WriteBatch returns. Copy what must outlive the call.
type Batch struct {
	// Buf holds the formatted records back to back, each followed by the
	// handler's terminator.
	Buf []byte
	// Ends[i] is the offset in Buf just past record i (and its terminator).
	Ends []int
	// Records[i] is the record that was formatted into Buf[Ends[i-1]:Ends[i]].
	Records []*record.Record
}

// Len returns the number of records in the batch.
func (b *Batch) Len() int { return len(b.Ends) }

// Record returns the bytes of record i, terminator included.
func (b *Batch) Record(i int) []byte {
	start := 0
	if i > 0 {
		start = b.Ends[i-1]
	}
	return b.Buf[start:b.Ends[i]]
}

// Reset empties the batch, keeping its storage.
func (b *Batch) Reset() {
	b.Buf = b.Buf[:0]
	b.Ends = b.Ends[:0]
	clear(b.Records)
	b.Records = b.Records[:0]
}

// Sink is where a handler actor puts formatted records: a file, a stream, a
// socket. A Sink lives as long as its handler, across actor restarts.
//
// All methods are called from the handler's actor, one call at a time, never
// concurrently, so a Sink needs no lock of its own.
type Sink interface {
	// WriteBatch writes the records of b in order and returns how many of them
	// were written whole (a prefix of the batch). A record is never left torn
	// on the destination with another record written after it.
	//
	// On an error, the records from written on were not written. By default the
	// handler reports the error (see ErrorHook), counts those records as
	// dropped, and goes on with the next batch. A Sink that wants them retried
	// after a supervised restart (a socket that lost its peer) returns an error
	// wrapped with Retry.
	WriteBatch(b *Batch) (written int, err error)
	// Close flushes and releases the destination. It is called once, when the
	// handler stops; WriteBatch is never called after it.
	Close() error
}

// Flusher is a Sink that buffers: Flush is called at the end of each burst
// (when the handler's mailbox has nothing more queued), and before Close.
type Flusher interface {
	Flush() error
}

// Syncer is a Sink that can make what it wrote durable (fsync).
type Syncer interface {
	Sync() error
}

// Reopener is a Sink that can reopen its destination, for a file moved by
// logrotate (SIGHUP in the collector).
type Reopener interface {
	Reopen() error
}

// Resetter is a Sink that holds state a failure may have spoiled (a half-open
// connection). Reset is called when a new actor instance starts after a
// supervised restart, before it writes the batch that failed.
type Resetter interface {
	Reset() error
}
