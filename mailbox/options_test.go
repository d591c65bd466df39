package mailbox

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/actorlog/actorlog/internal/optcheck"
)

func TestValidate(t *testing.T) {
	if err := (Options{}).Validate(); err != nil {
		t.Errorf("zero options: %v", err)
	}
	max := Options{Capacity: CapacityLimit, MaxBatch: MaxBatchLimit, BlockTimeout: BlockTimeoutLimit, Overflow: DropOldest}
	if err := max.Validate(); err != nil {
		t.Errorf("options at every limit: %v", err)
	}
	for _, tc := range []struct {
		o    Options
		want string
	}{
		{Options{Capacity: -1}, "Capacity: must not be negative (got -1)"},
		{Options{Capacity: 1_000_000_000_000}, "Capacity: must be at most 1048576 (got 1000000000000)"},
		{Options{Capacity: 100_000_000}, "Capacity: must be at most 1048576 (got 100000000)"},
		{Options{MaxBatch: -1}, "MaxBatch: must not be negative (got -1)"},
		{Options{MaxBatch: MaxBatchLimit + 1}, "MaxBatch: must be at most 65536 (got 65537)"},
		{Options{BlockTimeout: -1}, "BlockTimeout: must not be negative (got -1ns)"},
		{Options{BlockTimeout: 1 << 62}, "BlockTimeout: must be at most 1h0m0s"},
		{Options{Overflow: 7}, "Overflow: unknown policy Policy(7)"},
	} {
		err := tc.o.Validate()
		if !errors.Is(err, ErrInvalidOptions) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q", tc.o, err, tc.want)
		}
		if m, err := New[int](tc.o); m != nil || !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("New(%+v) = %v, %v", tc.o, m, err)
		}
	}
	// every problem is reported, each naming its field
	err := Options{Capacity: -1, MaxBatch: -1, BlockTimeout: -1, Overflow: -1}.Validate()
	var fields []string
	for _, f := range optcheck.Fields(err) {
		fields = append(fields, f.Field)
	}
	if want := []string{"Capacity", "MaxBatch", "BlockTimeout", "Overflow"}; !slices.Equal(fields, want) {
		t.Errorf("fields %v, want %v (%v)", fields, want, err)
	}
}

// TestNewBoundsRingMemory: New refuses a ring that could take more than
// RingBytesLimit once full, for the record type it is given.
func TestNewBoundsRingMemory(t *testing.T) {
	type big [4096]byte
	_, err := New[big](Options{Capacity: CapacityLimit})
	if !errors.Is(err, ErrInvalidOptions) || !strings.Contains(err.Error(), "Capacity: ") {
		t.Fatalf("4 KiB records x %d: %v", CapacityLimit, err)
	}
	if fs := optcheck.Fields(err); len(fs) != 1 || fs[0].Field != "Capacity" {
		t.Fatalf("fields %+v", fs)
	}
	if _, err := New[big](Options{Capacity: 100_000}); err != nil {
		t.Fatalf("4 KiB records x 100000: %v", err)
	}
	if _, err := New[struct{}](Options{Capacity: CapacityLimit}); err != nil {
		t.Fatalf("empty records: %v", err)
	}
}

// TestRingGrowsLazily: a large capacity costs a small ring up front, and
// the ring grows as records queue, keeping their order.
func TestRingGrowsLazily(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race")
	}
	var m *Mailbox[[64]byte]
	allocs := testing.AllocsPerRun(10, func() {
		m, _ = New[[64]byte](Options{Capacity: CapacityLimit})
	})
	if len(m.buf) != minRing || allocs > 3 {
		t.Fatalf("New of capacity %d: ring of %d slots, %v allocations", CapacityLimit, len(m.buf), allocs)
	}
	for _, policy := range []Policy{Block, DropOldest} {
		const n = 100_000
		m := mustNew[int](t, Options{Capacity: n, Overflow: policy, MaxBatch: 1000})
		d := &manualDispatcher{}
		r := &recorder{}
		proto(m).RegisterHandlers(r, d)
		for i := 0; i < n; i++ {
			if !m.Post(&i) {
				t.Fatalf("%v: record %d refused", policy, i)
			}
		}
		if got := len(m.buf); got < n || got > m.Options().Capacity+1000+n/4 {
			t.Fatalf("%v: ring of %d slots for %d records", policy, got, n)
		}
		d.runAll()
		if len(r.got) != n || !slices.IsSorted(r.got) || r.got[n-1] != n-1 {
			t.Fatalf("%v: got %d records, in order %v", policy, len(r.got), slices.IsSorted(r.got))
		}
		checkInvariants(t, m.Counts())
	}
}

// TestRingGrowsInFewSteps: the ring grows sixteenfold, up to Capacity +
// MaxBatch slots, so that a mailbox filling up moves its records twice and
// a batch stalled with the actor keeps a small ring alive.
func TestRingGrowsInFewSteps(t *testing.T) {
	m := mustNew[int](t, Options{Overflow: DropNewest})
	var sizes []int
	for i := range DefaultCapacity {
		if !m.Post(&i) {
			t.Fatalf("record %d refused", i)
		}
		if n := len(m.buf); len(sizes) == 0 || sizes[len(sizes)-1] != n {
			sizes = append(sizes, n)
		}
	}
	if want := []int{minRing, minRing * growFactor, DefaultCapacity + DefaultMaxBatch}; !slices.Equal(sizes, want) {
		t.Fatalf("ring sizes %v, want %v", sizes, want)
	}
}

func TestMaxBatchAboveCapacityActsAsCapacity(t *testing.T) {
	m := mustNew[int](t, Options{Capacity: 3, MaxBatch: 100})
	if o := m.Options(); o.MaxBatch != 3 || o.Capacity != 3 || o.Clock == nil {
		t.Fatalf("options in force %+v", o)
	}
	if o := mustNew[int](t, Options{}).Options(); o.Capacity != DefaultCapacity || o.MaxBatch != DefaultMaxBatch {
		t.Fatalf("defaults %+v", o)
	}
}

func TestParsePolicy(t *testing.T) {
	for s, want := range map[string]Policy{"block": Block, "Drop_Newest": DropNewest, "drop-oldest": DropOldest, "dropoldest": DropOldest} {
		got, err := ParsePolicy(s)
		if err != nil || got != want {
			t.Errorf("ParsePolicy(%q) = %v, %v", s, got, err)
		}
		var p Policy
		if err := p.UnmarshalText([]byte(s)); err != nil || p != want {
			t.Errorf("UnmarshalText(%q) = %v, %v", s, p, err)
		}
		if b, _ := want.MarshalText(); string(b) != want.String() {
			t.Errorf("MarshalText(%v) = %q", want, b)
		}
	}
	_, err := ParsePolicy("drop_all")
	if !errors.Is(err, ErrInvalidOptions) || !strings.Contains(err.Error(), `Overflow: unknown policy "drop_all"`) {
		t.Errorf("drop_all: %v", err)
	}
}
