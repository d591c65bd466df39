// Package mailbox is a bounded, counted queue of records in front of one
// protoactor actor. actorlog puts one in front of every handler; any
// protoactor user may put one in front of an actor of their own.
//
// # Why not protoactor's mailboxes
//
// protoactor's Bounded mailbox busy-waits when full and rounds its capacity
// up to a power of two; BoundedDropping spins forever after its first drop;
// Unbounded has no bound. This Mailbox holds exactly the configured number
// of records, makes a blocked producer sleep (for at most BlockTimeout),
// counts every record it refuses or loses, and hands the actor runs of
// records at once.
//
// # Use
//
// Make a mailbox with New, plug it into the props of the one actor it
// serves with actor.WithMailbox(m.Producer()), and Post records to it from
// any goroutine (PostAll posts a run of them under one lock). The actor receives *Batch[T] messages: it reads each
// record in place with At, books each one (Written, Filtered, or Fail with
// a reason), and calls Handled. Everything else sent to the actor's PID
// (Poison, requests, your own control messages) is delivered as usual, in
// order with the records. The Example shows a whole actor, restarted by a
// supervision.Backoff.
//
// # Flow
//
// Post copies the record into a ring slot under a short lock. The first
// record after an idle spell schedules the actor on protoactor's
// dispatcher; the actor then receives batches (runs of up to MaxBatch
// records) until the queue is empty. Batch.More tells the actor whether the
// burst goes on, so that it flushes once at its end. A message sent to the
// actor's PID queues behind the records posted before it, so "flush" or
// "drain" means "after everything so far"; protoactor's system messages
// (Stop, restarts) overtake the queue.
//
// If the actor panics on a batch, the mailbox keeps the batch and hands it,
// with what was booked and Done, to the restarted actor. If the actor has
// stopped, the batch comes back without Handled and its records are counted
// as dropped at shutdown.
//
// # Bounds and memory
//
// Capacity (at most CapacityLimit), MaxBatch (at most MaxBatchLimit) and
// BlockTimeout (at most BlockTimeoutLimit) are bounded by Validate, so a
// config file cannot ask for a queue that crashes the process. New also
// refuses a ring that would take more than RingBytesLimit when full. The
// ring starts at a few slots and grows sixteenfold as records queue up: a
// large Capacity costs memory only while that many records wait.
//
// # Why one lock and records by value
//
// Post holds the lock for index work and one copy of the record into its
// slot; the actor takes whole runs of slots per lock. The alternatives were
// measured against it (records of a record.Record's size, about 350 bytes, two cores, producers and actor
// alternated, benchstat):
//
//   - Claiming the slot under the lock and copying after unlocking, with a
//     ready flag per slot that the actor waits for, doubled the time per
//     record (47 to 103 ns with two producers): the actor keeps meeting a
//     producer between its claim and its copy, often one that is off the
//     CPU, so its batches shrink to a record or two and it yields. A mutex
//     handles a holder that is descheduled by parking; a flag cannot. A
//     lock-free claim has the same wait, and still one contended write of
//     the tail per record.
//   - Slots holding pointers to pooled, shared records (one copy however
//     many handlers a record reaches) took two to three times as long a
//     record as the value ring (BenchmarkHandoffShared): the pool's
//     cross-processor traffic and the release on the actor cost more than
//     the copy they save.
//
// The lock is not what bounds a handler: formatting is (a few hundred
// nanoseconds a record against tens for the hand-off), and the handler
// actor formats large runs on one goroutine per processor.
//
// # Counting
//
// Counts returns a snapshot taken under the lock, in which
//
//	Received = Accepted + Refused()       (full, timeout, closed)
//	Accepted = Written + Filtered + Lost() + InFlight()
//
// hold at every moment, also while producers are blocked. Drops are counted
// by Reason: the six built-in ones, and those the actor names with
// Batch.Fail ("too_large", "refused", "http_4xx"...), up to 32 names per
// mailbox (further names count as ReasonError).
//
// # Shutting down
//
// Seal refuses new records but delivers the queued ones: send the actor a
// message after it (or Poison it) to learn when they are done. Close, once
// the actor will handle no more records (it stopped, or a deadline passed),
// counts whatever is left as dropped with ReasonShutdown; a batch the actor
// is still writing is booked when the write returns.
package mailbox
