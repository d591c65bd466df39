package engine

import (
	"testing"
	"unsafe"

	"github.com/actorlog/actorlog/mailbox"
	"github.com/actorlog/actorlog/record"
)

// A handler's ring, full, holds Capacity + MaxBatch records by value: with
// the defaults twenty handlers must fit in 32 MiB.
func TestDefaultRingsOfTwentyHandlersFit(t *testing.T) {
	slot := unsafe.Sizeof(record.Record{})
	perHandler := uintptr(mailbox.DefaultCapacity+mailbox.DefaultMaxBatch) * slot
	if total := 20 * perHandler; total > 32<<20 {
		t.Errorf("20 full default rings take %d bytes (%d a handler, %d-byte slots), want at most 32 MiB", total, perHandler, slot)
	}
	t.Logf("slot %d bytes, full default ring %.2f MiB a handler", slot, float64(perHandler)/(1<<20))
}
