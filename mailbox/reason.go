package mailbox

// Reason names why a record was dropped: one of the built-in reasons below,
// or a name a consumer gives Batch.Fail ("too_large", "refused",
// "http_4xx"...). Counts.Dropped is keyed by it; stats report it as is, so a
// reason is best a short snake_case word.
type Reason string

// The built-in reasons. The first three refuse a record before it is
// accepted (Refusal reports them); every other reason, built-in or named,
// loses a record that was accepted.
const (
	ReasonFull     Reason = "full"     // DropNewest policy, mailbox full
	ReasonTimeout  Reason = "timeout"  // Block policy, BlockTimeout passed
	ReasonClosed   Reason = "closed"   // posted after Seal or Close
	ReasonOldest   Reason = "oldest"   // displaced by a newer record (DropOldest policy)
	ReasonError    Reason = "error"    // the handler could not write it
	ReasonShutdown Reason = "shutdown" // still queued when the mailbox was closed
)

// builtin lists the built-in reasons in the order of their counters.
var builtin = [...]Reason{ReasonFull, ReasonTimeout, ReasonClosed, ReasonOldest, ReasonError, ReasonShutdown}

// Indexes of the built-in reasons' counters.
const (
	iFull = iota
	iTimeout
	iClosed
	iOldest
	iError
	iShutdown
	numBuiltin
)

// maxNamedReasons bounds the reasons a mailbox counts besides the built-in
// ones, so that a consumer naming reasons after its errors cannot grow the
// counters (and a stats page) without end. Drops under further new names
// are counted as ReasonError.
const maxNamedReasons = 32

// Reasons lists the built-in reasons, in order. Counts.Dropped always holds
// them, with the reasons consumers named besides.
func Reasons() []Reason { return append([]Reason(nil), builtin[:]...) }

// Refusal reports whether r refuses a record before the mailbox accepts it
// (full, timeout, closed), rather than losing one it accepted.
func (r Reason) Refusal() bool {
	i, ok := r.index()
	return ok && i <= iClosed
}

// index returns the counter of a built-in reason.
func (r Reason) index() (int, bool) {
	switch r {
	case ReasonFull:
		return iFull, true
	case ReasonTimeout:
		return iTimeout, true
	case ReasonClosed:
		return iClosed, true
	case ReasonOldest:
		return iOldest, true
	case ReasonError:
		return iError, true
	case ReasonShutdown:
		return iShutdown, true
	}
	return 0, false
}
