package mailbox

import (
	"fmt"
	"strings"
	"time"
)

// Policy says what Post does when the mailbox is full.
type Policy int

const (
	// Block makes the producer sleep until there is room (or until the
	// BlockTimeout passes, when it is set; the record is then dropped).
	Block Policy = iota
	// DropNewest refuses the record being posted.
	DropNewest
	// DropOldest discards the oldest record still waiting and takes the new one.
	DropOldest
)

var policyNames = [...]string{Block: "block", DropNewest: "drop_newest", DropOldest: "drop_oldest"}

// String returns the policy's name as the config file spells it.
func (p Policy) String() string {
	if p >= 0 && int(p) < len(policyNames) {
		return policyNames[p]
	}
	return fmt.Sprintf("Policy(%d)", int(p))
}

// ParsePolicy reads a policy name: "block", "drop_newest" or "drop_oldest",
// in any case, with "_", "-" or nothing between the words.
func ParsePolicy(s string) (Policy, error) {
	norm := strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(s))
	for p, name := range policyNames {
		if strings.ReplaceAll(name, "_", "") == norm {
			return Policy(p), nil
		}
	}
	return 0, fmt.Errorf("%w: %q (want block, drop_newest or drop_oldest)", ErrBadPolicy, s)
}

// Defaults for Options' zero fields.
const (
	DefaultCapacity = 8192
	DefaultMaxBatch = 1024
)

// Options configure a Mailbox. The zero value is a Block mailbox of
// DefaultCapacity records.
type Options struct {
	// Capacity is how many records may wait for the handler, not counting the
	// batch it is working on. Exactly this many; default DefaultCapacity.
	Capacity int
	// Overflow is what happens to a record posted while Capacity records wait.
	// Default Block.
	Overflow Policy
	// BlockTimeout, with Block, is the longest a producer sleeps before its
	// record is dropped (counted as ReasonTimeout). 0 means no limit.
	BlockTimeout time.Duration
	// MaxBatch is the most records handed to the handler at once. Default
	// DefaultMaxBatch, or Capacity when that is smaller.
	MaxBatch int
}

// Validate reports options that cannot work.
func (o Options) Validate() error {
	switch {
	case o.Capacity < 0:
		return fmt.Errorf("mailbox capacity %d: must not be negative", o.Capacity)
	case o.MaxBatch < 0:
		return fmt.Errorf("mailbox max batch %d: must not be negative", o.MaxBatch)
	case o.BlockTimeout < 0:
		return fmt.Errorf("mailbox block timeout %v: must not be negative", o.BlockTimeout)
	case o.Overflow < Block || o.Overflow > DropOldest:
		return fmt.Errorf("%w: %v", ErrBadPolicy, o.Overflow)
	}
	return nil
}

func (o Options) withDefaults() Options {
	if o.Capacity == 0 {
		o.Capacity = DefaultCapacity
	}
	if o.MaxBatch == 0 {
		o.MaxBatch = min(DefaultMaxBatch, o.Capacity)
	}
	return o
}

// Reason is why a record was dropped.
type Reason int

// The reasons a record is dropped. The first three refuse a record before it
// is accepted; the others lose a record that was accepted.
const (
	ReasonFull     Reason = iota // DropNewest policy, mailbox full
	ReasonTimeout                // Block policy, BlockTimeout passed
	ReasonClosed                 // posted after Close
	ReasonOldest                 // displaced by a newer record (DropOldest policy)
	ReasonError                  // the handler could not write it
	ReasonShutdown               // still queued when the handler was stopped
	numReasons
)

var reasonNames = [numReasons]string{"full", "timeout", "closed", "oldest", "error", "shutdown"}

// String names the reason as stats report it.
func (r Reason) String() string {
	if r >= 0 && r < numReasons {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

// Reasons lists every Reason, in order.
func Reasons() []Reason {
	rs := make([]Reason, numReasons)
	for i := range rs {
		rs[i] = Reason(i)
	}
	return rs
}
