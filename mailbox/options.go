package mailbox

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/actorlog/actorlog/clock"
	"github.com/actorlog/actorlog/internal/optcheck"
)

// ErrInvalidOptions is wrapped by every error of Options.Validate, New and
// ParsePolicy; each problem is an optcheck.FieldError naming its field.
var ErrInvalidOptions = errors.New("mailbox: invalid options")

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

// String returns the policy's name as the config file spells it, or
// "Policy(n)" for a value that is no policy.
func (p Policy) String() string {
	if p >= 0 && int(p) < len(policyNames) {
		return policyNames[p]
	}
	return fmt.Sprintf("Policy(%d)", int(p))
}

// ParsePolicy reads a policy name: "block", "drop_newest" or "drop_oldest",
// in any case, with "_", "-" or nothing between the words. Any other name is
// an error wrapping ErrInvalidOptions, for the field Overflow.
func ParsePolicy(s string) (Policy, error) {
	norm := strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(s))
	for p, name := range policyNames {
		if strings.ReplaceAll(name, "_", "") == norm {
			return Policy(p), nil
		}
	}
	p := optcheck.New(ErrInvalidOptions)
	p.Addf("Overflow", "unknown policy %q (want block, drop_newest or drop_oldest)", s)
	return 0, p.Err()
}

// MarshalText returns the policy's name, so that a Policy reads and writes
// as text in config files and JSON.
func (p Policy) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads a policy name as ParsePolicy does.
func (p *Policy) UnmarshalText(b []byte) error {
	v, err := ParsePolicy(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// Defaults for Options' zero fields.
const (
	DefaultCapacity = 2048
	DefaultMaxBatch = 1024
)

// Bounds of Options, checked by Validate; a config file cannot go past them.
const (
	// CapacityLimit is the largest Capacity: about a million records.
	CapacityLimit = 1 << 20
	// MaxBatchLimit is the largest MaxBatch.
	MaxBatchLimit = 1 << 16
	// BlockTimeoutLimit is the longest BlockTimeout (0, no limit, aside): a
	// longer one is a unit mistake rather than a wish.
	BlockTimeoutLimit = time.Hour
	// RingBytesLimit is the most memory New lets a mailbox's ring take when
	// full: (Capacity + MaxBatch + slack) slots of the record type's size.
	// The ring starts small and grows only as records queue up, so a large
	// Capacity costs memory only while that many records wait.
	RingBytesLimit = 1 << 30
)

// Options configure a Mailbox. The zero value is a Block mailbox of
// DefaultCapacity records.
type Options struct {
	// Capacity is how many records may wait for the handler, not counting the
	// batch it is working on. Exactly this many; 0 means DefaultCapacity
	// (2048); at most CapacityLimit (1,048,576), and the full ring at most
	// RingBytesLimit (1 GiB) for the record type New is given.
	Capacity int `config:"capacity"`
	// Overflow is what happens to a record posted while Capacity records wait.
	// Default Block.
	Overflow Policy `config:"overflow"`
	// BlockTimeout, with Block, is the longest a producer sleeps before its
	// record is dropped (counted as ReasonTimeout). 0 means no limit; at most
	// BlockTimeoutLimit (1 h). Other policies ignore it.
	BlockTimeout time.Duration `config:"blockTimeout"`
	// MaxBatch is the most records handed to the handler at once. 0 means
	// DefaultMaxBatch (1024); at most MaxBatchLimit (65,536); a MaxBatch
	// above Capacity acts as Capacity.
	MaxBatch int `config:"maxBatch"`
	// Clock times BlockTimeout; nil means clock.System(). Tests pass a
	// clock.Fake.
	Clock clock.Clock
}

// Validate reports every option that cannot work, each as an
// optcheck.FieldError wrapping ErrInvalidOptions; nil when all is well. The
// zero Options are valid.
func (o Options) Validate() error {
	p := optcheck.New(ErrInvalidOptions)
	bound := func(field string, v, limit int64) {
		switch {
		case v < 0:
			p.Addf(field, "must not be negative (got %d)", v)
		case v > limit:
			p.Addf(field, "must be at most %d (got %d)", limit, v)
		}
	}
	bound("Capacity", int64(o.Capacity), CapacityLimit)
	bound("MaxBatch", int64(o.MaxBatch), MaxBatchLimit)
	switch {
	case o.BlockTimeout < 0:
		p.Addf("BlockTimeout", "must not be negative (got %v)", o.BlockTimeout)
	case o.BlockTimeout > BlockTimeoutLimit:
		p.Addf("BlockTimeout", "must be at most %v (got %v)", BlockTimeoutLimit, o.BlockTimeout)
	}
	if o.Overflow < Block || o.Overflow > DropOldest {
		p.Addf("Overflow", "unknown policy %v (want Block, DropNewest or DropOldest)", o.Overflow)
	}
	return p.Err()
}

// withDefaults fills in the zero fields of valid options.
func (o Options) withDefaults() Options {
	if o.Capacity == 0 {
		o.Capacity = DefaultCapacity
	}
	if o.MaxBatch == 0 {
		o.MaxBatch = DefaultMaxBatch
	}
	o.MaxBatch = min(o.MaxBatch, o.Capacity)
	o.Clock = clock.Or(o.Clock)
	return o
}
