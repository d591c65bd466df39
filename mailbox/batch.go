package mailbox

// Batch is a run of records handed to the actor in one message. The records
// live in the mailbox's ring; the actor reads them in place (it may change
// them) and must not keep a pointer to one after it returns. Only the actor
// receiving the batch touches it, on its own goroutine.
//
// The actor books the outcome of every record, Written, Filtered or dropped
// with Fail, and calls Handled before it returns. Records left unbooked at
// Handled are counted as dropped with ReasonError; counts past Len are cut
// back to it. If the actor panics instead, the same Batch, with its counts
// and Done, is delivered to the restarted actor, which skips the first Done
// records (already dealt with).
type Batch[T any] struct {
	first, second []T
	// More is true when records wait behind this batch: the burst goes on, so
	// a buffering handler need not flush yet.
	More bool
	// Done is how many records at the front of the batch were dealt with by an
	// earlier delivery that failed; they are booked already. The mailbox only
	// keeps it across deliveries: the actor advances it.
	Done int
	// Written and Filtered count records written, and rejected by filters.
	Written, Filtered int

	fails  [numBuiltin]int // by built-in reason
	named  []namedCount    // by reason named by the actor, in order of first use
	failed int             // sum of fails and named

	handled bool
}

type namedCount struct {
	reason Reason
	n      int
}

// Len is the number of records in the batch.
func (b *Batch[T]) Len() int { return len(b.first) + len(b.second) }

// At returns record i, 0 <= i < Len(); other values of i panic, as an index
// out of range does.
func (b *Batch[T]) At(i int) *T {
	if i < len(b.first) {
		return &b.first[i]
	}
	return &b.second[i-len(b.first)]
}

// Fail books n records as dropped for reason: a built-in reason, or one the
// actor names ("too_large", "refused"...). An empty reason, or a refusal
// (ReasonFull, ReasonTimeout, ReasonClosed: those are for records never
// accepted), counts as ReasonError. n <= 0 books nothing. It does not
// allocate, except the first time a batch meets a new named reason.
func (b *Batch[T]) Fail(n int, reason Reason) {
	if n <= 0 {
		return
	}
	b.failed += n
	i, ok := reason.index()
	switch {
	case reason == "" || ok && i <= iClosed:
		b.fails[iError] += n
	case ok:
		b.fails[i] += n
	default:
		for k := range b.named {
			if b.named[k].reason == reason {
				b.named[k].n += n
				return
			}
		}
		b.named = append(b.named, namedCount{reason, n})
	}
}

// Failed is how many records Fail has booked so far.
func (b *Batch[T]) Failed() int { return b.failed }

// Handled tells the mailbox the actor dealt with the batch. A batch the
// actor returns without Handled means the actor has stopped (protoactor
// drops messages to a stopped actor without a word): the mailbox books its
// unbooked records as ReasonShutdown and delivers no more records.
func (b *Batch[T]) Handled() { b.handled = true }

func (b *Batch[T]) set(buf []T, start, n uint64, more bool) {
	end := start + n
	if end <= uint64(len(buf)) {
		b.first, b.second = buf[start:end], nil
	} else {
		b.first, b.second = buf[start:], buf[:end-uint64(len(buf))]
	}
	b.More = more
}

// reset empties the batch, keeping the room of its named counts.
func (b *Batch[T]) reset() {
	clear(b.named)
	*b = Batch[T]{named: b.named[:0]}
}
