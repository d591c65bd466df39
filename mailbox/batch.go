package mailbox

// Batch is a run of records handed to the actor in one message. The records
// live in the mailbox's ring; the actor reads them in place and must not keep
// a pointer to one after it returns.
//
// The actor books the outcome of every record in Written, Filtered or Failed
// (records it could not write), and calls Handled before it returns. If it
// panics instead, the same Batch, with its counts and Done, is delivered to
// the restarted actor, which skips the first Done records (already dealt with).
type Batch[T any] struct {
	first, second []T
	// More is true when records wait behind this batch: the burst goes on, so
	// a buffering handler need not flush yet.
	More bool
	// Done is how many records at the front of the batch were dealt with by an
	// earlier delivery that failed; they are booked already.
	Done int
	// Outcome counts; Written+Filtered+Failed must reach Len() by Handled.
	Written, Filtered, Failed int

	handled bool
}

// Len is the number of records in the batch.
func (b *Batch[T]) Len() int { return len(b.first) + len(b.second) }

// At returns record i, 0 <= i < Len().
func (b *Batch[T]) At(i int) *T {
	if i < len(b.first) {
		return &b.first[i]
	}
	return &b.second[i-len(b.first)]
}

// Handled tells the mailbox the actor dealt with the batch; an unhandled batch
// (the actor had stopped) stays in the mailbox to be counted by Close.
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

func (b *Batch[T]) reset() {
	*b = Batch[T]{}
}
