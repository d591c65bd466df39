// Package mailbox is the bounded queue in front of every handler actor.
//
// # Why not protoactor's mailboxes
//
// protoactor's Bounded mailbox busy-waits when full and rounds its capacity
// up to a power of two; BoundedDropping spins forever after its first drop.
// This Mailbox holds exactly the configured number of records, makes a
// blocked producer sleep, and counts every record it refuses or loses.
//
// # Flow
//
// Producers call Post, which copies the record into a ring slot under a short
// lock. The first record after an idle spell schedules the actor through
// protoactor's dispatcher; the actor then receives *Batch values (runs of up
// to MaxBatch records read in place) until the ring is empty. Batch.More tells
// the actor whether the burst goes on, so it flushes once at its end.
//
// Control messages sent to the actor's PID are queued behind the records
// posted before them, so "flush" or "drain" means "after everything so far".
//
// # Counting
//
// Counts returns a snapshot taken under the lock, in which received,
// accepted, written, filtered, dropped (by Reason) and depth always add up.
package mailbox
